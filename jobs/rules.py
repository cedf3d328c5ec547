"""Who may write and change an organisation's vacancies."""

from accounts.models import Organisation
from accounts.permissions import membership_in, rule


@rule("vacancy.manage")
def _vacancy_manage(user, organisation) -> bool:
    # Any member of the employer, as with its staff list. Whether the organisation is verified
    # is checked by the services, which say so in words rather than refuse blankly.
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, organisation) is not None
    )


@rule("question.take_part")
def _question_take_part(user, thread) -> bool:
    # The person who asked, and every member of the employer asked: its members answer for it,
    # as they manage its vacancies.
    return thread.asker_id == user.pk or (
        thread.organisation.kind == Organisation.Kind.EMPLOYER
        and membership_in(user, thread.organisation) is not None
    )
