"""Reads of paid job trials: an application's trial for the members of the employer that
advertised the vacancy, the candidate's own trial, and the overdue trial pay of an employer for
its owners. To anyone else each is a page that does not exist (404)."""

import datetime
from dataclasses import dataclass

from django.http import Http404

from accounts.models import Organisation, User
from accounts.permissions import can
from jobs.models import Application, JobTrial, TrialFeedback, TrialPay


def _application(*, user: User, reference: str, action: str) -> Application:
    application = (
        Application.objects.select_related("vacancy__organisation", "applicant", "entry", "share")
        .filter(reference=reference)
        .first()
    )
    if application is None or not can(user, action, application):
        raise Http404
    return application


@dataclass(frozen=True)
class TrialPage:
    """An application with its latest trial (if any), that trial's pay and feedback, and the
    trials before it."""

    application: Application
    trial: JobTrial | None
    earlier: list[JobTrial]
    pay: TrialPay | None
    employer_feedback: TrialFeedback | None
    candidate_feedback: TrialFeedback | None

    @property
    def may_offer(self) -> bool:
        from jobs.services.trials import OFFERABLE_STAGES

        return (
            self.application.stage in OFFERABLE_STAGES
            and (self.trial is None or not self.trial.is_live)
            and not self.waiting_for_pay
        )

    @property
    def waiting_for_pay(self) -> bool:
        """The last trial's pay is not yet confirmed paid: no new trial until it is (only the
        latest trial's pay is shown to the candidate)."""
        return self.pay is not None and not self.pay.is_paid

    @property
    def awaiting_outcome(self) -> bool:
        return (
            self.trial is not None
            and not self.trial.is_live
            and self.application.stage == Application.Stage.TRIAL_OFFERED
        )


def _page(application: Application) -> TrialPage:
    trials = list(application.trials.select_related("offered_by").order_by("-offered_at", "-id"))
    trial = trials[0] if trials else None
    pay = employer_feedback = candidate_feedback = None
    if trial is not None:
        trial.application = application
        pay = TrialPay.objects.filter(trial=trial).first()
        for feedback in trial.feedback.all():
            if feedback.from_employer:
                employer_feedback = feedback
            else:
                candidate_feedback = feedback
    return TrialPage(
        application=application,
        trial=trial,
        earlier=trials[1:],
        pay=pay,
        employer_feedback=employer_feedback,
        candidate_feedback=candidate_feedback,
    )


def trial_page_for_employer(*, user: User, reference: str) -> TrialPage:
    """The application `reference` and its trials, for a member of the vacancy's employer."""
    return _page(_application(user=user, reference=reference, action="trial.manage"))


def trial_page_for_candidate(*, user: User, reference: str) -> TrialPage:
    """The candidate's own application `reference` and its trials."""
    return _page(_application(user=user, reference=reference, action="trial.take_part"))


@dataclass(frozen=True)
class TrialPayOverview:
    organisation: Organisation
    overdue: list[TrialPay]
    owed: list[TrialPay]


def trial_pay_for_owners(
    *, user: User, organisation_pk: int, today: datetime.date
) -> TrialPayOverview:
    """The trial pay an employer still owes, overdue first, for its owners."""
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if organisation is None or not can(user, "trial.pay_overview", organisation):
        raise Http404
    unpaid = list(
        TrialPay.objects.filter(
            trial__application__vacancy__organisation=organisation,
            paid_confirmed_at__isnull=True,
        )
        .select_related("trial__application__vacancy", "trial__application__applicant")
        .order_by("due_on", "id")
    )
    return TrialPayOverview(
        organisation=organisation,
        overdue=[pay for pay in unpaid if pay.is_overdue(today)],
        owed=[pay for pay in unpaid if not pay.is_overdue(today)],
    )
