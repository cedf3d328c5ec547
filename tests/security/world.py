"""One of every object a URL can name, each owned by one persona, built through the real
services where a service exists. The URL walk and the IDOR checks fill path parameters from it.

Owners: `worker` (Wendy, on the register) owns her entry, share code, passport, evidence, name
change, renewal and training record, and her application for the employer's vacancy;
`employer` owns the employer organisation with its staff, invitation, API key and a published
vacancy; `provider` owns the training provider with its import batch; `association_admin`
owns the association with its consultation. `other_worker` is a second registered worker who
owns a register entry of her own and nothing of Wendy's. A
concern about Wendy is under investigation: she sees her side of it, and the registrar, who
screened it, sees its documents. Concerns about two workers who are no persona (Cai and Bea)
give the `registrar` a case to screen and others where they have a part or a suspension to
review (see _build_concern_cases).
"""

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Membership, Organisation
from accounts.services import organisations as accounts
from accounts.services import registrars
from concerns.models import Case
from concerns.services import cases as concern_cases
from concerns.services.raising import Raised, concern_confirm, concern_raise
from consultations.models import Answer, Consultation
from consultations.services import building, lifecycle, outcome, responding
from employers.models import ApiKey
from employers.services import api_keys, sharecodes, staff
from jobs.services.applying import ApplicationAnswers, application_submit
from jobs.services.vacancies import vacancy_publish
from passports import keys
from passports.services import badges as badge_services
from passports.services import passports as passport_services
from passports.services import records
from register.models import CpdActivity, IdentityCheck, Renewal
from register.services import applications, details, evidence, references
from tests.factories import (
    ApplicationFactory,
    PathwayRoleFactory,
    ProviderApprovalFactory,
    RegisterEntryFactory,
    TrainingRecordFactory,
    TrainingStandardFactory,
    UserFactory,
    VacancyFactory,
    code_of_conduct_current,
)

DATE_OF_BIRTH = datetime.date(1990, 5, 17)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class World:
    personas: dict
    objects: dict = field(default_factory=dict)


def _png(name="evidence.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def build_world(personas: dict) -> World:
    world = World(personas=personas)
    o = world.objects
    worker = personas["worker"]
    employer = personas["employer"]
    provider = personas["provider"]
    association_admin = personas["association_admin"]
    registrar = personas["registrar"]

    role = PathwayRoleFactory(code="walk-role", title="Care worker")
    entry = RegisterEntryFactory(
        application__worker=worker,
        application__pathway_role=role,
        application__legal_name="Wendy Worker",
        application__date_of_birth=DATE_OF_BIRTH,
    )
    o["entry"] = entry
    o["code_of_conduct"] = code_of_conduct_current()
    other_entry = RegisterEntryFactory(
        application__worker=personas["other_worker"],
        application__pathway_role=role,
        application__legal_name="Olive Other",
        application__date_of_birth=DATE_OF_BIRTH,
    )
    o["other_entry"] = other_entry
    o["application"] = entry.application
    IdentityCheck.objects.create(
        application=entry.application,
        check_type=IdentityCheck.Type.PHOTO_ID,
        outcome=IdentityCheck.Outcome.PASSED,
        checked_by=registrar,
        document_type=IdentityCheck.DocumentType.PASSPORT,
        document_number="123456789",
        evidence_reference="Passport seen in person",
    )

    employer_org = employer.organisations.get(kind=Organisation.Kind.EMPLOYER)
    provider_org = provider.organisations.get(kind=Organisation.Kind.TRAINING_PROVIDER)
    association = association_admin.organisations.get(kind=Organisation.Kind.ASSOCIATION)
    o.update(employer_org=employer_org, provider_org=provider_org, association=association)
    # Only an approved provider records training at all.
    ProviderApprovalFactory(organisation=provider_org)

    o["invitation"] = accounts.invitation_send(
        organisation=employer_org, inviter=employer, email="new@example.org"
    )
    # A registrar invitation for someone who is no persona: its link opens a page for anyone.
    o["registrar_invitation"], o["registrar_invitation_token"] = (
        registrars.registrar_invitation_create(email="new-registrar@example.org")
    )
    o["membership"] = Membership.objects.get(
        organisation=employer_org, user=personas["employer_member"]
    )
    o["api_key"], o["api_key_secret"] = api_keys.api_key_create(
        organisation=employer_org,
        user=employer,
        name="HR system",
        scopes=list(ApiKey.Scope.values),
    )

    share_code, code = sharecodes.share_code_create(
        worker=worker, entry=entry, shares_identity_checks=False
    )
    o["share_code"] = share_code
    check = sharecodes.share_code_check(
        organisation=employer_org,
        user=employer,
        code=sharecodes.share_code_format(code),
        date_of_birth=DATE_OF_BIRTH,
    ).check
    o["staff_membership"] = staff.staff_add(organisation=employer_org, user=employer, check=check)
    o["vacancy"] = vacancy_publish(
        vacancy=VacancyFactory(organisation=employer_org, created_by=employer), user=employer
    )

    o["evidence"] = evidence.evidence_upload(owner=worker, uploaded_by=worker, upload=_png())
    o["name_change"] = details.name_change_request(
        entry=entry,
        worker=worker,
        new_name="Wendy Newname",
        evidence=evidence.evidence_upload(owner=worker, uploaded_by=worker, upload=_png()),
    )
    o["renewal"] = Renewal.objects.create(
        entry=entry,
        status=Renewal.Status.REFERRED,
        renewal_due_before=entry.renewal_due,
        has_criminal_record=False,
        has_health_condition=False,
        has_fitness_to_practise_history=False,
        cpd_hours=12,
    )
    # Logged after the renewal was sent: still the worker's to edit or delete.
    o["cpd"] = CpdActivity.objects.create(
        entry=entry,
        completed_on=timezone.localdate(),
        title="Dementia awareness",
        hours=2,
        reflection="Simpler choices at mealtimes.",
    )

    standard = TrainingStandardFactory(code="fire-safety", title="Fire safety")
    o["record"] = records.training_record_create_by_provider(
        provider=provider_org,
        recorded_by=provider,
        registration_number=entry.registration_number,
        date_of_birth=DATE_OF_BIRTH,
        standard=standard,
        completed_on=timezone.localdate() - timedelta(days=30),
    )
    o["worker_record"] = TrainingRecordFactory(
        entry=entry,
        standard=standard,
        completed_on=timezone.localdate() - timedelta(days=60),
        expires_on=None,
    )
    csv_text = (
        "registration_number,date_of_birth,standard_code,completed_on\n"
        f"{entry.registration_number},{DATE_OF_BIRTH.isoformat()},fire-safety,"
        f"{(timezone.localdate() - timedelta(days=3)).isoformat()}\n"
    )
    o["batch"], _ = records.training_import_upload(
        provider=provider_org,
        uploaded_by=provider,
        upload=SimpleUploadedFile("import.csv", csv_text.encode(), content_type="text/csv"),
    )

    keys.signing_key_create()
    o["passport"] = passport_services.passport_issue(entry=entry, requested_by=worker)
    o["badge"] = badge_services.record_badge_get_or_issue(
        record=o["worker_record"], requested_by=worker
    )

    now = timezone.now()
    consultation = building.consultation_create(
        organisation=association,
        user=association_admin,
        title="Proposed voluntary register",
        summary="Should there be a register?",
        privacy_notice="We keep your answers for a year.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )
    page = building.page_add(consultation=consultation, user=association_admin, title="Views")
    o["question"] = building.question_add(
        page=page, user=association_admin, kind="long_text", text="Anything else?"
    )
    o["page"] = page
    o["draft_consultation"] = building.consultation_create(
        organisation=association,
        user=association_admin,
        title="A draft nobody can see",
        summary="Draft.",
        privacy_notice="We keep your answers for a year.",
        opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=10),
    )
    draft_page = building.page_add(
        consultation=o["draft_consultation"], user=association_admin, title="Draft views"
    )
    o["draft_page"] = draft_page
    o["draft_question"] = building.question_add(
        page=draft_page, user=association_admin, kind="long_text", text="Tell us more."
    )
    lifecycle.consultation_schedule(consultation=consultation, user=association_admin)
    lifecycle.consultation_follow_clock(consultation=consultation)
    consultation.refresh_from_db()
    o["consultation"] = consultation
    o["resume_token"] = responding.response_draft_save(
        consultation=consultation,
        answers={},
        page_reached=1,
        email="wendy@example.org",
    ).token
    _build_analysed_consultation(o, association_admin, association, worker)
    # A referee's link to the reference form, for an application waiting for a registrar.
    applicant = ApplicationFactory(worker__email="applicant-with-referees@example.org")
    applications.application_submit(
        application=applicant, worker=applicant.worker, code=code_of_conduct_current()
    )
    o["reference_request"], o["reference_token"] = references.reference_request_send(
        referee=applicant.referees.get(position=1), registrar=registrar
    )
    # A concern about Olive, raised by someone without an account and not yet confirmed: its
    # link opens the confirmation page for anyone (opening it confirms nothing).
    o["unconfirmed_concern"], o["concern_token"] = concern_raise(
        raised=Raised(
            category="poor_practice",
            what_happened="Shouted at a resident.",
            when_happened="Last week",
            registration_number=other_entry.registration_number,
            name="Pat Public",
            email="pat.public@example.org",
        ),
        documents=[],
    )
    _build_concern(o, registrar, entry)
    _build_concern_cases(o, registrar, role)
    _build_pre_employment_checks(o, worker, employer, employer_org, entry)
    _build_job_application(o, worker, entry, employer)
    _build_questions_and_alerts(o, worker)
    _build_stories(o, worker, employer, association_admin)
    _build_paid_trial(o, worker, employer, employer_org, entry)
    _build_quizzes(o, worker, association_admin, association)
    _build_campaign(o, employer, association_admin, association)
    return world


def _build_pre_employment_checks(o, worker, employer, employer_org, entry):
    """Pre-employment checks: Wendy applied, sharing her record, for a vacancy of its own (so
    the applying part's application to the world's vacancy stays the only one there), and the
    employer made her an offer, which opened the checklist."""
    from jobs.models import Application as JobApplication
    from jobs.models import Vacancy
    from jobs.services.applications import application_move
    from tests.factories import JobApplicationFactory, application_share_for

    vacancy = VacancyFactory(
        organisation=employer_org,
        created_by=employer,
        title="Senior care assistant",
        status=Vacancy.Status.PUBLISHED,
    )
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker, entry=entry)
    application_share_for(application, shares_identity_checks=True)
    o["checks_application"] = application_move(
        application=application, to=JobApplication.Stage.OFFER, actor=employer
    )


def _build_questions_and_alerts(o: dict, worker) -> None:
    """Jobs, questions and alerts (issue 20): Wendy asks the employer about its vacancy."""
    from jobs.services import alerts
    from jobs.services.questions import question_ask

    o["question_thread"] = question_ask(
        vacancy=o["vacancy"], user=worker, text="Is the shift pattern fixed?"
    )
    # Wendy's alert for every new job, live at once; and one made without an account, waiting
    # for its emailed link: each link's token opens its page for anyone.
    every_job = alerts.saved_search_read({})
    o["job_alert"], _ = alerts.alert_create(search=every_job, frequency="daily", user=worker)
    o["job_alert_unsubscribe_token"] = alerts.unsubscribe_token(o["job_alert"])
    _, o["job_alert_confirm_token"] = alerts.alert_create(
        search=every_job, frequency="weekly", email="someone@example.org"
    )


def _build_concern(o, registrar, entry):
    """A concern about Wendy from a member of the public who asked not to be named, screened by
    the registrar and under investigation, with a file of the registrar's shared with Wendy."""
    case, token = concern_raise(
        raised=Raised(
            category="poor_practice",
            what_happened="Left my mother without her medicines.",
            when_happened="Last week",
            registration_number=entry.registration_number,
            name="Priya Public",
            email="priya@example.org",
        ),
        documents=[_png("photo.png")],
    )
    case = concern_confirm(token=token)
    o["case"] = concern_cases.case_screen(
        case=case,
        registrar=registrar,
        risk="low",
        result="investigate",
        reasons="Worth looking into.",
        allegation="You did not give a person their medicines.",
    )
    o["case_document"] = concern_cases.document_add(
        case=case, registrar=registrar, upload=_png("care-plan.png"), shared_with_worker=True
    )


def _registrar_who_is_no_persona(email: str, name: str):
    user = UserFactory(email=email, full_name=name, is_registrar=True, is_staff=True)
    user.groups.add(accounts.registrars_group())
    TOTP.activate(user, generate_totp_secret())
    return user


def _concern_about(entry, what: str):
    # An address and an email of each concern's own, so the rate limits of raising never
    # count the world's concerns together.
    number = Case.objects.count() + 1
    case, token = concern_raise(
        raised=Raised(
            category="poor_practice",
            what_happened=what,
            when_happened="Last week",
            registration_number=entry.registration_number,
            name="Pat Public",
            email=f"pat-{number}@example.org",
        ),
        documents=[_png("photo.png")],
        client_ip=f"192.0.2.{number}",
    )
    return concern_confirm(token=token)


def _build_concern_cases(o, registrar, role):
    """Concerns about two workers who are no persona, at the stages where the registrar
    persona, with or without a part, opens each of the registrars' pages: a received case
    (any registrar screens it); one whose interim suspension, imposed by another registrar,
    waits for review; one whose panel (the registrar and another) may propose; and one whose
    proposal, by the other, waits for the registrar to agree."""
    screener = _registrar_who_is_no_persona("sam-screener@example.org", "Sam Screener")
    other = _registrar_who_is_no_persona("dee-decider@example.org", "Dee Decider")
    cai, bea = (
        RegisterEntryFactory(
            application__worker__email=f"{name.lower()}@example.org",
            application__pathway_role=role,
            application__legal_name=f"{name} Concerned",
        )
        for name in ("Cai", "Bea")
    )

    def screened(entry):
        return concern_cases.case_screen(
            case=_concern_about(entry, "Shouted at a resident."),
            registrar=screener,
            risk="serious",
            result="investigate",
            reasons="A resident was frightened.",
            allegation="You shouted at a resident.",
        )

    def with_panel(case):
        for member in (registrar, other):
            concern_cases.panel_join(case=case, registrar=member, role="decision_maker")
        Case.objects.filter(pk=case.pk).update(
            response_due=timezone.localdate() - timedelta(days=1)
        )
        case.refresh_from_db()
        return case

    o["concern_received"] = _concern_about(cai, "Came to work late every day.")
    o["concern_review"] = screened(cai)
    o["concern_interim_order"] = concern_cases.interim_suspend(
        case=o["concern_review"], registrar=screener, reasons="Residents are at risk."
    )
    o["concern_panel"] = with_panel(screened(bea))
    o["concern_proposed"] = with_panel(screened(bea))
    o["concern_proposal"] = concern_cases.decision_propose(
        case=o["concern_proposed"], registrar=other, outcome="advice", reasons="Once only."
    )


def _build_analysed_consultation(o, admin, association, worker):
    """A consultation that closed with one response and is being analysed, with a theme."""
    now = timezone.now()
    consultation = building.consultation_create(
        organisation=association,
        user=admin,
        title="Closed and analysed",
        summary="Being analysed.",
        privacy_notice="We keep your answers for a year.",
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=1),
    )
    page = building.page_add(consultation=consultation, user=admin, title="Views")
    building.question_add(page=page, user=admin, kind="long_text", text="Why?")
    lifecycle.consultation_schedule(consultation=consultation, user=admin)
    lifecycle.consultation_follow_clock(consultation=consultation)
    answers = {}
    for question in consultation.questions.all():
        first = question.options.order_by("position").first()
        answers[str(question.pk)] = {
            "options": [first.pk] if first else [],
            "other": False,
            "other_text": "",
            "text": "" if first else "Because it matters.",
        }
    consultation.refresh_from_db()
    responding.response_submit(
        consultation=consultation, answers=answers, user=worker, idempotency_key="walk-1"
    )
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=now - timedelta(minutes=1))
    consultation.refresh_from_db()
    lifecycle.consultation_follow_clock(consultation=consultation)
    lifecycle.consultation_start_analysis(consultation=consultation, user=admin)
    o["analysed"] = consultation
    o["theme"] = outcome.theme_create(consultation=consultation, user=admin, name="Pay")
    o["text_answer"] = Answer.objects.filter(
        response__consultation=consultation, question__kind="long_text"
    ).first()


def _build_job_application(o, worker, entry, employer):
    """Jobs, the employer's pipeline (issue 20, part 6): Wendy applied to the employer's
    vacancy, sharing her passport, and was invited to an interview; one time is free."""
    from jobs.services.applications import application_move
    from tests.factories import InterviewSlotFactory

    # Through the applying service, so her share is the one applying makes.
    application = application_submit(
        vacancy=o["vacancy"],
        applicant=worker,
        answers=ApplicationAnswers(
            statement="I have cared for people for five years.", availability="Weekdays."
        ),
    ).application
    o["interview_slot"] = InterviewSlotFactory(vacancy=o["vacancy"], created_by=employer)
    o["job_application"] = application_move(application=application, to="interview", actor=employer)


def _build_stories(o, worker, employer, association_admin):
    """Stories from care (issue 21, part 3): the employer nominated Wendy, from its staff list,
    three times: one story she consented to and the association approved (public), one she
    consented to that waits for the association, and one waiting for her consent."""
    import io

    from PIL import Image

    from careers.services import stories

    def nominate(quote):
        photo = io.BytesIO()
        Image.new("RGB", (40, 30), "teal").save(photo, format="JPEG")
        return stories.story_nominate(
            organisation=o["employer_org"],
            user=employer,
            staff_membership=o["staff_membership"],
            quote=quote,
            role="Care assistant",
            in_care_since=2019,
            photo=SimpleUploadedFile("wendy.jpg", photo.getvalue(), content_type="image/jpeg"),
            photo_alt="Wendy in the garden",
        )

    published = stories.story_consent(story=nominate("I love the people."), worker=worker)
    o["story_published"] = stories.story_approve(story=published, user=association_admin)
    o["story_awaiting_approval"] = stories.story_consent(
        story=nominate("Every day is different."), worker=worker
    )
    o["story_awaiting_consent"] = nominate("I came for a job and stayed for the people.")


# --- Paid job trials (issue 21, part 1) ---------------------------------------------------------


def _build_paid_trial(o, worker, employer, employer_org, entry):
    """Paid job trials: Wendy applied to a vacancy of its own and was offered an observation
    session tomorrow, paid above the National Living Wage."""
    import datetime as dt
    from decimal import Decimal

    from jobs.models import Vacancy
    from jobs.services.trials import TrialOffer, trial_offer
    from tests.factories import JobApplicationFactory

    vacancy = VacancyFactory(
        organisation=employer_org,
        created_by=employer,
        title="Day care assistant",
        status=Vacancy.Status.PUBLISHED,
    )
    application = JobApplicationFactory(vacancy=vacancy, applicant=worker, entry=entry)
    o["trial"] = trial_offer(
        application=application,
        actor=employer,
        offer=TrialOffer(
            kind="observation",
            starts_at=timezone.now() + dt.timedelta(days=1),
            length_hours=Decimal("3"),
            hourly_rate=Decimal("13.50"),
            cancellation_pay_hours=Decimal("2"),
            place="Sunrise House, Leeds",
            supervisor_name="Sue Senior",
            what_you_will_do="Meet residents.",
            what_to_bring="Flat shoes.",
            getting_there="Bus 42.",
        ),
    )
    o["trial_application"] = application


def _build_quizzes(o, worker, association_admin, association):
    """Careers, the quizzes (issue 21, part 2): both demo quizzes published by the
    association, with a second version of "What would you do?" in draft; Wendy saved a result
    and shares reflections from it with her job application."""
    from careers.models import Quiz
    from careers.services.quizzes import (
        quiz_reflections_share,
        quiz_result_save,
        quiz_version_draft_start,
    )
    from demo.careers_quizzes import WHAT_WOULD_YOU_DO, seed_demo_quizzes

    seed_demo_quizzes(association, association_admin)
    o["quiz"] = Quiz.objects.get(slug="what-would-you-do")
    o["quiz_draft"] = quiz_version_draft_start(quiz=o["quiz"], user=association_admin)
    o["quiz_result"] = quiz_result_save(
        version=o["quiz"].versions.get(number=1),
        user=worker,
        answers={q["key"]: q["options"][0]["key"] for q in WHAT_WOULD_YOU_DO["questions"]},
    )
    o["quiz_share"] = quiz_reflections_share(
        result=o["quiz_result"],
        user=worker,
        application=o["job_application"],
        question_keys=["risk"],
    )


# --- Campaigns (issue 21, part 4) ---------------------------------------------------------------


def _build_campaign(o, employer, association_admin, association):
    """Campaigns: the association's Good Care Month in Leeds, published, joined by the employer
    with its vacancy and published story tagged and an open day posted; and a second campaign
    still a draft."""
    import datetime

    from django.utils import timezone

    from careers.services import campaigns
    from tests.factories import places_leeds

    places_leeds()
    today = timezone.localdate()

    def details(name):
        return campaigns.CampaignDetails(
            name=name,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=30),
            area="Leeds, LS1",
            message="Come and meet care workers in Leeds.",
            hashtags="#GoodCareMonth",
        )

    campaign = campaigns.campaign_create(
        organisation=association, user=association_admin, details=details("Good Care Month")
    )
    o["campaign"] = campaigns.campaign_publish(campaign=campaign, user=association_admin)
    o["campaign_draft"] = campaigns.campaign_create(
        organisation=association, user=association_admin, details=details("Next campaign")
    )
    campaigns.campaign_join(campaign=campaign, organisation=o["employer_org"], user=employer)
    campaigns.campaign_tags_set(
        campaign=campaign,
        organisation=o["employer_org"],
        user=employer,
        vacancy_ids=[o["vacancy"].pk],
        story_ids=[o["story_published"].pk],
    )
    o["campaign_event"] = campaigns.event_create(
        campaign=campaign,
        organisation=o["employer_org"],
        user=employer,
        details=campaigns.EventDetails(
            title="Open day",
            day=today + datetime.timedelta(days=7),
            starts_at=datetime.time(10),
            ends_at=datetime.time(14),
            place="1 High Street, Leeds",
            postcode="LS1 4AP",
            capacity=20,
        ),
    )
