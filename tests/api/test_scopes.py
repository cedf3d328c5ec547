"""One scope mechanism: every API view names the scope an API key needs (or None, closed to
keys), every view that reads keys checks it with the one permission class, and the scopes are
one list, ApiKey.Scope."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api.auth import ApiKeyAuthentication
from api.scopes import SCOPES, ApiKeyScopePermission, scope_required_for
from api.training import OwnTrainingRecordsApi, TrainingRecordRevokeApi, TrainingRecordsApi
from employers.forms import ApiKeyCreateForm
from employers.models import ApiKey


def _api_views():
    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
                yield pattern.callback.cls

    return sorted(
        {view for view in walk(get_resolver().url_patterns) if view.__module__.startswith("api.")},
        key=lambda view: view.__name__,
    )


def _methods(view):
    return {name.upper() for name in view.http_method_names if hasattr(view, name)} - {
        "OPTIONS",
        "HEAD",
    }


def test_a_scope_can_differ_by_method():
    assert scope_required_for(TrainingRecordsApi(), "get") == "training:read"
    assert scope_required_for(TrainingRecordsApi(), "POST") == "training:write"
    assert scope_required_for(TrainingRecordsApi(), "DELETE") is None
    assert scope_required_for(TrainingRecordsApi(), "HEAD") == "training:read"
    assert scope_required_for(TrainingRecordRevokeApi(), "POST") == "training:write"
    assert scope_required_for(OwnTrainingRecordsApi(), "GET") is None


def test_the_scopes_are_one_list_which_the_key_form_offers_whole():
    assert list(SCOPES) == ApiKey.Scope.values
    offered = dict(ApiKeyCreateForm().fields["scopes"].choices)
    assert offered == SCOPES
    # Each says what it lets a key do, and names itself, so a developer can match them up.
    for scope, description in SCOPES.items():
        assert f"({scope})" in description


def test_no_key_may_answer_consultations():
    assert "consultations:respond" not in SCOPES


@pytest.mark.parametrize("view", _api_views(), ids=lambda view: view.__name__)
def test_every_api_view_declares_the_scope_a_key_needs(view):
    assert "required_scope" in {name for cls in view.__mro__ for name in vars(cls)}, view
    for method in _methods(view):
        scope = scope_required_for(view(), method)
        assert scope is None or scope in SCOPES, (view.__name__, method, scope)


@pytest.mark.parametrize("view", _api_views(), ids=lambda view: view.__name__)
def test_every_view_that_reads_keys_checks_their_scope_with_the_one_permission_class(view):
    reads_keys = ApiKeyAuthentication in view.authentication_classes
    if not reads_keys:
        # Only the documentation page, which reads no credentials at all.
        assert view.authentication_classes == [], view
        return
    # First, so that a caller who is not authenticated gets 401 with a Bearer challenge.
    assert view.authentication_classes[0] is ApiKeyAuthentication
    assert ApiKeyScopePermission in view.permission_classes
