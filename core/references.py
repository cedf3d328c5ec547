"""References people read out and type back: a consultation response's, an application's."""

import secrets

# No look-alikes (no 0/O, 1/I/L): a reference is easy to read out over the phone and to type.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 10


def reference_new() -> str:
    """A random reference such as PCBPMPDPDN: 31^10 (about 8 × 10^14) of them, so it reveals
    neither how many came before nor which is next."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
