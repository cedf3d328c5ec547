"""Who may see and act on a case. Registrars act only on cases they have no part in as the
worker or the raiser; beyond the screening queue, a registrar sees a case's contents only once
they have a part in it (docs/concerns.md, "Who sees a case")."""

from dataclasses import dataclass

from accounts.models import Organisation
from accounts.permissions import acts_as_registrar, rule
from concerns.models import Case, Participant
from register.models import RegisterEntry


@dataclass(frozen=True)
class StaffWorker:
    """A worker and an organisation whose staff list holds them: what an employer raises a
    concern about from its staff list. The rule that says whether it may,
    "concern.raise_as_employer", is the employers app's, since it keeps the staff lists."""

    organisation: Organisation
    entry: RegisterEntry


def is_conflicted(user, case: Case) -> bool:
    """The worker the concern is about, and the person who raised it, take no part in it."""
    worker_id = case.entry.worker_id if case.entry_id else None
    return user.pk in {worker_id, case.raiser_user_id}


def roles_in(user, case: Case) -> set[str]:
    return set(
        Participant.objects.filter(case=case, registrar_id=user.pk).values_list("role", flat=True)
    )


@rule("concern.queue")
def _concern_queue(user, obj) -> bool:
    return acts_as_registrar(user)


@rule("case.view")
def _case_view(user, case) -> bool:
    # A received case is open to every registrar who may screen it; after that, only to
    # those with a part in it.
    if not acts_as_registrar(user) or is_conflicted(user, case):
        return False
    return case.status == Case.Status.RECEIVED or bool(roles_in(user, case))


@rule("case.act")
def _case_act(user, case) -> bool:
    """Screening, joining a panel: any registrar without a conflict (services check the rest)."""
    return acts_as_registrar(user) and not is_conflicted(user, case)


@rule("case.worker_view")
def _case_worker_view(user, case) -> bool:
    return (
        case.entry_id is not None
        and case.entry.worker_id == user.pk
        and case.worker_told_at is not None
    )
