"""Applying for a job, and what the applicant does with an application afterwards.

Sending one (`application_submit`) keeps it once however often Send is pressed, and for someone
on the register shares their live record with that employer for that application only: a
share code nobody types, ending APPLICATION_SHARE_DAYS_AFTER_CLOSE days after the vacancy
closes, revocable by the worker. The applicant may withdraw it or stop sharing. Once a vacancy
stops taking applications, the clock (`applications_chase`) reminds the employer of the open
ones, and closes any left untouched for APPLICATION_CHASE_DAYS with a kind message: no
application is left to silence (ADR 0033)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F
from django.utils import timezone

from accounts.models import User
from accounts.permissions import membership_in
from core.audit import audit_events_written_last, audit_log
from core.dates import format_day
from core.errors import ApplicationError
from core.notifications import email_from_template
from core.ratelimit import RateLimit
from employers.models import ShareCode
from employers.services import sharecodes
from jobs.models import (
    ApplicantDetails,
    Application,
    ApplicationEvent,
    JobTrial,
    ScreeningAnswer,
    Vacancy,
)
from jobs.services.applications import application_has_live_trial, application_move_locked
from register.models import RegisterEntry

Stage = Application.Stage

STATEMENT_MAX_WORDS = 500
AVAILABILITY_MAX_CHARACTERS = 1000
PHONE_MAX_CHARACTERS = 40
WITHDRAW_MESSAGE_MAX_CHARACTERS = 2000

# The stages the clock chases once a vacancy closes: before an offer. From an offer on the
# employer is plainly acting, and the pre-employment checks take their own time.
CHASED_STAGES = (Stage.RECEIVED, Stage.SHORTLISTED, Stage.INTERVIEW, Stage.TRIAL_OFFERED)


class ApplyingError(ApplicationError):
    pass


class VacancyNotTakingApplications(ApplyingError):
    pass


class ApplyingRefused(ApplyingError):
    """This person may not apply for this vacancy at all (see `applying_refused_because`)."""


class ApplyingRateLimited(ApplyingError):
    pass


class ApplicationInvalid(ApplyingError):
    """Something the applicant gave is missing or too long; `problems` maps each field to what
    is wrong with it, for a form to show next to the field."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))


@dataclass(frozen=True)
class ApplicationAnswers:
    """What an applicant gives: their words, and a yes or no to each screening question (by
    the question's id)."""

    statement: str
    availability: str
    phone: str = ""
    screening: dict[int, bool] = field(default_factory=dict)
    shares_identity_checks: bool = False


@dataclass(frozen=True)
class Submitted:
    application: Application
    # False when the person had already applied: a second Send finds the first application.
    created: bool


def words_in(text: str) -> int:
    return len((text or "").split())


def _end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment of the day after `day`, in the service's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def vacancy_takes_applications(vacancy: Vacancy, *, today: datetime.date | None = None) -> bool:
    """Published, and not past the end of its closing date (the clock may not have closed it
    yet)."""
    today = today or timezone.localdate()
    return (
        vacancy.status == Vacancy.Status.PUBLISHED
        and vacancy.closing_date is not None
        and today <= vacancy.closing_date
    )


def vacancy_closed_message(vacancy: Vacancy) -> str:
    if vacancy.status == Vacancy.Status.PUBLISHED and vacancy.closing_date is not None:
        return (
            f"This vacancy closed at the end of {format_day(vacancy.closing_date)} and takes no "
            "more applications. Nothing you wrote for it has been kept."
        )
    return (
        f"This vacancy is {vacancy.get_status_display().lower()} and takes no more "
        "applications. Nothing you wrote for it has been kept."
    )


def applying_refused_because(*, vacancy: Vacancy, applicant: User) -> str:
    """Why this person may not apply for this vacancy at all, or "" when they may."""
    if membership_in(applicant, vacancy.organisation) is not None:
        return (
            f"You are a member of {vacancy.organisation.name}, which advertises this vacancy, "
            "so you cannot apply for it."
        )
    return ""


def application_share_ends_at(vacancy: Vacancy) -> datetime.datetime:
    """When applying's share of a record with this vacancy's employer ends: the set number of
    days after the vacancy closes, or closed, if that was earlier than its closing date."""
    closes = _end_of_day(vacancy.closing_date)
    if vacancy.status != Vacancy.Status.PUBLISHED and vacancy.closed_at is not None:
        closes = min(closes, vacancy.closed_at)
    return closes + datetime.timedelta(days=settings.APPLICATION_SHARE_DAYS_AFTER_CLOSE)


def _applications_limit() -> RateLimit:
    return RateLimit(
        "job-applications", limit=settings.APPLICATIONS_PER_HOUR, period=3600, slices=60
    )


def _problems(vacancy: Vacancy, answers: ApplicationAnswers) -> dict[str, str]:
    problems: dict[str, str] = {}
    statement = (answers.statement or "").strip()
    words = words_in(statement)
    if not statement:
        problems["statement"] = "Write a supporting statement: why you want this job."
    elif words > STATEMENT_MAX_WORDS:
        problems["statement"] = (
            f"Your supporting statement is {words} words. Keep it to {STATEMENT_MAX_WORDS} "
            "words or fewer."
        )
    availability = (answers.availability or "").strip()
    if not availability:
        problems["availability"] = "Say when you are available to work, and from when."
    elif len(availability) > AVAILABILITY_MAX_CHARACTERS:
        problems["availability"] = (
            f"Keep your availability to {AVAILABILITY_MAX_CHARACTERS} characters or fewer."
        )
    if len((answers.phone or "").strip()) > PHONE_MAX_CHARACTERS:
        problems["phone"] = f"Enter a phone number of {PHONE_MAX_CHARACTERS} characters or fewer."
    questions = list(vacancy.questions.all())
    unanswered = [
        question.text
        for question in questions
        if not isinstance(answers.screening.get(question.pk), bool)
    ]
    if unanswered:
        problems["screening"] = "Answer yes or no to every question: " + "; ".join(unanswered)
    elif set(answers.screening) - {question.pk for question in questions}:
        problems["screening"] = (
            "The employer changed its questions while you were applying. Answer them again."
        )
    return problems


def _employer_emails(vacancy: Vacancy) -> list[str]:
    return sorted(
        vacancy.organisation.memberships.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def _share_label(vacancy: Vacancy) -> str:
    label = f"Your application to {vacancy.organisation.name}: {vacancy.title}"
    suffix = f" ({vacancy.reference})"
    return label[: 100 - len(suffix)] + suffix


def application_submit(
    *,
    vacancy: Vacancy,
    applicant: User,
    answers: ApplicationAnswers,
    save_details: bool = False,
) -> Submitted:
    """Send an application. A person applies once to a vacancy: a second Send, a double click
    or two at once find the first application (the unique constraint decides a race) and
    change nothing. Refused, keeping nothing, when the vacancy no longer takes applications,
    when an answer is missing or too long, and past APPLICATIONS_PER_HOUR an hour."""
    existing = Application.objects.filter(vacancy=vacancy, applicant=applicant).first()
    if existing is not None:
        return Submitted(existing, created=False)
    # What can have changed since the caller read the vacancy. Its organisation and its
    # questions (the applying screens read them with it, in the same request) are used as given.
    vacancy.refresh_from_db(fields=["status", "closing_date", "closed_at"])
    if not vacancy_takes_applications(vacancy):
        raise VacancyNotTakingApplications(vacancy_closed_message(vacancy))
    refusal = applying_refused_because(vacancy=vacancy, applicant=applicant)
    if refusal:
        raise ApplyingRefused(refusal)
    problems = _problems(vacancy, answers)
    if problems:
        raise ApplicationInvalid(problems)
    # Counted before anything is written, so applications sent at once cannot all pass; given
    # back when nothing was kept after all.
    attempt = _applications_limit().hit(f"user:{applicant.pk}")
    if not attempt.allowed:
        raise ApplyingRateLimited(
            f"You have sent {settings.APPLICATIONS_PER_HOUR} applications in the last hour, "
            "the most anyone may. Wait an hour, then send this one: your answers are kept "
            "until you close your browser."
        )
    entry = _entry_to_share(applicant)
    try:
        # The audit chain's lock serialises every writer on the site until commit: the events
        # go last, so it is held for little more than the commit.
        with transaction.atomic(), audit_events_written_last():
            application = _create(
                vacancy=vacancy, applicant=applicant, answers=answers, entry=entry
            )
            if save_details:
                _save_details(applicant=applicant, answers=answers)
    except IntegrityError:
        attempt.take_back()
        # Sent twice at once: the other Send's application is the one kept.
        existing = Application.objects.filter(vacancy=vacancy, applicant=applicant).first()
        if existing is None:
            raise
        return Submitted(existing, created=False)
    except BaseException:
        attempt.take_back()
        raise
    return Submitted(application, created=True)


def _entry_to_share(applicant: User) -> RegisterEntry | None:
    """The applicant's register entry, with only what applying reads of it: the rest holds
    their personal details, encrypted, which applying never needs."""
    return (
        RegisterEntry.objects.filter(worker=applicant)
        # registration_number: a share code's name in the audit log.
        .only("id", "worker_id", "status", "registration_number")
        .first()
    )


def _create(
    *, vacancy: Vacancy, applicant: User, answers: ApplicationAnswers, entry
) -> Application:
    now = timezone.now()
    # Someone removed from the register has no record to share; the employer still sees that
    # they were removed, through the entry.
    share = None
    if entry is not None and entry.status != RegisterEntry.Status.REMOVED:
        share = sharecodes.share_code_create_for_application(
            worker=applicant,
            entry=entry,
            shares_identity_checks=answers.shares_identity_checks,
            label=_share_label(vacancy),
            expires_at=application_share_ends_at(vacancy),
        )
    application = Application.objects.create(
        vacancy=vacancy,
        applicant=applicant,
        entry=entry,
        share=share,
        shares_identity_checks=share is not None and answers.shares_identity_checks,
        statement=answers.statement.strip(),
        availability=answers.availability.strip(),
        phone=(answers.phone or "").strip(),
        stage=Stage.RECEIVED,
        stage_changed_at=now,
        submitted_at=now,
    )
    ScreeningAnswer.objects.bulk_create(
        ScreeningAnswer(application=application, question_id=question_id, answer=answer)
        for question_id, answer in sorted(answers.screening.items())
    )
    ApplicationEvent.objects.create(
        application=application, stage=Stage.RECEIVED, actor=applicant, at=now
    )
    # Queued in the transaction: an application is never stored without the receipt and the
    # employer's notice (nor they without it), and there is no commit of their own after it.
    email_from_template(
        to=[applicant.email],
        template="jobs/application_received",
        context={
            "application": application,
            "vacancy": vacancy,
            "chase_days": settings.APPLICATION_CHASE_DAYS,
        },
        with_the_transaction=True,
    )
    employer_emails = _employer_emails(vacancy)
    if employer_emails:
        email_from_template(
            to=employer_emails,
            template="jobs/application_new_employer",
            context={"application": application, "vacancy": vacancy, "applicant": applicant},
            with_the_transaction=True,
        )
    audit_log(
        action="jobs.application.submitted",
        actor=applicant,
        target=application,
        new_status=Stage.RECEIVED,
        data={
            "vacancy": vacancy.reference,
            "on_register": entry is not None,
            "shared": share is not None,
            "shares_identity_checks": application.shares_identity_checks,
        },
    )
    return application


def _save_details(*, applicant: User, answers: ApplicationAnswers) -> None:
    ApplicantDetails.objects.update_or_create(
        user=applicant,
        defaults={
            "statement": answers.statement.strip(),
            "availability": answers.availability.strip(),
            "phone": (answers.phone or "").strip(),
            "shares_identity_checks": answers.shares_identity_checks,
            "updated_at": timezone.now(),
        },
    )
    # Which fields, never their words: they are the applicant's, and encrypted.
    audit_log(action="jobs.applicant_details.saved", actor=applicant, target=applicant)


def _locked(pk: int) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "share")
        .get(pk=pk)
    )


def _require_applicant(application: Application, applicant: User) -> None:
    if application.applicant_id != applicant.pk:
        raise ApplyingError("Only the person who applied can change this application.")


def application_withdraw(
    *, application: Application, applicant: User, message: str = ""
) -> Application:
    """The applicant withdraws their application, with an optional message to the employer.
    Sharing their record for it stops at once, its trial still to come is cancelled, and the
    employer is told."""
    _require_applicant(application, applicant)
    message = (message or "").strip()
    if len(message) > WITHDRAW_MESSAGE_MAX_CHARACTERS:
        raise ApplyingError(
            f"Keep your message to {WITHDRAW_MESSAGE_MAX_CHARACTERS} characters or fewer.",
            field="message",
        )
    with transaction.atomic():
        locked = _locked(application.pk)
        if not locked.is_open:
            raise ApplyingError(
                f"This application is already {locked.get_stage_display().lower()}, so it "
                "cannot be withdrawn."
            )
        # Imported here: trials imports this app's stage mover, as applying does.
        from jobs.services.trials import trial_end_on_withdrawal_locked

        kept_trial = trial_end_on_withdrawal_locked(application=locked, applicant=applicant)
        application_move_locked(
            application=locked, to=Stage.WITHDRAWN, actor=applicant, message=message
        )
        if locked.share is not None and locked.share.is_live():
            sharecodes.share_code_revoke(share_code=locked.share, worker=applicant)
        employer_emails = _employer_emails(locked.vacancy)
        if employer_emails:
            email_from_template(
                to=employer_emails,
                template="jobs/application_withdrawn_employer",
                context={
                    "application": locked,
                    "vacancy": locked.vacancy,
                    "applicant": applicant,
                    "left_a_message": bool(message),
                    "kept_trial": kept_trial,
                },
            )
    return locked


def application_share_stop(*, application: Application, applicant: User) -> ShareCode:
    """The applicant stops sharing their record with the employer for this application; the
    application itself goes on, shown to the employer as no longer shared."""
    _require_applicant(application, applicant)
    share = application.share
    if share is None:
        raise ApplyingError("Your record was not shared with this application.")
    if not share.is_live():
        raise ApplyingError("Your record is no longer shared with this employer.")
    return sharecodes.share_code_revoke(share_code=share, worker=applicant)


def application_shares_end_after_close(*, vacancy: Vacancy) -> int:
    """Bring the end of every share made by applying for `vacancy` forward to the set number
    of days after it closed, when it closed before its closing date; in the transaction that
    closes it. How many moved."""
    if vacancy.closed_at is None:
        return 0
    ends_at = vacancy.closed_at + datetime.timedelta(
        days=settings.APPLICATION_SHARE_DAYS_AFTER_CLOSE
    )
    moved = 0
    for share in ShareCode.objects.filter(
        application__vacancy=vacancy, revoked_at__isnull=True, expires_at__gt=ends_at
    ).order_by("pk"):
        moved += sharecodes.share_code_end_by(
            share_code=share, ends_at=ends_at, reason=f"vacancy_{vacancy.status}"
        )
    return moved


# --- The clock --------------------------------------------------------------------------------


@dataclass
class ChaseReport:
    # (vacancy reference, open applications the employer was reminded of)
    reminded: list[tuple[str, int]] = field(default_factory=list)
    # references of the applications closed
    closed: list[str] = field(default_factory=list)
    # shares brought forward to end the set number of days after their vacancy closed
    shares_ended: int = 0


def clock_message(vacancy: Vacancy) -> str:
    """What an applicant is told when the clock closes their application: the employer did
    not tell us, so we say it kindly and plainly."""
    return (
        f"Thank you for applying for {vacancy.title} with {vacancy.organisation.name}. The "
        "vacancy has closed and the employer has not taken your application further, so we "
        "have closed it for you rather than leave you waiting for an answer. This says nothing "
        "about you or your registration, and your training passport is unchanged. We hope you "
        "find the right job soon: new vacancies are added every day."
    )


def _stopped_vacancies():
    return Vacancy.objects.filter(
        status__in=[Vacancy.Status.CLOSED, Vacancy.Status.FILLED, Vacancy.Status.WITHDRAWN],
        closed_at__isnull=False,
    )


def applications_chase(*, today: datetime.date, dry_run: bool = False) -> ChaseReport:
    """No silent rejection. For every vacancy that stopped taking applications: close each
    application at a stage before an offer that nobody touched for APPLICATION_CHASE_DAYS
    after the vacancy stopped, with a kind message; remind the employer, once, of those
    still open; and end applying's shares the set number of days after the vacancy closed.
    Safe to run again."""
    report = ChaseReport()
    days = settings.APPLICATION_CHASE_DAYS
    # Touched on day D (a stage change, or the vacancy closing): closed on day D + days.
    cutoff = _end_of_day(today - datetime.timedelta(days=days))
    stopped = _stopped_vacancies()
    due = list(
        Application.objects.filter(
            vacancy__in=stopped,
            stage__in=CHASED_STAGES,
            stage_changed_at__lt=cutoff,
            vacancy__closed_at__lt=cutoff,
        )
        # A live trial is the employer's to cancel or to record the hours of: closing the
        # application past it would leave it live (application_move_locked refuses to).
        .exclude(trials__status__in=JobTrial.LIVE)
        .order_by("vacancy_id", "pk")
        .values_list("pk", "reference")
    )
    for pk, reference in due:
        if dry_run:
            report.closed.append(reference)
            continue
        with transaction.atomic():
            application = _locked(pk)
            vacancy = application.vacancy
            # Checked again under the lock: the employer may have acted meanwhile.
            if (
                application.stage not in CHASED_STAGES
                or application.stage_changed_at >= cutoff
                or vacancy.status == Vacancy.Status.PUBLISHED
                or application_has_live_trial(application)
            ):
                continue
            application.closed_by_clock = True
            application.save(update_fields=["closed_by_clock"])
            application_move_locked(
                application=application,
                to=Stage.NOT_PROGRESSED,
                actor=None,
                message=clock_message(vacancy),
            )
            report.closed.append(reference)

    reminders = (
        Application.objects.filter(
            vacancy__in=stopped, stage__in=CHASED_STAGES, employer_reminded_at__isnull=True
        )
        .order_by("vacancy_id")
        .values_list("vacancy_id", flat=True)
        .distinct()
    )
    for vacancy_id in list(reminders):
        with transaction.atomic():
            vacancy = (
                Vacancy.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=vacancy_id)
            )
            waiting = Application.objects.filter(
                vacancy=vacancy, stage__in=CHASED_STAGES, employer_reminded_at__isnull=True
            )
            open_count = Application.objects.filter(
                vacancy=vacancy, stage__in=CHASED_STAGES
            ).count()
            if not waiting.exists():
                continue
            report.reminded.append((vacancy.reference, open_count))
            if dry_run:
                continue
            waiting.update(employer_reminded_at=timezone.now())
            audit_log(
                action="jobs.vacancy.applicants_reminded",
                target=vacancy,
                data={"open_applications": open_count},
            )
            employer_emails = _employer_emails(vacancy)
            if employer_emails:
                email_from_template(
                    to=employer_emails,
                    template="jobs/applications_open_reminder",
                    context={
                        "vacancy": vacancy,
                        "open_count": open_count,
                        "chase_days": days,
                    },
                )

    # A share made at the moment its vacancy closed early can miss the move made then.
    share_days = datetime.timedelta(days=settings.APPLICATION_SHARE_DAYS_AFTER_CLOSE)
    late = (
        ShareCode.objects.filter(
            application__vacancy__in=stopped,
            for_application=True,
            revoked_at__isnull=True,
            expires_at__gt=ExpressionWrapper(
                F("application__vacancy__closed_at") + share_days, output_field=DateTimeField()
            ),
        )
        .select_related("application__vacancy")
        .order_by("pk")
    )
    for share in late:
        ends_at = share.application.vacancy.closed_at + share_days
        if dry_run or sharecodes.share_code_end_by(
            share_code=share, ends_at=ends_at, reason="vacancy_closed"
        ):
            report.shares_ended += 1
    return report
