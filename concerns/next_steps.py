"""What concerns answers when accounts asks for a person's next steps on the home page: a
worker with a case to respond to, or a decision they may appeal, sees it first."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.next_steps import NextStep
from accounts.signals import next_steps_requested
from concerns.models import Case
from concerns.selectors import case_deadlines_for_worker, cases_for_worker
from core.dates import format_day


@receiver(next_steps_requested, sender=User)
def _worker_case_steps(sender, user, **kwargs):
    if not user.is_care_worker:
        return []
    steps = []
    for case in cases_for_worker(user=user).exclude(status=Case.Status.CLOSED):
        deadlines = case_deadlines_for_worker(case)
        if deadlines:
            first = deadlines[0]
            if first.anchor == "appeal":
                text = f"You may appeal against the decision until {format_day(first.due)}."
                label = "Read the decision"
            else:
                text = f"You have a case to respond to by {format_day(first.due)}."
                label = "Read the concern and respond"
        else:
            text = "A concern about you is being looked into. See where it is and what comes next."
            label = "See the case"
        steps.append(
            NextStep(
                title=f"A concern about you (case {case.reference})",
                text=text,
                label=label,
                url=reverse("concerns:worker-case", args=[case.reference]),
                # Before everything else a worker does here: it has a deadline.
                order=1 if deadlines else 8,
            )
        )
    return steps
