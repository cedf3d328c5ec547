"""Who may write and change an organisation's vacancies."""

from accounts.models import Organisation
from accounts.permissions import membership_in, rule
from jobs.models import Application, Vacancy


@rule("vacancy.manage")
def _vacancy_manage(user, organisation) -> bool:
    # Any member of the employer, as with its staff list. Whether the organisation is verified
    # is checked by the services, which say so in words rather than refuse blankly.
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, organisation) is not None
    )


# --- Pre-employment checks --------------------------------------------------------------------


@rule("checks.manage")
def _checks_manage(user, application) -> bool:
    # The members of the employer that made the offer, and nobody else: not registrars, since
    # the checks are the employer's own records of its recruitment (Regulation 19 puts them
    # on the employer, and CQC inspects them there).
    organisation = application.vacancy.organisation
    return (
        organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, organisation) is not None
    )


@rule("checks.view_own")
def _checks_view_own(user, application) -> bool:
    return application.applicant_id == user.pk


# --- The employer's pipeline and interviews (jobs/selectors/pipeline.py) ----------------------


@rule("application.manage")
def _application_manage(user, obj) -> bool:
    # The applicants of a vacancy (`obj` is the vacancy, or one of its applications) are for
    # the members of the employer that advertised it, and nobody else: not other employers,
    # and not registrars, who have no part in a recruitment.
    if isinstance(obj, Application):
        obj = obj.vacancy
    return isinstance(obj, Vacancy) and _vacancy_manage(user, obj.organisation)


@rule("interview.book")
def _interview_book(user, application) -> bool:
    # Only the applicant books, changes or cancels their own interview.
    return application is not None and application.applicant_id == user.pk


@rule("question.take_part")
def _question_take_part(user, thread) -> bool:
    # The person who asked, and every member of the employer asked: its members answer for it,
    # as they manage its vacancies.
    return thread.asker_id == user.pk or (
        thread.organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, thread.organisation) is not None
    )


# --- Paid job trials (issue 21, part 1: jobs/services/trials.py) ------------------------------


@rule("trial.manage")
def _trial_manage(user, application) -> bool:
    # The members of the employer that advertised the vacancy, as for its applicants.
    return _application_manage(user, application)


@rule("trial.take_part")
def _trial_take_part(user, application) -> bool:
    # The candidate answers, confirms and gives feedback on their own trial only.
    return application is not None and application.applicant_id == user.pk


@rule("trial.pay_overview")
def _trial_pay_overview(user, organisation) -> bool:
    # Overdue trial pay is shown to the employer's owners, who answer for paying people.
    if organisation is None or organisation.kind != Organisation.Kind.EMPLOYER:
        return False
    membership = membership_in(user, organisation)
    return membership is not None and membership.role == membership.Role.OWNER
