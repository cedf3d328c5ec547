"""Emails to people, sent in the background once the change that caused them is committed."""

import json

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from core.encryption import encrypt
from core.tasks import email_send


def email_enqueue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str = "",
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, str, str]] | None = None,
    with_the_transaction: bool = False,
) -> None:
    """Queue an email to go out after the current transaction commits, never before.

    The queued task holds the message sealed with the field-encryption key (email_send opens
    it), its extra `headers` (such as List-Unsubscribe) included. Task rows stay in the
    database after they run, and an address beside what was sent to it is personal data: a
    consultation receipt's reference would tie a person to their answers, which the responses
    themselves never do.

    `attachments` are text files, each (filename, content, MIME type), such as the .ics of a
    paid trial's reminder; they are sealed with the rest.

    By default the task is queued once the transaction has committed. With
    `with_the_transaction` it is queued at once: the database task backend then writes its row
    inside the caller's transaction, so the email and the record of sending it are stored
    together or not at all, for a caller that must neither send twice nor lose one when
    interrupted (the job alert digests). A backend that runs tasks at once (the tests') sends it
    before the commit."""
    sealed = encrypt(
        json.dumps(
            {
                "to": to,
                "subject": subject,
                "body": body,
                "html_body": html_body,
                "headers": dict(headers or {}),
                "attachments": [list(attachment) for attachment in attachments or []],
            }
        )
    )

    def enqueue():
        email_send.enqueue(sealed=sealed, from_email=settings.DEFAULT_FROM_EMAIL)

    if with_the_transaction:
        enqueue()
    else:
        transaction.on_commit(enqueue)


def email_from_template(
    *,
    to: list[str],
    template: str,
    context: dict,
    attachments: list[tuple[str, str, str]] | None = None,
    with_the_transaction: bool = False,
) -> None:
    """Render `templates/emails/<template>_subject.txt` and `_body.txt` and queue the email,
    with any text `attachments` (filename, content, MIME type); `with_the_transaction` as for
    `email_enqueue`."""
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    # One line: a subject naming something people typed (a vacancy's title, say) must not
    # carry its line breaks into the header, where they make the email fail to send at all.
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    body = render_to_string(f"emails/{template}_body.txt", context)
    email_enqueue(
        to=to,
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        attachments=attachments,
        with_the_transaction=with_the_transaction,
    )
