"""API keys, and the share code and staff list endpoints they open."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.services.organisations import membership_remove, membership_role_change
from core.models import AuditEvent
from employers.models import ApiKey, ShareCodeCheck, StaffMembership
from employers.services import api_keys, sharecodes, staff
from tests.factories import DATE_OF_BIRTH, TrainingRecordFactory

pytestmark = pytest.mark.django_db

ALL_EMPLOYER_SCOPES = ["sharecodes:check", "staff:read", "staff:write"]


def make_key(organisation, user, scopes=ALL_EMPLOYER_SCOPES):
    return api_keys.api_key_create(organisation=organisation, user=user, name="HR", scopes=scopes)


def bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def check_code(client, key, code, date_of_birth=DATE_OF_BIRTH):
    return client.post(
        reverse("api:share-codes-check"),
        {"code": code, "date_of_birth": date_of_birth.isoformat()},
        content_type="application/json",
        **bearer(key),
    )


# --- Keys -----------------------------------------------------------------------------------------


def test_an_owner_makes_a_key_shown_once_and_stored_as_a_hash(employer, employer_organisation):
    api_key, full = make_key(employer_organisation, employer)

    assert full.startswith(f"cr_live_{api_key.key_id}_")
    secret = full.removeprefix(api_key.prefix)
    assert secret not in api_key.secret_hash and len(api_key.secret_hash) == 64
    assert api_key.scopes == sorted(ALL_EMPLOYER_SCOPES)
    event = AuditEvent.objects.get(action="employers.api_key.created")
    assert secret not in event.canonical_content().decode()
    assert api_keys.api_key_authenticate(presented=full) == api_key


@pytest.mark.parametrize(
    ("name", "scopes", "message"),
    [
        ("", ["staff:read"], "Give the key a name"),
        ("HR", [], "Choose at least one"),
        ("HR", ["everything"], "Unknown scope: everything"),
    ],
)
def test_a_key_needs_a_name_and_known_scopes(
    employer, employer_organisation, name, scopes, message
):
    with pytest.raises(api_keys.ApiKeyError, match=message):
        api_keys.api_key_create(
            organisation=employer_organisation, user=employer, name=name, scopes=scopes
        )
    assert not ApiKey.objects.exists()


def test_a_member_who_is_not_an_owner_cannot_make_keys(employer_member, employer_organisation):
    with pytest.raises(PermissionDenied):
        make_key(employer_organisation, employer_member)


def test_a_revoked_key_is_refused_from_then_on(client, employer, employer_organisation):
    api_key, full = make_key(employer_organisation, employer)
    assert client.get(reverse("api:staff-list"), **bearer(full)).status_code == 200

    api_keys.api_key_revoke(api_key=api_key, user=employer)

    response = client.get(reverse("api:staff-list"), **bearer(full))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The API key is not valid, or was revoked."
    assert AuditEvent.objects.filter(action="employers.api_key.revoked").count() == 1
    with pytest.raises(api_keys.ApiKeyError, match="already been revoked"):
        api_keys.api_key_revoke(api_key=api_key, user=employer)


def test_a_key_stops_working_when_its_maker_leaves_the_organisation(
    client, employer, employer_member, employer_organisation
):
    from accounts.models import Membership

    Membership.objects.filter(user=employer_member).update(role="owner")
    _, full = make_key(employer_organisation, employer_member)
    membership_remove(membership=employer_member.memberships.get(), user=employer)

    assert client.get(reverse("api:staff-list"), **bearer(full)).status_code == 401


def test_a_key_whose_maker_is_demoted_gets_the_same_refusal_as_any_revoked_key(
    client, employer, employer_member, employer_organisation
):
    membership = employer_member.memberships.get()
    membership_role_change(membership=membership, user=employer, role="owner")
    demoted_key, demoted = make_key(employer_organisation, employer_member)
    revoked_key, revoked = make_key(employer_organisation, employer)
    api_keys.api_key_revoke(api_key=revoked_key, user=employer)
    assert client.get(reverse("api:staff-list"), **bearer(demoted)).status_code == 200

    membership_role_change(membership=membership, user=employer, role="member")

    refused = client.get(reverse("api:staff-list"), **bearer(demoted))
    like_any_revoked = client.get(reverse("api:staff-list"), **bearer(revoked))
    assert refused.status_code == like_any_revoked.status_code == 401
    assert refused["WWW-Authenticate"] == like_any_revoked["WWW-Authenticate"] == "Bearer"
    assert refused.json() == like_any_revoked.json()
    demoted_key.refresh_from_db()
    assert demoted_key.revoked_at is not None


def test_a_key_is_refused_once_its_maker_is_no_owner_even_if_the_role_changed_elsewhere(
    client, employer, employer_member, employer_organisation
):
    from accounts.models import Membership

    Membership.objects.filter(user=employer_member).update(role="owner")
    api_key, full = make_key(employer_organisation, employer_member)
    # As a shell session or a data fix would: no service, so no revocation.
    Membership.objects.filter(user=employer_member).update(role="member")

    assert client.get(reverse("api:staff-list"), **bearer(full)).status_code == 401
    api_key.refresh_from_db()
    assert api_key.revoked_at is None


@pytest.mark.parametrize(
    "presented",
    ["nonsense", "cr_live_000000000000_" + "A" * 43, "Bearer", ""],
)
def test_unknown_or_malformed_keys_are_refused(client, presented):
    response = client.get(reverse("api:staff-list"), HTTP_AUTHORIZATION=f"Bearer {presented}")

    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_a_wrong_secret_for_a_real_key_id_is_refused(client, employer, employer_organisation):
    api_key, full = make_key(employer_organisation, employer)
    wrong = api_key.prefix + ("B" * 43 if not full.endswith("B" * 43) else "C" * 43)

    assert client.get(reverse("api:staff-list"), **bearer(wrong)).status_code == 401


def test_using_a_key_records_when_it_was_last_used(client, employer, employer_organisation):
    api_key, full = make_key(employer_organisation, employer)

    client.get(reverse("api:staff-list"), **bearer(full))

    api_key.refresh_from_db()
    assert timezone.now() - api_key.last_used_at < timedelta(seconds=10)


@pytest.mark.parametrize(
    ("scopes", "method", "url_name", "expected"),
    [
        (["staff:read"], "get", "api:staff-list", 200),
        (["staff:write"], "get", "api:staff-list", 403),
        (["staff:read"], "post", "api:staff-list", 403),
        (["sharecodes:check"], "get", "api:staff-list", 403),
        (["staff:read"], "post", "api:share-codes-check", 403),
        (["register:read", "passports:verify"], "post", "api:share-codes-check", 403),
    ],
)
def test_a_key_may_do_only_what_its_scopes_allow(
    client, employer, employer_organisation, scopes, method, url_name, expected
):
    _, full = make_key(employer_organisation, employer, scopes=scopes)

    response = getattr(client, method)(
        reverse(url_name), {}, content_type="application/json", **bearer(full)
    )

    assert response.status_code == expected
    if expected == 403:
        assert "scope" in response.json()["error"]["message"]


def test_a_training_providers_key_has_no_staff_list(client, provider):
    organisation = provider.organisations.get()
    _, full = make_key(organisation, provider, scopes=["staff:read"])

    response = client.get(reverse("api:staff-list"), **bearer(full))

    assert response.status_code == 403


def test_the_session_does_not_open_the_key_endpoints(client, employer):
    client.force_login(employer)

    assert client.get(reverse("api:staff-list")).status_code == 401


# --- Share codes ----------------------------------------------------------------------------------


def test_a_key_checks_a_share_code_and_the_check_names_the_key(
    client, share_code, employer, employer_organisation, entry_in_own_role, moving
):
    TrainingRecordFactory(
        entry=entry_in_own_role,
        standard=moving,
        expires_on=timezone.localdate() + timedelta(days=20),
    )
    api_key, full = make_key(employer_organisation, employer)

    response = check_code(client, full, share_code[1].replace("-", "").lower())

    assert response.status_code == 200
    data = response.json()
    assert (data["registration_number"], data["status"], data["may_practise"]) == (
        entry_in_own_role.registration_number,
        "registered",
        True,
    )
    assert [(item["standard"], item["state"]) for item in data["training"]["records"]] == [
        ("moving-and-handling", "due")
    ]
    assert data["identity_checks"] is None
    logged = ShareCodeCheck.objects.get(pk=data["check_id"])
    assert (logged.via_api_key, logged.user, logged.outcome) == (api_key, employer, "accepted")


def test_every_refused_code_gets_the_same_404(
    client, worker, entry_in_own_role, share_code, employer, employer_organisation
):
    _, full = make_key(employer_organisation, employer)
    revoked, revoked_code = sharecodes.share_code_create(
        worker=worker, entry=entry_in_own_role, shares_identity_checks=False
    )
    sharecodes.share_code_revoke(share_code=revoked, worker=worker)

    answers = [
        check_code(client, full, "ZZZZZZZZZ"),
        check_code(client, full, share_code[1], DATE_OF_BIRTH + timedelta(days=1)),
        check_code(client, full, revoked_code),
    ]

    assert {response.status_code for response in answers} == {404}
    assert len({response.content for response in answers}) == 1
    assert answers[0].json()["error"]["code"] == "share_code_not_accepted"


def test_too_many_refusals_through_the_api_get_a_429(
    client, share_code, employer, employer_organisation, settings
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 2
    _, full = make_key(employer_organisation, employer)
    for _ in range(2):
        assert check_code(client, full, "ZZZZZZZZZ").status_code == 404

    response = check_code(client, full, share_code[1])

    assert response.status_code == 429
    assert response.json()["error"]["message"].startswith(sharecodes.RATE_LIMITED_MESSAGE)
    assert response["Retry-After"] == "3600"


def test_a_missing_date_of_birth_is_a_400_in_the_one_error_format(
    client, employer, employer_organisation
):
    _, full = make_key(employer_organisation, employer)

    response = client.post(
        reverse("api:share-codes-check"),
        {"code": "ABC"},
        content_type="application/json",
        **bearer(full),
    )

    assert response.status_code == 400
    assert "date_of_birth" in response.json()["error"]["fields"]
    assert not ShareCodeCheck.objects.exists()


# --- The staff list -------------------------------------------------------------------------------


def test_a_key_adds_lists_shows_and_removes_a_worker(
    client, share_code, employer, employer_organisation, entry_in_own_role
):
    _, full = make_key(employer_organisation, employer)
    check_id = check_code(client, full, share_code[1]).json()["check_id"]

    added = client.post(
        reverse("api:staff-list"),
        {"check_id": check_id},
        content_type="application/json",
        **bearer(full),
    )
    listed = client.get(reverse("api:staff-list"), **bearer(full))
    one = client.get(
        reverse("api:staff-member", args=[entry_in_own_role.registration_number.lower()]),
        **bearer(full),
    )
    removed = client.delete(
        reverse("api:staff-member", args=[entry_in_own_role.registration_number]), **bearer(full)
    )
    gone = client.get(
        reverse("api:staff-member", args=[entry_in_own_role.registration_number]), **bearer(full)
    )

    assert added.status_code == 201
    assert added.json()["registration_number"] == entry_in_own_role.registration_number
    assert [item["full_name"] for item in listed.json()] == ["Wendy Worker"]
    assert one.json()["status"] == "registered"
    assert removed.status_code == 204
    assert gone.status_code == 404
    assert StaffMembership.objects.get().status == "removed"
    assert AuditEvent.objects.get(action="employers.staff.added").data["api_key_id"] is not None


def test_a_used_check_cannot_add_again_through_the_api(
    client, accepted_check, employer, employer_organisation
):
    _, full = make_key(employer_organisation, employer)
    membership = staff.staff_add(
        organisation=employer_organisation, user=employer, check=accepted_check
    )
    staff.staff_remove(membership=membership, user=employer)

    response = client.post(
        reverse("api:staff-list"),
        {"check_id": accepted_check.pk},
        content_type="application/json",
        **bearer(full),
    )

    assert response.status_code == 400
    assert "already been used" in response.json()["error"]["fields"]["check_id"][0]


def test_another_employers_check_is_not_found(client, accepted_check):
    from tests.factories import MembershipFactory

    other = MembershipFactory(organisation__kind="employer", role="owner").user
    _, full = make_key(other.organisations.get(), other)

    response = client.post(
        reverse("api:staff-list"),
        {"check_id": accepted_check.pk},
        content_type="application/json",
        **bearer(full),
    )

    assert response.status_code == 404


def test_the_schema_documents_the_new_endpoints_with_the_key_scheme(client):
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()

    assert {"/api/v1/share-codes/check", "/api/v1/staff/"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    post = schema["paths"]["/api/v1/share-codes/check"]["post"]
    assert "404" in post["responses"] and "429" in post["responses"]
