"""A last line of defence for the log: whatever a library or our own code writes, secrets and
personal identifiers that have a recognisable shape are masked before the line is written.

Services never log personal data on purpose (the audit log masks it too, see audit.py); this
catches what others write for us, above all Django's "Not Found: /path" lines, whose paths can
carry a secret token (a consultation's resume link, an invitation, a password reset key)."""

import logging
import re

MASK = "[redacted]"

_PATTERNS = [
    # Tokens that are the only thing protecting what a link opens.
    (re.compile(r"(/resume/)[^/\s]+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/invitations/)[^/\s]+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/registrar-invitations/)[^/\s]+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/password/reset/key/)[^/\s]+"), rf"\g<1>{MASK}"),
    (re.compile(r"(/confirm-email/)[^/\s]+"), rf"\g<1>{MASK}"),
    # API keys, and whatever follows a Bearer keyword.
    (re.compile(r"cr_live_[A-Za-z0-9_\-]+"), MASK),
    (re.compile(r"(?i)(bearer\s+)\S+"), rf"\g<1>{MASK}"),
    # Email addresses.
    (re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"), MASK),
]


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Masks secrets in the finished message (arguments merged) and in any traceback text."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
