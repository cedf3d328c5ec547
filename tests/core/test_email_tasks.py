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


@pytest.mark.django_db
def test_an_email_s_extra_headers_travel_sealed_and_are_sent(django_capture_on_commit_callbacks):
    from core.notifications import email_enqueue

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_enqueue(
            to=["reader@example.org"],
            subject="Your digest",
            body="Three new jobs.",
            headers={
                "List-Unsubscribe": "<https://example.org/unsubscribe/secret-token/>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    assert mail.outbox == []  # nothing before the commit
    callbacks[0]()

    sent = mail.outbox[-1].message()
    assert sent["List-Unsubscribe"] == "<https://example.org/unsubscribe/secret-token/>"
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def _use_tasks_backend(settings, backend: str) -> None:
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": backend}}
    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_with_the_transaction_is_stored_or_lost_with_it(settings):
    """The database backend writes the task inside the caller's transaction: one rolled back
    leaves no email to send, one committed leaves exactly one, sealed with its headers."""
    from django.db import transaction

    from core.notifications import email_enqueue

    _use_tasks_backend(settings, "django_tasks_db.DatabaseBackend")
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            email_enqueue(
                to=["reader@example.org"],
                subject="Lost",
                body="Rolled back.",
                headers={"List-Unsubscribe": "<https://example.org/u/1/>"},
                with_the_transaction=True,
            )
            assert DBTaskResult.objects.count() == 1  # written inside the transaction
            raise RuntimeError("interrupted before the commit")
        assert DBTaskResult.objects.count() == 0

        with transaction.atomic():
            email_enqueue(
                to=["reader@example.org"],
                subject="Kept",
                body="Committed.",
                headers={"List-Unsubscribe": "<https://example.org/u/1/>"},
                with_the_transaction=True,
            )
        kept = json.dumps(DBTaskResult.objects.get().args_kwargs)
        assert "example.org/u/1" not in kept  # the headers are sealed with the rest
        call_command("db_worker", "--batch", "--no-startup-delay")
    finally:
        _use_tasks_backend(settings, "django_tasks.backends.immediate.ImmediateBackend")

    assert [message.subject for message in mail.outbox] == ["Kept"]
    assert mail.outbox[0].message()["List-Unsubscribe"] == "<https://example.org/u/1/>"
