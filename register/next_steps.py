"""What register answers when accounts asks for a care worker's next step on the home page."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.next_steps import NextStep
from accounts.signals import next_steps_requested
from register.models import Application, RegisterEntry
from register.selectors.register import application_latest_for_worker, entry_for_worker

Status = Application.Status

_WAITING = {
    Status.SUBMITTED: "We are checking your application. We will email you when we decide.",
    Status.AWAITING_SECOND_APPROVAL: (
        "A second registrar is checking your application. We will email you when we decide."
    ),
    Status.INFORMATION_REQUESTED: (
        "The registrar needs more information from you before deciding your application."
    ),
}


@receiver(next_steps_requested, sender=User)
def _care_worker_next_step(sender, user, **kwargs):
    if not user.is_care_worker:
        return []
    entry = entry_for_worker(worker=user)
    if entry is not None and entry.status != RegisterEntry.Status.REMOVED:
        return [
            NextStep(
                title="Your registration",
                text=f"You are on the register as {entry.registration_number} "
                f"({entry.get_status_display().lower()}). See your details and when to renew.",
                label="See your registration",
                url=reverse("register:worker-dashboard"),
                order=30,
            )
        ]
    application = application_latest_for_worker(worker=user)
    apply = reverse("register:apply-start")
    if application is not None and application.status == Status.DRAFT:
        return [
            NextStep(
                title="Your application",
                text="Your application is saved. Carry on where you stopped.",
                label="Continue your application",
                url=apply,
                order=10,
            )
        ]
    if application is not None and application.status in _WAITING:
        needs_answer = application.status == Status.INFORMATION_REQUESTED
        return [
            NextStep(
                title="Your application",
                text=_WAITING[application.status],
                label="Answer the registrar" if needs_answer else "See your application",
                url=apply,
                order=10,
            )
        ]
    return [
        NextStep(
            title="Join the register",
            text="Apply to join the register: prove your identity once, then keep your "
            "training in one passport that any employer can check.",
            label="Start your application",
            url=apply,
            order=10,
        )
    ]
