"""What happens next on a case, and whether the registrar looking at it may do it: the words
the queue and the case page show, and the forms the case page offers.

This reads the same facts the services check (concerns/services/cases.py), so that a page
offers only the steps its reader may take and says why not; the services still decide, and a
step offered here that a service refuses shows the service's message.
"""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from concerns.models import Case, Decision, InterimOrder, Participant
from concerns.rules import (
    interim_awaiting_review,
    is_conflicted,
    response_window_open,
    roles_in,
)
from core.dates import format_day

Status = Case.Status
Role = Participant.Role
PANEL_SIZE = 2

# The queue's groups, in the order the queue shows them.
GROUPS = {
    "screen": "To screen",
    "panel": "Waiting for a decision panel member",
    "investigating": "Being investigated",
    "agree": "Waiting for the second registrar to agree",
    "appeal_window": "Open to appeal",
    "appeal": "Appeals to decide",
}


@dataclass
class Position:
    """Where a case stands for one registrar."""

    group: str
    next_step: str
    you: str
    key_date_label: str = ""
    key_date: date | None = None
    overdue: bool = False
    # The steps the registrar may take now: "screen", "interim", "interim_review",
    # "join_decision", "join_appeal", "propose", "second_opinion".
    steps: set[str] = field(default_factory=set)
    # The interim suspension in force and not yet reviewed, and the proposal waiting for a
    # second registrar, when there is one.
    interim_to_review: InterimOrder | None = None
    proposal: Decision | None = None
    can_view: bool = False


def _panel(case: Case, role: str) -> list[Participant]:
    return [part for part in case.participants.all() if part.role == role]


def _proposal(case: Case, *, on_appeal: bool) -> Decision | None:
    return next(
        (
            decision
            for decision in case.decisions.all()
            if decision.on_appeal == on_appeal and decision.status == Decision.Status.PROPOSED
        ),
        None,
    )


def _more(count: int) -> str:
    missing = PANEL_SIZE - count
    return "one more registrar" if missing == 1 else f"{missing} registrars"


def case_position(case: Case, user, *, can_view: bool) -> Position:
    """The next step on `case` and what `user` may do about it. `can_view` is the rule
    case.view's answer for them, which the caller already has."""
    today = timezone.localdate()
    mine = roles_in(user, case)
    conflicted = is_conflicted(user, case)
    if case.status == Status.RECEIVED:
        position = _received(case, today)
        if not conflicted:
            position.steps.add("screen")
    elif case.status == Status.INVESTIGATING:
        position = _investigating(case, user, mine, today)
    elif case.status == Status.APPEALED:
        position = _appealed(case, user, mine)
    elif case.status == Status.APPEAL_WINDOW:
        position = Position(
            group="appeal_window",
            next_step=(
                f"The worker may appeal until {format_day(case.appeal_due)}. If they do not, "
                "the case closes the day after."
            ),
            you="Nothing to do unless the worker appeals.",
            key_date_label="Appeal due by",
            key_date=case.appeal_due,
        )
    else:
        # Screened and decided last only as long as the step that moves them on.
        position = Position(
            group="investigating", next_step=case.get_status_display(), you="Nothing to do now."
        )
    if conflicted:
        position.steps = set()
        position.you = "This case is about you, or you raised it: you take no part in it."
    position.can_view = can_view
    if not can_view:
        # Only the steps that a registrar with no part takes from the queue's summary line.
        position.steps &= {"join_decision", "join_appeal"}
    return position


def _received(case: Case, today: date) -> Position:
    overdue = case.screening_overdue
    return Position(
        group="screen",
        next_step=(
            f"Overdue: was due by {format_day(case.screening_due)}. Screen it now."
            if overdue
            else f"Screen it by {format_day(case.screening_due)}."
        ),
        you="You may screen it.",
        key_date_label="Screen by",
        key_date=case.screening_due,
        overdue=overdue,
    )


def _investigating(case: Case, user, mine: set[str], today: date) -> Position:
    panel = _panel(case, Role.DECISION_MAKER)
    on_panel = Role.DECISION_MAKER in mine
    screened = case.screened_by_id == user.pk
    proposal = _proposal(case, on_appeal=False)
    window_open = response_window_open(case, today)
    position = Position(
        group="investigating",
        next_step="",
        you="",
        key_date_label="Worker to respond by",
        key_date=case.response_due,
        proposal=proposal,
    )
    if proposal is not None:
        position.group = "agree"
        position.next_step = (
            f"{proposal.proposed_by.full_name} proposed "
            f"{proposal.get_outcome_display().lower()}: the second registrar on the decision "
            "panel to agree or not."
        )
        if proposal.proposed_by_id == user.pk:
            position.you = "You proposed this decision, so the other registrar must agree it."
        elif on_panel:
            position.you = "You may agree the proposed decision, or not."
            position.steps.add("second_opinion")
        elif screened:
            position.you = "You screened this case, so you cannot decide it."
        else:
            position.you = "Only the two registrars on the decision panel decide."
    elif len(panel) < PANEL_SIZE:
        position.group = "panel"
        position.next_step = f"The decision panel needs {_more(len(panel))}."
        if screened:
            position.you = "You screened this case, so you cannot decide it."
        elif on_panel:
            position.you = "You are on the decision panel. It needs one more registrar."
        else:
            position.you = "You may join the decision panel."
            position.steps.add("join_decision")
    else:
        if window_open:
            position.next_step = (
                f"Waiting for the worker's response, due by {format_day(case.response_due)}; "
                "then the decision panel proposes a decision."
            )
        else:
            position.next_step = "The decision panel to propose a decision."
        if on_panel:
            if window_open:
                position.you = (
                    "You are on the decision panel. You may propose a decision once the worker "
                    f"has responded or {format_day(case.response_due)} has passed."
                )
            else:
                position.you = "You may propose the decision."
                position.steps.add("propose")
        elif screened:
            position.you = "You screened this case, so you cannot decide it."
        else:
            position.you = "The decision panel is full."
    _interim_steps(case, user, mine, position)
    return position


def _interim_steps(case: Case, user, mine: set[str], position: Position) -> None:
    in_force = next((order for order in case.interim_orders.all() if order.in_force), None)
    to_review = interim_awaiting_review(case)
    position.interim_to_review = to_review
    if to_review is not None:
        if to_review.imposed_by_id == user.pk:
            position.you += (
                " You imposed the interim suspension, so another registrar must review it."
            )
        else:
            position.steps.add("interim_review")
            position.you += " You may review the interim suspension."
    if (
        in_force is None
        and mine
        and case.risk == Case.Risk.SERIOUS
        and case.entry_id is not None
        and case.entry.may_practise
    ):
        position.steps.add("interim")


def _appealed(case: Case, user, mine: set[str]) -> Position:
    panel = _panel(case, Role.APPEAL_DECIDER)
    on_panel = Role.APPEAL_DECIDER in mine
    decided = Role.DECISION_MAKER in mine
    screened = case.screened_by_id == user.pk
    proposal = _proposal(case, on_appeal=True)
    appeal = getattr(case, "appeal", None)
    position = Position(
        group="appeal",
        next_step="",
        you="",
        key_date_label="Appeal received",
        key_date=timezone.localdate(appeal.lodged_at) if appeal else None,
        proposal=proposal,
    )
    if proposal is not None:
        position.group = "agree"
        position.next_step = (
            f"{proposal.proposed_by.full_name} proposed to "
            f"{'uphold' if proposal.upheld else 'dismiss'} the appeal: the second registrar on "
            "the appeal panel to agree or not."
        )
        if proposal.proposed_by_id == user.pk:
            position.you = "You proposed this decision, so the other registrar must agree it."
        elif on_panel:
            position.you = "You may agree the proposed appeal decision, or not."
            position.steps.add("second_opinion")
        elif decided:
            position.you = (
                "You took part in the decision, so you cannot decide the appeal against it."
            )
        else:
            position.you = "Only the two registrars on the appeal panel decide."
    elif len(panel) < PANEL_SIZE:
        position.next_step = f"The appeal panel needs {_more(len(panel))}."
        if decided:
            position.you = (
                "You took part in the decision, so you cannot decide the appeal against it."
            )
        elif screened:
            position.you = "You screened this case, so you cannot decide it or its appeal."
        elif on_panel:
            position.you = "You are on the appeal panel. It needs one more registrar."
        else:
            position.you = "You may join the appeal panel."
            position.steps.add("join_appeal")
    else:
        position.next_step = "The appeal panel to decide the appeal."
        if on_panel:
            position.you = "You may propose the appeal decision."
            position.steps.add("propose")
        elif decided:
            position.you = (
                "You took part in the decision, so you cannot decide the appeal against it."
            )
        else:
            position.you = "The appeal panel is full."
    return position
