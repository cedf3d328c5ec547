"""The scope an organisation API key needs for each API view, and the one permission class
that checks it.

Every API view says which scope in a `required_scope` class attribute: one scope for every
method (`"training:write"`), one per method (`{"GET": "training:read", "POST":
"training:write"}`), or None. A key is accepted only where the view names, for the method
called, a scope the key holds; a view or method that names none is closed to keys, whether or
not it is open to anyone without one. tests/api/test_scopes.py holds every view to this.

Session callers are unaffected: what a person may do is decided by accounts.permissions inside
the services and selectors, as on the HTML pages.
"""

from rest_framework.permissions import BasePermission
from rest_framework.views import APIView

from employers.models import ApiKey

# The scopes, with what each lets a key do: ApiKey.Scope is the one list.
SCOPES = {scope.value: scope.label for scope in ApiKey.Scope}


def scope_required_for(view: APIView, method: str) -> str | None:
    """The scope `view` asks of a key for `method`, or None if it names none."""
    declared = getattr(view, "required_scope", None)
    method = method.upper()
    if method in {"HEAD", "OPTIONS"}:
        # Asking about a resource needs what reading it needs.
        method = "GET"
    if isinstance(declared, dict):
        return declared.get(method)
    return declared


class ApiKeyScopePermission(BasePermission):
    """Refuses (403) an API key that lacks the scope the view names for this method, and every
    key where the view names none. Lets every other caller through to the view's own rules."""

    message = "This API key may not do that."

    def has_permission(self, request, view) -> bool:
        api_key = request.auth
        if not isinstance(api_key, ApiKey):
            return True
        scope = scope_required_for(view, request.method)
        if scope is None:
            self.message = (
                "API keys cannot be used here: an API key acts for an organisation, and this "
                "is done by a person signed in, or by anyone without a key."
            )
            return False
        if scope not in api_key.scopes:
            self.message = f"This API key may not do that: it needs the {scope} scope."
            return False
        return True
