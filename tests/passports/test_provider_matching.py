"""Issue 17, finding 1: a training provider could learn any registered worker's date of birth.

Anyone could make a training-provider organisation, upload a CSV of guessed dates of birth for a
worker's public registration number, and read the right one off the preview's per-line errors
and its "N ready to record" (or ask the API one guess at a time). Now only a provider a registrar
approved records at all; a file is never answered row by row about who matched; and failed
matches count against a small daily limit, per provider and per person, that registrars see.
"""

import re
import threading
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation
from core.models import AuditEvent
from passports.models import (
    ImportBatch,
    MatchFailure,
    ProviderApproval,
    ProviderApprovalRequest,
    TrainingRecord,
)
from passports.services import providers, records
from register.registration_numbers import format_number
from tests.dates import typed_date
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    RegisterEntryFactory,
    UserFactory,
)

HEADER = "registration_number,date_of_birth,standard_code,completed_on"
BORN = date(1990, 5, 17)  # ApplicationFactory's date of birth
WRONG = [date(1990, 5, 18), date(1989, 1, 2), date(1991, 7, 30), date(1985, 3, 3)]
LIMIT = 5


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.TRAINING_MATCH_FAILURES_PER_DAY = LIMIT


def today():
    return timezone.localdate()


def csv_file(*rows):
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return SimpleUploadedFile("training.csv", text.encode(), content_type="text/csv")


def row(number, born, completed_on=None, code="moving-and-handling"):
    completed_on = completed_on or today() - timedelta(days=7)
    return f"{number},{born.isoformat()},{code},{completed_on.isoformat()}"


def upload(user, organisation, *rows):
    return records.training_import_upload(
        provider=organisation, uploaded_by=user, upload=csv_file(*rows)
    )


def record_one(user, organisation, entry, born, standard):
    return records.training_record_create_by_provider(
        provider=organisation,
        recorded_by=user,
        registration_number=entry.registration_number,
        date_of_birth=born,
        standard=standard,
        completed_on=today() - timedelta(days=3),
    )


def fail_once(user, organisation, standard, *, nobody=None):
    """One failed match: a registration number nobody holds."""
    number = nobody or format_number(9_000_000 + MatchFailure.objects.count())
    with pytest.raises(records.TrainingRecordError, match="No registered worker matches"):
        records.training_record_create_by_provider(
            provider=organisation,
            recorded_by=user,
            registration_number=number,
            date_of_birth=BORN,
            standard=standard,
            completed_on=today() - timedelta(days=3),
        )


# --- 1. Only approved providers record at all ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("born", [BORN, WRONG[0]], ids=["right date", "wrong date"])
def test_an_unapproved_providers_upload_is_refused_before_anyone_is_matched(
    provider, provider_organisation, entry, standard, born
):
    with pytest.raises(records.ProviderNotApproved) as refused:
        upload(provider, provider_organisation, row(entry.registration_number, born))

    assert "a registrar must approve it as a training provider first" in str(refused.value)
    assert not ImportBatch.objects.exists()
    assert not MatchFailure.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="passports.import").exists()


@pytest.mark.django_db
def test_a_previewed_file_cannot_be_committed_once_the_approval_is_withdrawn(
    provider, provider_organisation, approved, entry, standard, registrar
):
    batch, check = upload(provider, provider_organisation, row(entry.registration_number, BORN))
    assert check.is_ready
    providers.provider_approval_withdraw(provider=provider_organisation, registrar=registrar)

    with pytest.raises(records.ProviderNotApproved):
        records.training_import_commit(batch=batch, committed_by=provider)

    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_a_provider_whose_approval_is_withdrawn_can_no_longer_open_its_previews(
    client, provider, provider_organisation, approved, entry, standard, registrar
):
    batch, _check = upload(provider, provider_organisation, row(entry.registration_number, BORN))
    providers.provider_approval_withdraw(provider=provider_organisation, registrar=registrar)
    client.force_login(provider)

    response = client.get(
        reverse("passports:provider-import-preview", args=[provider_organisation.pk, batch.pk])
    )

    assert response.status_code == 403
    assert "is not approved to record training yet" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["passports:provider-record-new", "passports:provider-import"])
def test_an_unapproved_provider_is_shown_how_to_get_approved_instead_of_a_form(
    client, provider, provider_organisation, page
):
    client.force_login(provider)

    response = client.get(reverse(page, args=[provider_organisation.pk]))

    assert response.status_code == 403
    text = response.content.decode()
    assert "Skills Ltd is not approved to record training yet" in text
    assert "Ask a registrar to approve" in text
    assert 'name="registration_number"' not in text and 'name="upload"' not in text


@pytest.mark.django_db
def test_an_unapproved_providers_post_through_the_form_records_nothing(
    client, provider, provider_organisation, entry, standard
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]),
        {
            "registration_number": entry.registration_number,
            **typed_date("date_of_birth", BORN),
            "standard": standard.pk,
            **typed_date("completed_on", today()),
        },
    )

    assert response.status_code == 403
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
def test_an_unapproved_providers_records_page_says_so_and_offers_no_upload(
    client, provider, provider_organisation
):
    client.force_login(provider)

    page = client.get(
        reverse("passports:provider-records", args=[provider_organisation.pk])
    ).content.decode()

    assert "cannot record or upload training yet" in page
    assert reverse("passports:provider-import", args=[provider_organisation.pk]) not in page


# --- 2. A failed match is never answered row by row --------------------------------------------


@pytest.mark.django_db
def test_guessing_several_dates_of_birth_in_one_file_gives_the_same_answer_whichever_is_right(
    provider, provider_organisation, approved, entry, standard
):
    """The attack of the issue: one right date among wrong ones. The file is refused for its
    own values, the same way whether or not one of the dates is the worker's."""
    number = entry.registration_number
    with_right = [row(number, BORN), *(row(number, born) for born in WRONG)]
    all_wrong = [row(number, date(1970, 1, 1)), *(row(number, born) for born in WRONG)]

    answers = []
    for rows in (with_right, all_wrong):
        batch, check = upload(provider, provider_organisation, *rows)
        answers.append(([str(error) for error in check.errors], check.unmatched_rows, batch.status))

    assert answers[0] == answers[1]
    assert answers[0][0][0] == (
        f"Line 3: this row gives {number} a different date of birth from line 2: a worker has "
        "one date of birth"
    )
    assert answers[0][1] is None, "the rows were never matched"
    assert not MatchFailure.objects.exists()


@pytest.mark.django_db
def test_a_file_whose_rows_do_not_all_match_is_refused_with_a_count_and_no_line(
    client, clock, settings, provider, provider_organisation, approved, standard
):
    """Which row holds the right date must make no difference to anything the provider sees."""
    settings.TRAINING_MATCH_FAILURES_PER_DAY = 10
    clock.set(timezone.make_aware(datetime(2026, 6, 1, 12, 0)))
    workers = RegisterEntryFactory.create_batch(3)
    client.force_login(provider)
    pages = []
    for right in range(3):
        rows = [
            row(worker.registration_number, BORN if index == right else WRONG[index])
            for index, worker in enumerate(workers)
        ]
        response = client.post(
            reverse("passports:provider-import", args=[provider_organisation.pk]),
            {"upload": csv_file(*rows)},
            follow=True,
        )
        batch = ImportBatch.objects.latest("pk")
        assert batch.status == ImportBatch.Status.FAILED
        assert batch.unmatched_rows == 2
        page = re.sub(r" in [0-9.]+ s\.", " in a moment.", response.content.decode())
        pages.append(page.split("<h1>")[1].split("</main>")[0])

    assert pages[0] == pages[1] == pages[2]
    assert "2 rows of this file do not match a registered worker" in pages[0]
    assert "Nothing was recorded" in pages[0]
    assert "ready to record" not in pages[0]
    assert "Line " not in pages[0]
    assert not TrainingRecord.objects.exists()
    # Each refused file counted its two failed matches.
    assert [failure.failed for failure in MatchFailure.objects.order_by("pk")] == [2, 2, 2]


@pytest.mark.django_db
def test_a_refused_file_is_never_matched_later_by_showing_its_preview(
    client, clock, provider, provider_organisation, approved, entry, standard
):
    """A row with tomorrow's completion date stops the file before matching; once tomorrow
    comes, the preview must not match it for free."""
    clock.set(timezone.make_aware(datetime(2026, 6, 1, 12, 0)))
    tomorrow = today() + timedelta(days=1)
    batch, check = upload(
        provider, provider_organisation, row(entry.registration_number, WRONG[0], tomorrow)
    )
    assert check.unmatched_rows is None
    clock.advance(timedelta(days=2))
    client.force_login(provider)

    page = client.get(
        reverse("passports:provider-import-preview", args=[provider_organisation.pk, batch.pk])
    ).content.decode()

    assert "do not match" not in page
    assert "ready to record" not in page
    assert "Nothing in this file was recorded" in page
    assert not MatchFailure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("30", "2", "1990"), "The worker's date of birth must be a real date"),
        (("17", "5", ""), "The worker's date of birth must include a year"),
        (("17", "5", "2990"), "The worker's date of birth must be in the past"),
    ],
)
def test_a_date_of_birth_that_cannot_be_right_is_refused_before_it_counts_as_a_failed_match(
    client, provider, provider_organisation, approved, entry, standard, typed, message
):
    client.force_login(provider)
    day, month, year = typed

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]),
        {
            "registration_number": entry.registration_number,
            "date_of_birth_0": day,
            "date_of_birth_1": month,
            "date_of_birth_2": year,
            "standard": standard.pk,
            **typed_date("completed_on", today()),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"date_of_birth": [message]}
    assert not MatchFailure.objects.exists()
    assert not TrainingRecord.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("wrong", "read"),
    [
        (typed_date("date_of_birth", WRONG[0]), "{number} and 18 May 1990"),
        (
            {"registration_number": format_number(9_999_999)},
            f"{format_number(9_999_999)} and 17 May 1990",
        ),
    ],
    ids=["wrong date of birth", "no such number"],
)
def test_the_form_answers_a_wrong_date_and_an_unknown_number_alike_reading_back_what_was_typed(
    client, provider, provider_organisation, approved, entry, standard, wrong, read
):
    client.force_login(provider)
    data = {
        "registration_number": entry.registration_number.lower(),
        **typed_date("date_of_birth", BORN),
        "standard": standard.pk,
        **typed_date("completed_on", today()),
        **wrong,
    }

    response = client.post(
        reverse("passports:provider-record-new", args=[provider_organisation.pk]), data
    )

    # The failed match counts towards the day's limit, so the page says what it read: a
    # misread date can't burn an attempt unseen.
    read = read.format(number=entry.registration_number)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "__all__": [
            "No registered worker matches that registration number and date of birth. "
            f"You entered {read}."
        ]
    }
    assert MatchFailure.objects.get().failed == 1


# --- 3. Failed matches are counted and locked out past a daily limit ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("cache_kind", ["memory", "database"])
def test_past_the_daily_limit_even_a_right_date_is_refused_until_tomorrow(
    request, clock, provider, provider_organisation, approved, entry, standard, cache_kind
):
    if cache_kind == "database":
        request.getfixturevalue("database_cache")
    clock.set(timezone.make_aware(datetime(2026, 6, 1, 9, 0)))
    for _ in range(LIMIT):
        fail_once(provider, provider_organisation, standard)

    with pytest.raises(records.MatchLockedOut) as refused:
        record_one(provider, provider_organisation, entry, BORN, standard)

    assert str(refused.value).startswith("Recording training is paused until tomorrow")
    assert not TrainingRecord.objects.exists()
    assert AuditEvent.objects.filter(action="passports.match.locked_out").count() == 1
    assert MatchFailure.objects.latest("pk").locked_out

    clock.set(timezone.make_aware(datetime(2026, 6, 2, 0, 1)))
    assert record_one(provider, provider_organisation, entry, BORN, standard).pk


@pytest.mark.django_db
def test_the_limit_holds_for_the_whole_provider_whoever_of_its_members_guesses(
    provider, provider_organisation, approved, entry, standard
):
    colleague = MembershipFactory(
        organisation=provider_organisation, role=Membership.Role.MEMBER
    ).user
    for _ in range(LIMIT):
        fail_once(provider, provider_organisation, standard)

    with pytest.raises(records.MatchLockedOut):
        record_one(colleague, provider_organisation, entry, BORN, standard)
    with pytest.raises(records.MatchLockedOut):
        upload(colleague, provider_organisation, row(entry.registration_number, BORN))


@pytest.mark.django_db
def test_the_limit_follows_the_person_to_another_provider(
    provider, provider_organisation, approved, entry, standard
):
    second = OrganisationFactory(name="Second Skills", kind=Organisation.Kind.TRAINING_PROVIDER)
    MembershipFactory(organisation=second, user=provider, role=Membership.Role.OWNER)
    ProviderApproval.objects.create(organisation=second, approved_by=UserFactory(is_staff=True))
    for _ in range(LIMIT):
        fail_once(provider, provider_organisation, standard)

    with pytest.raises(records.MatchLockedOut):
        record_one(provider, second, entry, BORN, standard)


@pytest.mark.django_db
def test_a_right_match_is_not_counted(provider, provider_organisation, approved, standard):
    workers = RegisterEntryFactory.create_batch(LIMIT + 2)

    for index, worker in enumerate(workers):
        record_one(provider, provider_organisation, worker, BORN, standard)
        upload(
            provider,
            provider_organisation,
            row(worker.registration_number, BORN, today() - timedelta(days=20 + index)),
        )

    assert TrainingRecord.objects.count() == LIMIT + 2
    assert not MatchFailure.objects.exists()


@pytest.mark.django_db
def test_a_file_counts_each_worker_who_did_not_match_and_past_the_limit_shows_no_count(
    provider, provider_organisation, approved, standard
):
    first = RegisterEntryFactory.create_batch(3)
    batch, check = upload(
        provider, provider_organisation, *(row(w.registration_number, WRONG[0]) for w in first)
    )
    assert (check.unmatched_rows, check.failed_matches) == (3, 3)
    assert MatchFailure.objects.get().failed == 3

    # Two more allowed, so a file naming three more workers (one of them right) meets the limit:
    # it is refused as locked out, without the count that would say one of them matched.
    more = RegisterEntryFactory.create_batch(3)
    rows = [row(more[0].registration_number, BORN)]
    rows += [row(w.registration_number, WRONG[1]) for w in more[1:]]
    rows += [row(RegisterEntryFactory().registration_number, WRONG[2])]
    with pytest.raises(records.MatchLockedOut):
        upload(provider, provider_organisation, *rows)

    assert ImportBatch.objects.count() == 1, "the refused file is not kept to be previewed"
    latest = MatchFailure.objects.latest("pk")
    assert (latest.failed, latest.locked_out, latest.batch) == (3, True, None)
    failed = AuditEvent.objects.filter(action="passports.match.failed")
    assert failed.count() == 2
    # What registrars see names the provider and the person, never the workers tried.
    for event in failed:
        for worker in [*first, *more]:
            assert worker.registration_number not in str(event.data)
        assert "1990" not in str(event.data) and "1989" not in str(event.data)


@pytest.mark.django_db(transaction=True)
def test_guesses_made_at_once_never_get_past_the_limit(
    database_cache_for_threads, provider, standard
):
    """Counted before matching: twelve wrong guesses at once, and only the limit of them are
    even looked up."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite allows one writer at a time; the race needs PostgreSQL.")
    organisation = provider.organisations.get()
    ProviderApproval.objects.create(organisation=organisation, approved_by=UserFactory())
    entry = RegisterEntryFactory()
    outcomes = []
    barrier = threading.Barrier(12)

    def guess(index):
        try:
            barrier.wait()
            born = date(1960, 1, 1) + timedelta(days=index)
            record_one(provider, organisation, entry, born, standard)
            outcomes.append("recorded")
        except records.MatchLockedOut:
            outcomes.append("locked out")
        except records.TrainingRecordError:
            outcomes.append("no match")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(index,)) for index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("no match") == LIMIT
    assert outcomes.count("locked out") == 12 - LIMIT
    assert MatchFailure.objects.count() == LIMIT


# --- The API -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_refuses_an_unapproved_provider_and_locks_out_past_the_limit(
    client, provider, provider_organisation, approved, entry, standard
):
    client.force_login(provider)
    url = reverse("api:training-records")

    def post(born):
        return client.post(
            url,
            {
                "provider": provider_organisation.pk,
                "registration_number": entry.registration_number,
                "date_of_birth": born.isoformat(),
                "standard": standard.code,
                "completed_on": today().isoformat(),
            },
            content_type="application/json",
        )

    answers = {post(born).json()["error"]["message"] for born in WRONG}
    answers.add(post(date(1970, 1, 1)).json()["error"]["message"])
    assert answers == {"No registered worker matches that registration number and date of birth"}

    response = post(BORN)

    assert response.status_code == 429
    assert response.json()["error"]["message"].startswith("Recording training is paused")
    assert not TrainingRecord.objects.exists()


# --- Registrars approve, withdraw, and see the failed matches ----------------------------------


@pytest.mark.django_db
def test_a_registrar_approves_and_withdraws_a_provider_from_the_providers_page(
    client, registrar, provider, provider_organisation, entry, standard
):
    client.force_login(registrar)
    approve = reverse("passports:registrar-provider-approve", args=[provider_organisation.pk])
    withdraw = reverse("passports:registrar-provider-withdraw", args=[provider_organisation.pk])

    page = client.get(reverse("passports:registrar-providers")).content.decode()
    assert "Skills Ltd" in page and "Not approved" in page and approve in page

    response = client.post(approve, follow=True)
    assert "Skills Ltd is approved: it can record training." in response.content.decode()
    assert record_one(provider, provider_organisation, entry, BORN, standard).status == "verified"
    approved = AuditEvent.objects.get(action="passports.provider.approved")
    assert (approved.actor_id, approved.new_status) == (registrar.pk, "approved")

    response = client.post(withdraw, follow=True)
    assert "approval is withdrawn" in response.content.decode()
    withdrawn = AuditEvent.objects.get(action="passports.provider.withdrawn")
    assert (withdrawn.old_status, withdrawn.new_status) == ("approved", "withdrawn")
    with pytest.raises(records.ProviderNotApproved):
        record_one(provider, provider_organisation, entry, BORN, standard)

    client.post(approve)
    assert ProviderApproval.objects.get().is_current
    assert AuditEvent.objects.filter(action="passports.provider.approved").order_by(
        "pk"
    ).last().old_status == ("withdrawn")


@pytest.mark.django_db
def test_a_registrar_never_approves_a_provider_they_belong_to(registrar, provider_organisation):
    MembershipFactory(organisation=provider_organisation, user=registrar)

    with pytest.raises(providers.ProviderApprovalError, match="never one they belong to"):
        providers.provider_approve(provider=provider_organisation, registrar=registrar)

    assert not ProviderApproval.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["provider", "employer", "registrar_without_mfa"])
def test_nobody_but_a_registrar_with_mfa_approves_a_provider(
    request, provider_organisation, persona
):
    with pytest.raises(providers.ProviderApprovalError):
        providers.provider_approve(
            provider=provider_organisation, registrar=request.getfixturevalue(persona)
        )

    assert not ProviderApproval.objects.exists()


@pytest.mark.django_db
def test_registrars_see_who_failed_to_match_and_who_is_locked_out(
    client, registrar, provider, provider_organisation, approved, standard, other_provider
):
    for _ in range(LIMIT):
        fail_once(provider, provider_organisation, standard)
    other_organisation = other_provider.organisations.get()
    ProviderApproval.objects.create(organisation=other_organisation, approved_by=registrar)
    fail_once(other_provider, other_organisation, standard)
    client.force_login(registrar)

    response = client.get(reverse("passports:registrar-providers"))

    rows = {row.provider.name: row for row in response.context["providers"]}
    assert (rows["Skills Ltd"].failed_today, rows["Skills Ltd"].locked_out_today) == (LIMIT, True)
    other = rows["Other Training Ltd"]
    assert (other.failed_today, other.locked_out_today) == (1, False)
    people = {row.user.email: row for row in response.context["members"]}
    assert people[provider.email].locked_out_today
    assert people[other_provider.email].failed_total == 1
    page = response.content.decode()
    assert page.count("(locked out until midnight)") == 2  # Skills Ltd, and its member


# --- A provider asks to be approved ------------------------------------------------------------


@pytest.mark.django_db
def test_a_provider_asks_a_registrar_to_approve_it_and_the_registrar_sees_it(
    client, provider, provider_organisation, registrar, other_provider
):
    ask = reverse("passports:provider-approval-request", args=[provider_organisation.pk])
    client.force_login(provider)

    response = client.post(ask, {"about": "Moving and handling, by qualified trainers."})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Your request is sent: a registrar will check Skills Ltd and approve it." in page
    assert "Skills Ltd asked to be approved on" in page
    event = AuditEvent.objects.get(action="passports.provider.approval_requested")
    assert (event.actor_id, event.target_id) == (provider.pk, str(provider_organisation.pk))

    again = client.post(ask, {"about": "Please."})
    assert again.status_code == 400
    assert "Skills Ltd has already asked to be approved" in again.content.decode()

    client.force_login(registrar)
    response = client.get(reverse("passports:registrar-providers"))
    first = response.context["providers"][0]
    assert (first.provider, first.asked.about) == (
        provider_organisation,
        "Moving and handling, by qualified trainers.",
    )
    assert "Asked to be approved" in response.content.decode()

    providers.provider_approve(provider=provider_organisation, registrar=registrar)
    assert not ProviderApprovalRequest.objects.exists()


@pytest.mark.django_db
def test_asking_to_be_approved_needs_what_training_the_provider_delivers(
    client, provider, provider_organisation
):
    client.force_login(provider)

    response = client.post(
        reverse("passports:provider-approval-request", args=[provider_organisation.pk]),
        {"about": "  "},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "about": ["Say what training your organisation delivers, for the registrar who checks it"]
    }
    assert not ProviderApprovalRequest.objects.exists()


@pytest.mark.django_db
def test_only_a_member_asks_for_a_provider_and_an_approved_one_need_not(
    client, provider, provider_organisation, other_provider, approved
):
    client.force_login(other_provider)
    ask = reverse("passports:provider-approval-request", args=[provider_organisation.pk])

    assert client.post(ask, {"about": "Courses."}).status_code == 404

    with pytest.raises(providers.ProviderApprovalError, match="already approved"):
        providers.provider_approval_request(
            provider=provider_organisation, user=provider, about="Courses."
        )
    assert not ProviderApprovalRequest.objects.exists()
