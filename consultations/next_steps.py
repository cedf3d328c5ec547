"""What consultations answers when accounts asks for a person's next steps on the home page."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.next_steps import NextStep
from accounts.signals import next_steps_requested


@receiver(next_steps_requested, sender=User)
def _consultation_steps(sender, user, **kwargs):
    if not user.organisations.filter(kind=Organisation.Kind.ASSOCIATION).exists():
        return []
    return [
        NextStep(
            title="Consultations",
            text="Ask the sector a short set of questions, follow the answers as they arrive, "
            "and publish what you found.",
            label="Run a consultation",
            url=reverse("consultations:manage-list"),
            order=10,
        )
    ]
