"""API keys may have an expiry date, after which they are refused like revoked keys; owners see
the live keys nobody has used for 90 days."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from employers.models import ApiKey
from employers.services import api_keys
from tests.dates import typed_date

pytestmark = pytest.mark.django_db


def _make(organisation, user, **options):
    return api_keys.api_key_create(
        organisation=organisation, user=user, name="HR", scopes=["staff:read"], **options
    )


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_key_with_an_expiry_works_to_the_end_of_that_day_and_is_refused_after(
    client, employer, employer_organisation, clock
):
    clock.set(timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0)))
    api_key, full = _make(
        employer_organisation, employer, expires_on=timezone.localdate() + timedelta(days=1)
    )
    assert AuditEvent.objects.get(action="employers.api_key.created").data["expires_on"] == (
        "2026-03-03"
    )

    clock.set(timezone.make_aware(timezone.datetime(2026, 3, 3, 23, 59)))
    assert client.get(reverse("api:staff-list"), **_bearer(full)).status_code == 200

    clock.set(timezone.make_aware(timezone.datetime(2026, 3, 4, 0, 1)))
    assert api_keys.api_key_authenticate(presented=full) is None
    assert client.get(reverse("api:staff-list"), **_bearer(full)).status_code == 401


def test_an_expired_key_gets_exactly_the_refusal_of_a_revoked_key(
    client, employer, employer_organisation, clock
):
    expiring, expiring_full = _make(
        employer_organisation, employer, expires_on=timezone.localdate() + timedelta(days=1)
    )
    revoked, revoked_full = _make(employer_organisation, employer)
    api_keys.api_key_revoke(api_key=revoked, user=employer)
    clock.advance(timedelta(days=3))

    expired_answer = client.get(reverse("api:staff-list"), **_bearer(expiring_full))
    revoked_answer = client.get(reverse("api:staff-list"), **_bearer(revoked_full))

    assert expired_answer.status_code == revoked_answer.status_code == 401
    assert expired_answer.json() == revoked_answer.json()
    assert expired_answer["WWW-Authenticate"] == revoked_answer["WWW-Authenticate"]


@pytest.mark.parametrize("days", [0, -1, -400])
def test_an_expiry_date_today_or_in_the_past_is_refused(employer, employer_organisation, days):
    with pytest.raises(api_keys.ApiKeyError, match="must be in the future") as refused:
        _make(employer_organisation, employer, expires_on=timezone.localdate() + timedelta(days))
    assert refused.value.field == "expires_on"
    assert not ApiKey.objects.exists()


def test_an_owner_picks_an_expiry_date_on_the_keys_page(client, employer, employer_organisation):
    client.force_login(employer)
    expires = timezone.localdate() + timedelta(days=30)

    response = client.post(
        reverse("employers:api-keys", args=[employer_organisation.pk]),
        {"name": "Payroll", "scopes": ["staff:read"], **typed_date("expires_on", expires)},
    )

    assert response.status_code == 200
    assert ApiKey.objects.get().expires_on == expires
    assert 'name="expires_on_0"' in response.content.decode()


def test_a_past_expiry_date_on_the_keys_page_is_explained_and_makes_nothing(
    client, employer, employer_organisation
):
    client.force_login(employer)

    response = client.post(
        reverse("employers:api-keys", args=[employer_organisation.pk]),
        {
            "name": "Payroll",
            "scopes": ["staff:read"],
            **typed_date("expires_on", timezone.localdate() - timedelta(days=1)),
        },
    )

    assert response.status_code == 400
    assert "The expiry date must be in the future" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_the_keys_page_shows_expired_keys_as_expired(
    client, employer, employer_organisation, clock
):
    _make(employer_organisation, employer, expires_on=timezone.localdate() + timedelta(days=1))
    clock.advance(timedelta(days=2))
    client.force_login(employer)

    page = client.get(reverse("employers:api-keys", args=[employer_organisation.pk]))

    assert "Expired" in page.content.decode()
    assert reverse("employers:api-key-revoke", args=[ApiKey.objects.get().pk]) not in (
        page.content.decode()
    )


def test_owners_see_the_live_keys_unused_for_90_days(
    client, employer, employer_organisation, clock
):
    start = timezone.now()
    never_used, _ = _make(employer_organisation, employer)
    used_long_ago, used_long_ago_full = _make(employer_organisation, employer)
    used_lately, used_lately_full = _make(employer_organisation, employer)
    revoked, _ = _make(employer_organisation, employer)
    clock.set(start + timedelta(days=10))
    api_keys.api_key_authenticate(presented=used_long_ago_full)
    api_keys.api_key_revoke(api_key=revoked, user=employer)
    clock.set(start + timedelta(days=101))
    api_keys.api_key_authenticate(presented=used_lately_full)
    client.force_login(employer)

    response = client.get(reverse("employers:api-keys", args=[employer_organisation.pk]))

    unused = {key.pk for key in response.context["keys"] if key.unused}
    assert unused == {never_used.pk, used_long_ago.pk}
    text = response.content.decode()
    assert "2 keys still work but have not been used for 90 days." in text
    assert text.count("Not used for 90 days") == 2


def test_nothing_is_pointed_out_when_every_key_was_used_lately(
    client, employer, employer_organisation
):
    _make(employer_organisation, employer)
    client.force_login(employer)

    text = client.get(reverse("employers:api-keys", args=[employer_organisation.pk])).content
    assert b"have not been used for 90 days" not in text
    assert b"Not used for 90 days" not in text
