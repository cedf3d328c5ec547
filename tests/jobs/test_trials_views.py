# ruff: noqa: F811  (pytest fixtures imported from tests/jobs/trial_fixtures.py)
"""The paid trial pages: who may open each, and what each does when the employer and the
candidate use them: offering (and the refusals shown), answering, recording hours, confirming
pay, feedback, the outcome and the owners' page of overdue pay."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.models import Application, JobTrial, TrialPay
from jobs.services import trials
from tests.factories import MembershipFactory, OrganisationFactory
from tests.jobs.trial_fixtures import an_offer, pat, tomorrow_at, vacancy  # noqa: F401

Stage = Application.Stage


@pytest.fixture
def trial(pat, employer):
    return trials.trial_offer(application=pat, actor=employer, offer=an_offer())


@pytest.fixture
def other_employer(db):
    return MembershipFactory(
        user__email="other-employer@example.org", organisation=OrganisationFactory()
    ).user


def _urls(reference, organisation_pk):
    employer = f"/employer/job-applications/{reference}/trial/"
    mine = f"/my-applications/{reference}/trial/"
    return {
        "trial": employer,
        "offer": employer + "offer/",
        "retime": employer + "new-time/",
        "cancel": employer + "cancel/",
        "hours": employer + "hours/",
        "feedback": employer + "feedback/",
        "outcome": employer + "outcome/",
        "pay": f"/employer/organisations/{organisation_pk}/trial-pay/",
        "mine": mine,
        "answer": mine + "answer/",
        "mine-pay": mine + "pay/",
        "mine-feedback": mine + "feedback/",
    }


PEOPLE = [
    "anonymous",
    "applicant",
    "other_worker",
    "employer",
    "employer_member",
    "other_employer",
    "registrar",
]
# page: anonymous applicant other_worker employer(owner) employer_member other_employer registrar
TABLE = {
    "trial": "302 404 404 200 200 404 404",
    "offer": "302 404 404 200 200 404 404",
    "retime": "302 405 405 405 405 405 405",
    "cancel": "302 405 405 405 405 405 405",
    "hours": "302 405 405 405 405 405 405",
    "feedback": "302 405 405 405 405 405 405",
    "outcome": "302 405 405 405 405 405 405",
    "pay": "302 404 404 200 404 404 404",
    "mine": "302 200 404 404 404 404 404",
    "answer": "302 405 405 405 405 405 405",
    "mine-pay": "302 405 405 405 405 405 405",
    "mine-feedback": "302 405 405 405 405 405 405",
}
# The POSTs: each refuses anyone but its side with a 404, before any change.
POST_TABLE = {
    "retime": "302 404 404 - - 404 404",
    "cancel": "302 404 404 - - 404 404",
    "hours": "302 404 404 - - 404 404",
    "feedback": "302 404 404 - - 404 404",
    "outcome": "302 404 404 - - 404 404",
    "answer": "302 - 404 404 404 404 404",
    "mine-pay": "302 - 404 404 404 404 404",
    "mine-feedback": "302 - 404 404 404 404 404",
}


@pytest.fixture
def people(trial, pat, other_worker, employer, employer_member, other_employer, registrar):
    return {
        "anonymous": None,
        "applicant": pat.applicant,
        "other_worker": other_worker,
        "employer": employer,
        "employer_member": employer_member,
        "other_employer": other_employer,
        "registrar": registrar,
    }


def test_each_page_answers_each_person_as_the_table_says(client, trial, pat, people):
    observed = {}
    for name, url in _urls(pat.reference, pat.vacancy.organisation_id).items():
        codes = []
        for person in PEOPLE:
            client.logout()
            if people[person] is not None:
                client.force_login(people[person])
            codes.append(str(client.get(url).status_code))
        observed[name] = " ".join(codes)
    assert observed == TABLE


def test_each_action_refuses_anyone_but_its_own_side(client, trial, pat, people):
    observed = {}
    urls = _urls(pat.reference, pat.vacancy.organisation_id)
    for name, expected in POST_TABLE.items():
        codes = []
        for person, code in zip(PEOPLE, expected.split(), strict=True):
            if code == "-":
                codes.append("-")
                continue
            client.logout()
            if people[person] is not None:
                client.force_login(people[person])
            codes.append(
                str(client.post(urls[name], {"reason": "x", "answer": "accept"}).status_code)
            )
        observed[name] = " ".join(codes)
    assert observed == POST_TABLE
    trial.refresh_from_db()
    assert trial.status == JobTrial.Status.OFFERED


def _offer_form(**overrides):
    start = tomorrow_at(10)
    data = {
        "kind": "observation",
        "starts_at_0": start.day,
        "starts_at_1": start.month,
        "starts_at_2": start.year,
        "starts_at_3": "10:00",
        "length_hours": "3",
        "induction_minutes": "30",
        "hourly_rate": "13.50",
        "cancellation_pay_hours": "2",
        "place": "Sunrise House, Leeds",
        "supervisor_name": "Sue Senior",
        "what_you_will_do": "Meet residents.",
        "what_to_bring": "Flat shoes.",
        "getting_there": "Bus 42.",
    }
    data.update(overrides)
    return data


def test_the_employer_offers_a_trial_on_the_page(client, pat, employer):
    client.force_login(employer)
    response = client.post(
        f"/employer/job-applications/{pat.reference}/trial/offer/", _offer_form()
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    trial = JobTrial.objects.get()
    assert trial.hourly_rate == Decimal("13.50")
    page = client.get(f"/employer/job-applications/{pat.reference}/trial/").content.decode()
    assert "Sue Senior" in page
    assert "£27.00" in page


def test_the_offer_page_shows_a_refused_supervised_trial_beside_its_field(client, pat, employer):
    client.force_login(employer)
    response = client.post(
        f"/employer/job-applications/{pat.reference}/trial/offer/",
        _offer_form(kind="supervised"),
    )

    assert response.status_code == 400
    assert "barred-list check" in response.content.decode()
    assert not JobTrial.objects.exists()


def test_the_candidate_accepts_and_later_confirms_hours_and_pay(
    client, trial, pat, employer, clock
):
    client.force_login(pat.applicant)
    mine = f"/my-applications/{pat.reference}/trial/"
    assert "Sue Senior" in client.get(mine).content.decode()
    client.post(mine + "answer/", {"answer": "accept"})
    trial.refresh_from_db()
    assert trial.status == JobTrial.Status.ACCEPTED

    clock.set(trial.starts_at + timedelta(hours=4))
    client.force_login(employer)
    due = timezone.localdate() + timedelta(days=7)
    response = client.post(
        f"/employer/job-applications/{pat.reference}/trial/hours/",
        {"hours": "3", "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert TrialPay.objects.get().amount == Decimal("40.50")

    client.force_login(pat.applicant)
    client.post(mine + "pay/", {"confirm": "hours"})
    client.post(mine + "pay/", {"confirm": "paid"})
    assert TrialPay.objects.get().is_paid
    assert "I have been paid" not in client.get(mine).content.decode()


def test_feedback_is_private_to_the_two_sides_and_the_outcome_moves_the_application(
    client, trial, pat, employer, clock
):
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    clock.set(trial.starts_at + timedelta(hours=4))
    trials.trial_hours_record(trial=trial, actor=employer, hours="3")
    client.force_login(employer)
    base = f"/employer/job-applications/{pat.reference}/trial/"
    client.post(base + "feedback/", {"values": ["kind"], "text": "Warm with everyone."})

    client.force_login(pat.applicant)
    page = client.get(f"/my-applications/{pat.reference}/trial/").content.decode()
    assert "Warm with everyone." in page
    assert "Kind, compassionate and empathetic" in page
    feedback = trial.feedback.get()
    client.post(
        f"/my-applications/{pat.reference}/trial/feedback/",
        {"reply_to": feedback.pk, "text": "Thank you."},
    )
    feedback.refresh_from_db()
    assert feedback.reply == "Thank you."

    client.force_login(employer)
    response = client.post(base + "outcome/", {"to": "not_progressed", "message": ""})
    assert response.status_code == 400
    client.post(base + "outcome/", {"to": "offer", "message": "We would love you to join."})
    pat.refresh_from_db()
    assert pat.stage == Stage.OFFER


def test_the_owners_page_shows_overdue_pay(client, trial, pat, employer, clock):
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    clock.set(trial.starts_at + timedelta(hours=4))
    trials.trial_hours_record(trial=trial, actor=employer, hours="3")
    clock.set(trial.starts_at + timedelta(days=20))
    client.force_login(employer)

    page = client.get(f"/employer/organisations/{pat.vacancy.organisation_id}/trial-pay/")

    text = page.content.decode()
    overdue = text.split('id="overdue"')[1].split('id="owed"')[0]
    assert pat.reference in overdue
    assert "£40.50" in overdue


def test_the_owners_reach_the_trial_pay_page_from_their_organisation_page(
    client, employer, employer_member, pat
):
    organisation = pat.vacancy.organisation
    link = f'href="/employer/organisations/{organisation.pk}/trial-pay/"'

    client.force_login(employer)
    assert link in client.get(f"/organisations/{organisation.pk}/").content.decode()
    client.force_login(employer_member)
    assert link not in client.get(f"/organisations/{organisation.pk}/").content.decode()


def test_cancelling_a_started_trial_on_the_page_says_to_record_its_hours(
    client, trial, pat, employer, clock
):
    trials.trial_answer(trial=trial, user=pat.applicant, answer="accept")
    clock.set(trial.starts_at + timedelta(hours=4))
    client.force_login(employer)

    response = client.post(
        f"/employer/job-applications/{pat.reference}/trial/cancel/", {"reason": "Changed plans."}
    )

    assert response.status_code == 400
    assert "Record the hours worked instead" in response.content.decode()
    trial.refresh_from_db()
    assert trial.status == JobTrial.Status.ACCEPTED


def test_no_new_trial_is_offered_on_the_page_while_the_last_ones_pay_is_unconfirmed(
    client, pat, employer
):
    first = trials.trial_offer(
        application=pat,
        actor=employer,
        offer=an_offer(starts_at=timezone.now() + timedelta(hours=23)),
    )
    trials.trial_answer(trial=first, user=pat.applicant, answer="accept")
    trials.trial_cancel(trial=first, actor=employer, reason="Our manager is off sick.")
    client.force_login(employer)
    base = f"/employer/job-applications/{pat.reference}/trial/"

    page = client.get(base).content.decode()
    assert "Offer a paid job trial" not in page
    assert "once the candidate confirms they were paid" in page
    later = tomorrow_at(10) + timedelta(days=3)
    response = client.post(
        base + "offer/",
        _offer_form(starts_at_0=later.day, starts_at_1=later.month, starts_at_2=later.year),
    )
    assert response.status_code == 400
    assert "confirmed they were paid" in response.content.decode()
    assert JobTrial.objects.count() == 1
