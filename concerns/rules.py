"""Who may see and act on a case. Registrars act only on cases they have no part in as the
worker or the raiser; beyond the screening queue, a registrar sees a case's contents only once
they have a part in it, or while an interim suspension waits for a second registrar to review
it (docs/concerns.md, "Who sees a case"). Others see the queue's summary line, from which they
may join a panel."""

from dataclasses import dataclass
from datetime import date

from accounts.models import Organisation
from accounts.permissions import acts_as_registrar, rule
from concerns.models import Case, InterimOrder
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
    # Through the case's own manager, so that a queue which prefetched the participants asks
    # the database nothing more for each case.
    return {part.role for part in case.participants.all() if part.registrar_id == user.pk}


def interim_awaiting_review(case: Case) -> InterimOrder | None:
    """The interim suspension in force that no registrar has reviewed yet, if there is one."""
    return next(
        (
            order
            for order in case.interim_orders.all()
            if order.ended_at is None and order.reviewed_at is None
        ),
        None,
    )


@rule("concern.queue")
def _concern_queue(user, obj) -> bool:
    return acts_as_registrar(user)


@rule("case.view")
def _case_view(user, case) -> bool:
    # A received case is open to every registrar who may screen it; after that, only to
    # those with a part in it, and to those who may review an interim suspension nobody has
    # reviewed yet: the second registrar who reviews it must read the case to do so, and it
    # is anyone but the registrar who imposed it.
    if not acts_as_registrar(user) or is_conflicted(user, case):
        return False
    if case.status == Case.Status.RECEIVED or roles_in(user, case):
        return True
    order = interim_awaiting_review(case)
    return order is not None and order.imposed_by_id != user.pk


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


def response_window_open(case: Case, today: date) -> bool:
    """The worker still has time to respond and has not yet done so."""
    if case.response_due is None or today > case.response_due:
        return False
    # The queue counts the responses in its one query; a single case asks.
    count = getattr(case, "response_count", None)
    return not (case.responses.exists() if count is None else count)
