"""Every API view that needs a signed-in caller names the scope an API key will need."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny

from api.scopes import SCOPES, scope_required_for
from api.training import TrainingRecordRevokeApi, TrainingRecordsApi


def _api_views():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                yield pattern.callback.cls

    return [
        view for view in walk(get_resolver().url_patterns) if view.__module__.startswith("api.")
    ]


def test_a_scope_can_differ_by_method():
    assert scope_required_for(TrainingRecordsApi(), "get") == "training:read"
    assert scope_required_for(TrainingRecordsApi(), "POST") == "training:write"
    assert scope_required_for(TrainingRecordsApi(), "DELETE") is None
    assert scope_required_for(TrainingRecordRevokeApi(), "POST") == "training:write"


@pytest.mark.parametrize("view", _api_views(), ids=lambda view: view.__name__)
def test_every_signed_in_view_names_a_known_scope(view):
    # Views open to anyone may name a scope (for what a key sees beyond the public answer).
    public = [type(permission) for permission in view().get_permissions()] == [AllowAny]
    methods = {name.upper() for name in view.http_method_names if hasattr(view, name)}
    for method in methods - {"OPTIONS", "HEAD"}:
        scope = scope_required_for(view(), method)
        if public:
            assert scope is None or scope in SCOPES, (view.__name__, method)
        else:
            assert scope in SCOPES, (view.__name__, method)
