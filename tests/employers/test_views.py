"""The pages: a worker makes a code and sees its use; an employer checks it and adds them."""

import re
from datetime import date

import pytest
from django.urls import reverse

from employers.models import (
    ApiKey,
    ShareCode,
    ShareCodeCheck,
    StaffMembership,
    WebhookEndpoint,
)
from employers.services import sharecodes
from tests.dates import typed_date
from tests.factories import DATE_OF_BIRTH

pytestmark = pytest.mark.django_db


def test_a_worker_sees_a_new_code_once_then_only_its_masked_form(client, worker, entry_in_own_role):
    client.force_login(worker)

    made = client.post(
        reverse("employers:share-codes"), {"label": "Sunrise", "shares_identity_checks": "on"}
    )

    page = made.content.decode()
    shown = re.search(r'id="new-share-code">([A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3})<', page)
    assert shown is not None
    code = shown.group(1)
    stored = ShareCode.objects.get()
    assert stored.code_hash == sharecodes.share_code_hash(code) and stored.shares_identity_checks
    assert made["Cache-Control"].startswith("max-age=0")
    later = client.get(reverse("employers:share-codes")).content.decode()
    assert code not in later and stored.masked in later


def test_an_employer_checks_a_code_sees_the_record_and_adds_the_worker(
    client, share_code, employer, employer_organisation, entry_in_own_role, worker
):
    client.force_login(employer)

    result = client.post(
        reverse("employers:check", args=[employer_organisation.pk]),
        {"code": share_code[1].lower(), **typed_date("date_of_birth", DATE_OF_BIRTH)},
    )

    page = result.content.decode()
    assert result.status_code == 200
    assert entry_in_own_role.registration_number in page and "Registered" in page
    check_id = re.search(r'name="check" value="(\d+)"', page).group(1)
    added = client.post(
        reverse("employers:staff-add", args=[employer_organisation.pk]), {"check": check_id}
    )
    assert added.status_code == 302
    assert StaffMembership.objects.get().entry == entry_in_own_role
    staff_page = client.get(added["Location"]).content.decode()
    assert "Wendy Worker is now on your staff list." in staff_page

    client.force_login(worker)
    log = client.get(reverse("employers:share-codes")).content.decode()
    assert "Sunrise Care Homes" in log and "Emma Employer" in log and "Saw your record" in log
    assert "Employers who list you as staff" in log


def test_a_refused_code_shows_one_message_and_too_many_get_a_429(
    client, employer, employer_organisation, settings
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 1
    client.force_login(employer)
    url = reverse("employers:check", args=[employer_organisation.pk])

    typed = {"code": "ZZZ-ZZZ-ZZZ", **typed_date("date_of_birth", DATE_OF_BIRTH)}
    refused = client.post(url, typed)
    limited = client.post(url, typed)

    assert refused.status_code == 400
    assert sharecodes.NOT_ACCEPTED_MESSAGE in refused.content.decode()
    assert limited.status_code == 429
    assert sharecodes.RATE_LIMITED_MESSAGE in limited.content.decode()


def test_a_wrong_date_of_birth_is_read_back_so_a_misread_cannot_burn_an_attempt_unseen(
    client, share_code, employer, employer_organisation
):
    client.force_login(employer)
    url = reverse("employers:check", args=[employer_organisation.pk])

    refused = client.post(
        url, {"code": share_code[1].lower(), **typed_date("date_of_birth", date(1990, 5, 18))}
    )

    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [
        f"{sharecodes.NOT_ACCEPTED_MESSAGE} You entered the code "
        f"{sharecodes.share_code_format(share_code[1])} and the date of birth 18 May 1990."
    ]
    assert ShareCodeCheck.objects.get().outcome == ShareCodeCheck.Outcome.WRONG_DATE_OF_BIRTH


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("31", "2", "1990"), "The worker's date of birth must be a real date"),
        (("17", "", "1990"), "The worker's date of birth must include a month"),
        (("17", "5", "90"), "The worker's date of birth must include a year with 4 numbers"),
        (("17", "5", "2990"), "The worker's date of birth must be in the past"),
    ],
)
def test_a_date_of_birth_that_cannot_be_right_is_refused_before_it_counts_as_an_attempt(
    client, share_code, employer, employer_organisation, settings, typed, message
):
    settings.SHARE_CODE_FAILURES_PER_HOUR = 1
    client.force_login(employer)
    url = reverse("employers:check", args=[employer_organisation.pk])
    day, month, year = typed

    for _ in range(3):
        refused = client.post(
            url,
            {
                "code": share_code[1],
                "date_of_birth_0": day,
                "date_of_birth_1": month,
                "date_of_birth_2": year,
            },
        )
        assert refused.status_code == 400
        assert refused.context["form"].errors == {"date_of_birth": [message]}
    assert not ShareCodeCheck.objects.exists()
    # Nothing was counted: the one failure the hour allows is still there, and then the right
    # date opens the record.
    accepted = client.post(
        url, {"code": share_code[1], **typed_date("date_of_birth", DATE_OF_BIRTH)}
    )
    assert accepted.status_code == 200
    assert ShareCodeCheck.objects.get().outcome == ShareCodeCheck.Outcome.ACCEPTED


def test_an_owner_makes_and_revokes_an_api_key_on_the_organisation_page(
    client, employer, employer_organisation
):
    client.force_login(employer)
    detail = client.get(reverse("accounts:organisation-detail", args=[employer_organisation.pk]))
    assert reverse("employers:api-keys", args=[employer_organisation.pk]) in detail.content.decode()

    made = client.post(
        reverse("employers:api-keys", args=[employer_organisation.pk]),
        {"name": "HR system", "scopes": ["staff:read", "sharecodes:check"]},
    )

    key = re.search(
        r'id="new-api-key">(cr_live_[0-9a-f]{12}_[A-Za-z0-9_-]{43})<', made.content.decode()
    )
    assert key is not None
    api_key = ApiKey.objects.get()
    assert api_key.scopes == ["sharecodes:check", "staff:read"]
    listing = client.get(reverse("employers:api-keys", args=[employer_organisation.pk]))
    assert key.group(1) not in listing.content.decode()
    client.post(reverse("employers:api-key-revoke", args=[api_key.pk]))
    api_key.refresh_from_db()
    assert api_key.revoked_at is not None


def test_an_api_key_without_scopes_is_refused_with_a_message(
    client, employer, employer_organisation
):
    client.force_login(employer)

    response = client.post(
        reverse("employers:api-keys", args=[employer_organisation.pk]), {"name": "HR"}
    )

    assert response.status_code == 400
    assert "Choose at least one thing the key may do" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_an_owner_sets_a_webhook_and_sees_the_secret_once(client, employer, employer_organisation):
    client.force_login(employer)
    url = reverse("employers:webhook", args=[employer_organisation.pk])

    made = client.post(url, {"url": "https://hr.example.org/hooks"})

    secret = WebhookEndpoint.objects.get().secret
    assert secret in made.content.decode()
    assert secret not in client.get(url).content.decode()
    client.post(url, {"action": "remove"})
    assert WebhookEndpoint.objects.get().is_active is False


def test_the_result_says_when_the_worker_is_already_on_the_staff_list(
    client, share_code, accepted_check, employer, employer_organisation
):
    from employers.services import staff

    staff.staff_add(organisation=employer_organisation, user=employer, check=accepted_check)
    client.force_login(employer)

    result = client.post(
        reverse("employers:check", args=[employer_organisation.pk]),
        {"code": share_code[1], **typed_date("date_of_birth", DATE_OF_BIRTH)},
    )

    page = result.content.decode()
    assert "Wendy Worker is on your staff list." in page
    assert "Add to your staff list" not in page
