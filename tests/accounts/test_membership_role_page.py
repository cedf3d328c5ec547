"""The page where an owner changes a member's role: it warns before a demotion that would
revoke the member's API keys, and says afterwards how many were."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from employers.models import ApiKey
from tests.accounts.conftest import make_key

pytestmark = pytest.mark.django_db


def test_the_role_page_warns_which_keys_a_demotion_would_revoke(
    client, employer, employer_organisation, second_owner
):
    make_key(employer_organisation, second_owner.user, "HR system")
    make_key(employer_organisation, second_owner.user, "Rota")
    client.force_login(employer)

    detail = client.get(reverse("accounts:organisation-detail", args=[employer_organisation.pk]))
    url = reverse("accounts:organisation-membership-role", args=[second_owner.pk])
    page = client.get(url)

    assert url in detail.content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 API keys will stop working if they are no longer an owner" in html
    assert "HR system" in html and "Rota" in html


def test_the_role_page_has_no_key_warning_for_someone_without_keys(client, employer, second_owner):
    client.force_login(employer)

    page = client.get(reverse("accounts:organisation-membership-role", args=[second_owner.pk]))

    assert page.status_code == 200
    assert 'id="api-keys-warning"' not in page.content.decode()


def test_demoting_on_the_page_says_how_many_keys_were_revoked(
    client, employer, employer_organisation, second_owner
):
    make_key(employer_organisation, second_owner.user, "HR system")
    make_key(employer_organisation, second_owner.user, "Rota")
    client.force_login(employer)

    response = client.post(
        reverse("accounts:organisation-membership-role", args=[second_owner.pk]),
        {"role": "member"},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "accounts:organisation-detail", args=[employer_organisation.pk]
    )
    assert "Owen Owner is now a member." in html
    assert "The 2 API keys they made were revoked: make new ones if your systems need them." in (
        html
    )
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 0


def test_the_page_shows_why_the_last_owner_cannot_be_demoted(
    client, employer, employer_organisation
):
    client.force_login(employer)

    refused = client.post(
        reverse("accounts:organisation-membership-role", args=[employer.memberships.get().pk]),
        {"role": "member"},
    )

    assert refused.status_code == 400
    assert "An organisation needs at least one owner." in refused.content.decode()
    assert employer.memberships.get().role == Membership.Role.OWNER
