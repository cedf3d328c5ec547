"""What passports answers when accounts asks for a person's next steps on the home page."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.next_steps import NextStep
from accounts.signals import next_steps_requested
from register.models import RegisterEntry
from register.selectors.register import entry_for_worker

Status = RegisterEntry.Status


@receiver(next_steps_requested, sender=User)
def _passport_and_training_steps(sender, user, **kwargs):
    steps = []
    if user.is_care_worker:
        entry = entry_for_worker(worker=user)
        if entry is not None and entry.status != Status.REMOVED:
            steps.append(
                NextStep(
                    title="Your training passport",
                    text="Your training in one signed passport: download it, add training, "
                    "and give employers a link they can check.",
                    label="See your passport",
                    url=reverse("passports:page"),
                    order=15,
                )
            )
    for organisation in user.organisations.filter(
        kind=Organisation.Kind.TRAINING_PROVIDER
    ).order_by("name"):
        steps.append(
            NextStep(
                title=f"Training by {organisation.name}",
                text="Record training you delivered, one person at a time or from a CSV file.",
                label="Record training",
                url=reverse("passports:provider-records", kwargs={"org_id": organisation.pk}),
                order=12,
            )
        )
    return steps
