"""Who may open what: every page of this issue, for every persona, in one table."""

import pytest
from django.urls import reverse

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

# page -> expected status per persona, in PERSONAS order. 302 from an anonymous visitor is the
# redirect to sign in; 302 for a registrar without MFA is the redirect to MFA set-up.
ACCESS_TABLE = {
    "accounts:home": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "healthz": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "accounts:organisation-list": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "accounts:organisation-detail": [302, 404, 200, 200, 404, 404, 404, 200, 404],
    "accounts:registrar-home": [302, 403, 403, 403, 403, 403, 302, 200, 403],
    "admin-audit-log": [302, 302, 302, 302, 302, 302, 302, 200, 302],
    "api:schema": [200, 200, 200, 200, 200, 200, 200, 200, 200],
    "account-email": [302, 200, 200, 200, 200, 200, 200, 200, 200],
    "mfa-index": [302, 200, 200, 200, 200, 200, 200, 200, 200],
}


def _url(page, employer_organisation):
    return {
        "accounts:home": reverse("accounts:home"),
        "healthz": reverse("healthz"),
        "accounts:organisation-list": reverse("accounts:organisation-list"),
        "accounts:organisation-detail": reverse(
            "accounts:organisation-detail", args=[employer_organisation.pk]
        ),
        "accounts:registrar-home": reverse("accounts:registrar-home"),
        "admin-audit-log": reverse("admin:core_auditevent_changelist"),
        "api:schema": reverse("api:schema"),
        "account-email": reverse("account_email"),
        "mfa-index": reverse("mfa_index"),
    }[page]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, statuses[index])
        for page, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, employer, employer_organisation, page, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(page, employer_organisation))

    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("outsider", 404), ("employer_member", 403), ("employer", 302)],
)
def test_who_may_send_an_invitation(
    client, request, employer_organisation, employer, persona, expected
):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse("accounts:organisation-detail", args=[employer_organisation.pk]),
        {"email": "someone@example.org", "role": "member"},
    )

    assert response.status_code == expected
    assert employer_organisation.invitations.exists() is (persona == "employer")


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_is_refused(worker):
    from django.test import Client

    strict_client = Client(enforce_csrf_checks=True)
    strict_client.force_login(worker)

    response = strict_client.post(
        reverse("accounts:organisation-list"), {"name": "X", "kind": "employer"}
    )

    assert response.status_code == 403
