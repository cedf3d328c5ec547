"""What the signed-in home page offers a person next, by their state: apply, continue an
application, see a passport, make or check a share code, open a staff list, run a
consultation. Each app that knows the state answers `next_steps_requested`; accounts knows only
the registrar's pages."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role, roles_of
from accounts.signals import collected, next_steps_requested


@dataclass(frozen=True)
class NextStep:
    """A card on the home page with one button. Lower `order` comes first; the most usual
    next step of a role is 10 to 19."""

    title: str
    text: str
    label: str
    url: str
    order: int = 50


def next_steps_for(user: User) -> list[NextStep]:
    steps = collected(next_steps_requested.send(sender=User, user=user))
    if Role.REGISTRAR in roles_of(user):
        steps.append(
            NextStep(
                title="Registrar",
                text="Applications, checks, renewals and changes of name waiting for a decision.",
                label="Open the registrar pages",
                url=reverse("accounts:registrar-home"),
                order=5,
            )
        )
    return sorted(steps, key=lambda step: (step.order, step.title))
