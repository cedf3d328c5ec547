"""Background work for the register, run by `manage.py db_worker` (immediately in tests)."""

from django_tasks import task


@task(queue_name="default")
def code_published_notify(*, code_id: int) -> int:
    """Email everyone on the register that a new version of the code waits for them."""
    from register.services.conduct import code_published_emails_send

    return code_published_emails_send(code_id=code_id)
