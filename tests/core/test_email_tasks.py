import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult


@pytest.mark.django_db(transaction=True)
def test_sign_up_only_queues_its_email_and_the_worker_sends_it(client, settings):
    """With the database backend the request never talks to the mail server."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks import task_backends

    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)
    try:
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Queued Person",
                "email": "queued@example.org",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
                "joining_as": "organisation",
            },
        )
        assert response.status_code == 302
        assert mail.outbox == []
        assert DBTaskResult.objects.filter(status="READY").count() == 1

        call_command("db_worker", "--batch", "--no-startup-delay")
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        task_backends._settings = task_backends.settings = task_backends.configure_settings(None)

    assert [message.to for message in mail.outbox] == [["queued@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    # The row kept after the task ran holds neither the address nor any line of the message.
    kept = json.dumps(DBTaskResult.objects.get().args_kwargs)
    sent = mail.outbox[0]
    assert "queued@example.org" not in kept and sent.subject not in kept
    assert [line for line in sent.body.splitlines() if len(line) > 8 and line in kept] == []


def test_an_email_queued_before_messages_were_sealed_still_goes_out():
    from core.tasks import email_send

    email_send.call(subject="Old", body="Queued by the last release.", to=["old@example.org"])

    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("Old", ["old@example.org"])
    ]
