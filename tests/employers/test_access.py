"""Who may open what: every employer page and endpoint, for every persona, in tables."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from employers.services import api_keys, sharecodes, staff
from tests.dates import typed_date
from tests.factories import DATE_OF_BIRTH

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "worker",
    "employer",
    "employer_member",
    "provider",
    "association_admin",
    "registrar_without_mfa",
    "registrar",
    "outsider",
]

# (method, page) -> expected status per persona, in PERSONAS order. 302 for an anonymous
# visitor is the redirect to sign in; a 302 after a POST is the redirect back after acting.
# The worker is on the register; everyone else gets a 404 for their share code pages.
PAGES = {
    ("get", "employers:share-codes"): [302, 200, 404, 404, 404, 404, 404, 404, 404],
    ("post", "employers:share-code-revoke"): [302, 302, 404, 404, 404, 404, 404, 404, 404],
    ("get", "employers:check"): [302, 404, 200, 200, 404, 404, 404, 404, 404],
    ("post", "employers:check"): [302, 404, 400, 400, 404, 404, 404, 404, 404],
    ("get", "employers:staff"): [302, 404, 200, 200, 404, 404, 404, 404, 404],
    ("get", "employers:staff-csv"): [302, 404, 200, 200, 404, 404, 404, 404, 404],
    ("post", "employers:staff-add"): [302, 404, 302, 302, 404, 404, 404, 404, 404],
    ("get", "employers:staff-remove"): [302, 404, 200, 200, 404, 404, 404, 404, 404],
    ("post", "employers:staff-remove"): [302, 404, 302, 302, 404, 404, 404, 404, 404],
    # Owners only; a member or a registrar who may see the organisation is refused outright.
    ("get", "employers:webhook"): [302, 404, 200, 403, 404, 404, 404, 403, 404],
    ("get", "employers:api-keys"): [302, 404, 200, 403, 404, 404, 404, 403, 404],
    ("post", "employers:api-key-revoke"): [302, 404, 302, 404, 404, 404, 404, 404, 404],
}


@pytest.fixture
def objects(worker, entry_in_own_role, employer, employer_organisation):
    share_code, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=employer_organisation, user=employer, code=code, date_of_birth=DATE_OF_BIRTH
    ).check
    second = sharecodes.share_code_check(
        organisation=employer_organisation, user=employer, code=code, date_of_birth=DATE_OF_BIRTH
    ).check
    membership = staff.staff_add(organisation=employer_organisation, user=employer, check=second)
    api_key, _ = api_keys.api_key_create(
        organisation=employer_organisation, user=employer, name="HR", scopes=["staff:read"]
    )
    return {
        "share_code": share_code,
        "check": check,
        "membership": membership,
        "api_key": api_key,
    }


def _request(client, method, page, organisation, objects):
    org = [organisation.pk]
    args, data = {
        "employers:share-codes": ([], {}),
        "employers:share-code-revoke": ([objects["share_code"].pk], {}),
        "employers:check": (org, {"code": "", **typed_date("date_of_birth", None)}),
        "employers:staff": (org, {}),
        "employers:staff-csv": (org, {}),
        "employers:staff-add": (org, {"check": objects["check"].pk}),
        "employers:staff-remove": (
            [organisation.pk, objects["membership"].pk],
            {"reason": "left"},
        ),
        "employers:webhook": (org, {}),
        "employers:api-keys": (org, {}),
        "employers:api-key-revoke": ([objects["api_key"].pk], {}),
    }[page]
    return getattr(client, method)(reverse(page, args=args), data)


@pytest.mark.parametrize(
    ("method", "page", "persona", "expected"),
    [
        (method, page, persona, statuses[index])
        for (method, page), statuses in PAGES.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_page_access_table(
    client, request, employer_organisation, objects, method, page, persona, expected
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = _request(client, method, page, employer_organisation, objects)

    assert response.status_code == expected


# --- The API --------------------------------------------------------------------------------------

CALLERS = [
    "no key",
    "signed-in session",
    "all scopes",
    "no scopes that fit",
    "revoked key",
    "provider key",
]

# (method, endpoint) -> expected status per caller, in CALLERS order.
ENDPOINTS = {
    ("post", "api:share-codes-check"): [401, 401, 200, 403, 401, 403],
    ("get", "api:staff-list"): [401, 401, 200, 403, 401, 403],
    ("post", "api:staff-list"): [401, 401, 201, 403, 401, 403],
    ("get", "api:staff-member"): [401, 401, 200, 403, 401, 403],
    ("delete", "api:staff-member"): [401, 401, 204, 403, 401, 403],
}


def _key(organisation, user, scopes):
    return api_keys.api_key_create(organisation=organisation, user=user, name="K", scopes=scopes)


@pytest.mark.parametrize(
    ("method", "endpoint", "caller", "expected"),
    [
        (method, endpoint, caller, statuses[index])
        for (method, endpoint), statuses in ENDPOINTS.items()
        for index, caller in enumerate(CALLERS)
    ],
)
def test_endpoint_access_table(
    client,
    employer,
    employer_organisation,
    provider,
    worker,
    entry_in_own_role,
    method,
    endpoint,
    caller,
    expected,
):
    everything = ["sharecodes:check", "staff:read", "staff:write"]
    _, code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=employer_organisation, user=employer, code=code, date_of_birth=DATE_OF_BIRTH
    ).check
    if method in {"get", "delete"} and endpoint == "api:staff-member":
        staff.staff_add(organisation=employer_organisation, user=employer, check=check)
    headers = {}
    if caller == "signed-in session":
        client.force_login(employer)
    elif caller != "no key":
        if caller == "provider key":
            Membership.objects.filter(user=provider).update(role="owner")
            api_key, full = _key(provider.organisations.get(), provider, everything)
        else:
            scopes = ["register:read"] if caller == "no scopes that fit" else everything
            api_key, full = _key(employer_organisation, employer, scopes)
        if caller == "revoked key":
            api_keys.api_key_revoke(api_key=api_key, user=employer)
        headers["HTTP_AUTHORIZATION"] = f"Bearer {full}"
    url = (
        reverse(endpoint, args=[entry_in_own_role.registration_number])
        if endpoint == "api:staff-member"
        else reverse(endpoint)
    )
    data = {
        "api:share-codes-check": {"code": code, "date_of_birth": DATE_OF_BIRTH.isoformat()},
        "api:staff-list": {"check_id": check.pk},
        "api:staff-member": {},
    }[endpoint]

    if method == "get":
        response = client.get(url, **headers)
    else:
        response = getattr(client, method)(url, data, content_type="application/json", **headers)

    assert response.status_code == expected
