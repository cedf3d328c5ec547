"""Background work, run by `manage.py db_worker` (immediately in tests).

Task arguments must be JSON, so an email travels as its parts, not as a message object.
"""

import json
import logging

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from core.encryption import decrypt

logger = logging.getLogger(__name__)


@task(queue_name="default")
def email_send(
    *,
    sealed: str = "",
    from_email: str | None = None,
    subject: str = "",
    body: str = "",
    to: list[str] | None = None,
    html_body: str = "",
    headers: dict[str, str] | None = None,
) -> int:
    """Send an email queued by core.notifications.email_enqueue, which seals it."""
    if sealed:
        opened = json.loads(decrypt(sealed))
        subject, body, to, html_body = (
            opened["subject"],
            opened["body"],
            opened["to"],
            opened["html_body"],
        )
        # Messages sealed before headers could be given have none.
        headers = opened.get("headers") or None
        attachments = opened.get("attachments") or []
    else:
        attachments = []
    # Otherwise a task queued before messages were sealed, still waiting when the new code
    # was deployed: its parts came as plain arguments.
    to = to or []
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=to, from_email=from_email, headers=headers
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    sent = message.send()
    # Addresses are personal data: the log says how many, never who.
    logger.info("email sent to %d recipient(s): %s", len(to), subject)
    return sent
