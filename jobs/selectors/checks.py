"""Reads of the pre-employment checks, for the employer that made the offer and for the
candidate. Anyone else is told the page does not exist (404), as for a reference nobody has."""

from dataclasses import dataclass

from django.http import Http404

from accounts.models import User
from accounts.permissions import can
from jobs.models import Application, PreEmploymentCheck, PreEmploymentChecklist
from jobs.services.checks import OPEN_STAGES

WaitingOn = PreEmploymentCheck.WaitingOn


def _checklist(*, user: User, reference: str, action: str) -> PreEmploymentChecklist:
    application = (
        Application.objects.select_related(
            "vacancy__organisation", "applicant", "entry", "share", "checklist"
        )
        .filter(reference=reference)
        .first()
    )
    if application is None or not can(user, action, application):
        raise Http404
    try:
        return application.checklist
    except PreEmploymentChecklist.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ChecklistPage:
    """A checklist with its items, and what the page says about them."""

    checklist: PreEmploymentChecklist
    items: list[PreEmploymentCheck]

    @property
    def application(self) -> Application:
        return self.checklist.application

    @property
    def unfinished(self) -> list[PreEmploymentCheck]:
        return [item for item in self.items if not item.is_finished]

    @property
    def waiting_on_candidate(self) -> list[PreEmploymentCheck]:
        return [item for item in self.unfinished if item.waiting_on == WaitingOn.CANDIDATE]

    @property
    def is_open(self) -> bool:
        return self.application.stage in OPEN_STAGES

    @property
    def may_hire(self) -> bool:
        return self.is_open and not self.unfinished


def _page(checklist: PreEmploymentChecklist) -> ChecklistPage:
    items = list(checklist.items.select_related("updated_by").order_by("position", "id"))
    return ChecklistPage(checklist=checklist, items=items)


def checklist_for_employer(*, user: User, reference: str) -> ChecklistPage:
    """The checklist of the application `reference`, for a member of the employer."""
    return _page(_checklist(user=user, reference=reference, action="checks.manage"))


def check_for_employer(*, user: User, reference: str, item: str) -> PreEmploymentCheck:
    """One item of the checklist, for a member of the employer."""
    checklist = _checklist(user=user, reference=reference, action="checks.manage")
    check = checklist.items.filter(item=item).first()
    if check is None:
        raise Http404
    check.checklist = checklist
    return check


def checklist_for_candidate(*, user: User, reference: str) -> ChecklistPage:
    """The checklist of the candidate's own application `reference`."""
    return _page(_checklist(user=user, reference=reference, action="checks.view_own"))
