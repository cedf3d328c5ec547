"""The scope an organisation API key needs for each API view.

A view says which in a `required_scope` class attribute: one scope for every method
(`"training:write"`), or one per method (`{"GET": "training:read", "POST": "training:write"}`).
The API-key permission class reads it through `scope_required_for` and refuses a key without
that scope. A view open to anyone needs no scope; one that needs a signed-in caller and names
no scope is closed to keys. tests/api/test_scopes.py holds every view to this. Session callers
are unaffected: what a person may do is decided by register.permissions inside the services and
selectors, as on the HTML pages.
"""

from rest_framework.views import APIView

# Scopes the API's views ask for, with what each lets a key do.
SCOPES = {
    "training:read": "List the records of the key's training provider.",
    "training:write": "Record and revoke training for the key's training provider.",
    "training:read:own": "Read a worker's own training records (a worker's personal key).",
    "fhir:read": "Read workers as FHIR Practitioners, with training for workers the key may see.",
}


def scope_required_for(view: APIView, method: str) -> str | None:
    """The scope `view` asks of a key for `method`, or None if it names none."""
    declared = getattr(view, "required_scope", None)
    if isinstance(declared, dict):
        return declared.get(method.upper())
    return declared
