"""Reads for applying and for the applicant's own pages: only the applicant sees an
application here (a 404 for anyone else)."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404

from accounts.models import User
from jobs.models import ApplicantDetails, Application, ApplicationEvent, ScreeningAnswer, Vacancy
from register.models import RegisterEntry
from register.selectors.register import entry_for_worker

Stage = Application.Stage

# "What happens next", in plain words, for each stage, as the applicant reads it.
WHAT_HAPPENS_NEXT = {
    Stage.RECEIVED: (
        "The employer has your application and will read it. They will tell you here, and by "
        "email, whether they take it further. If they have not replied {chase_days} days "
        "after the vacancy closes, we close your application and tell you."
    ),
    Stage.SHORTLISTED: (
        "The employer would like to know more. They may invite you to an interview or offer "
        "you a paid trial: you will hear here and by email."
    ),
    Stage.INTERVIEW: (
        "The employer has invited you to an interview. Choose a time that suits you from the "
        "ones they offer; if none does, tell them."
    ),
    Stage.TRIAL_OFFERED: (
        "The employer has offered you a paid job trial, so you can both see whether the job "
        "suits you. They will tell you what happens after it."
    ),
    Stage.OFFER: (
        "The employer has offered you the job, if the pre-employment checks go well. The "
        "checks start now: whatever the register already checked is filled in for you."
    ),
    Stage.CHECKS: (
        "The pre-employment checks are under way. The employer will tell you if they need "
        "anything from you, and when you can start."
    ),
    Stage.HIRED: "You got the job. The employer will tell you about your first day.",
    Stage.NOT_PROGRESSED: (
        "This application has ended. It does not change your registration or your training "
        "passport, and you can apply for any other vacancy."
    ),
    Stage.WITHDRAWN: (
        "You withdrew this application. The employer no longer sees your record for it. You "
        "can apply for any other vacancy."
    ),
}


def what_happens_next(stage: str) -> str:
    return WHAT_HAPPENS_NEXT[Stage(stage)].format(chase_days=settings.APPLICATION_CHASE_DAYS)


def vacancy_for_applying(*, reference: str) -> Vacancy:
    """An advertised vacancy, open or closed since; a 404 for a draft, a draft withdrawn
    before it was ever published, or no vacancy."""
    vacancy = (
        Vacancy.objects.select_related("organisation")
        .prefetch_related("questions")
        .exclude(status=Vacancy.Status.DRAFT)
        .filter(reference=reference, published_at__isnull=False)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy.")
    return vacancy


def application_of(*, user: User, vacancy: Vacancy) -> Application | None:
    """The person's application for the vacancy, if they applied."""
    return Application.objects.filter(vacancy=vacancy, applicant=user).first()


def applicant_details_for(*, user: User) -> ApplicantDetails | None:
    return ApplicantDetails.objects.filter(user=user).first()


@dataclass(frozen=True)
class ApplyingAs:
    """What applying shares for this person: their entry, and whether it can be shared."""

    entry: RegisterEntry | None

    @property
    def shares_record(self) -> bool:
        return self.entry is not None and self.entry.status != RegisterEntry.Status.REMOVED

    @property
    def removed(self) -> bool:
        return self.entry is not None and self.entry.status == RegisterEntry.Status.REMOVED


def applying_as(*, user: User) -> ApplyingAs:
    return ApplyingAs(entry=entry_for_worker(worker=user))


def applications_for_applicant(*, user: User) -> list[Application]:
    """The person's own applications, newest first."""
    return list(
        Application.objects.filter(applicant=user)
        .select_related("vacancy__organisation")
        .order_by("-submitted_at", "-id")
    )


@dataclass(frozen=True)
class ApplicationPage:
    application: Application
    vacancy: Vacancy
    events: list[ApplicationEvent]
    answers: list[ScreeningAnswer]
    what_happens_next: str
    # The last message the employer (or, for them, the clock) sent the applicant.
    employer_message: ApplicationEvent | None
    sharing: bool


def application_page_for_applicant(*, user: User, reference: str) -> ApplicationPage:
    application = (
        Application.objects.select_related("vacancy__organisation", "share")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("at", "id")),
            Prefetch(
                "answers",
                queryset=ScreeningAnswer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            ),
        )
        .filter(reference=reference)
        .first()
    )
    if application is None or not user.is_authenticated or application.applicant_id != user.pk:
        raise Http404("No such application.")
    events = list(application.events.all())
    from_employer = [
        event for event in events if event.message and event.actor_id != application.applicant_id
    ]
    return ApplicationPage(
        application=application,
        vacancy=application.vacancy,
        events=events,
        answers=list(application.answers.all()),
        what_happens_next=what_happens_next(application.stage),
        employer_message=from_employer[-1] if from_employer else None,
        sharing=application.share is not None and application.share.is_live(),
    )
