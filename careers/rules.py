"""Who may do what in careers: one module of rules for every part (quizzes, stories,
campaigns), registered with accounts.permissions."""

# --- Quizzes (careers/services/quizzes.py) ------------------------------------------------------

from accounts.models import Organisation  # noqa: E402
from accounts.permissions import membership_in, rule  # noqa: E402


@rule("quiz.manage")
def _quiz_manage(user, quiz) -> bool:
    # As with consultations, any member of the association that looks after the quiz writes
    # its versions; other associations, employers and registrars do not.
    return (
        quiz is not None
        and quiz.organisation.kind == Organisation.Kind.ASSOCIATION
        and membership_in(user, quiz.organisation) is not None
    )


@rule("quiz.figures")
def _quiz_figures(user, quiz) -> bool:
    return _quiz_manage(user, quiz)
