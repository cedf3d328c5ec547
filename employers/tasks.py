"""Background work for employers, run by `manage.py db_worker` (immediately in tests)."""

from django_tasks import task


@task(queue_name="default")
def webhook_deliver(*, delivery_id: int) -> str:
    """One attempt at a webhook delivery; a failure queues the next attempt itself."""
    from employers.services.webhooks import webhook_attempt

    return webhook_attempt(delivery_id=delivery_id).status
