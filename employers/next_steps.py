"""What employers answers when accounts asks for a person's next steps on the home page: a
worker makes share codes; an employer checks them and keeps a staff list."""

from django.dispatch import receiver
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.next_steps import NextStep
from accounts.signals import next_steps_requested
from employers.services.verification import employer_is_verified
from register.models import RegisterEntry
from register.selectors.register import entry_for_worker


@receiver(next_steps_requested, sender=User)
def _share_code_and_staff_steps(sender, user, **kwargs):
    steps = []
    if user.is_care_worker:
        entry = entry_for_worker(worker=user)
        if entry is not None and entry.status != RegisterEntry.Status.REMOVED:
            steps.append(
                NextStep(
                    title="Share your record with an employer",
                    text="A share code lets an employer see your registration and training, "
                    "with your date of birth as a second check.",
                    label="Make a share code",
                    url=reverse("employers:share-codes"),
                    order=20,
                )
            )
    for organisation in user.organisations.filter(kind=Organisation.Kind.EMPLOYER).order_by("name"):
        if not employer_is_verified(organisation):
            steps.append(
                NextStep(
                    title=f"{organisation.name} is waiting to be verified",
                    text="A registrar checks every employer before it can see workers' "
                    "records. Until then you can invite colleagues and set up the organisation.",
                    label="See your organisation",
                    url=reverse("accounts:organisation-detail", kwargs={"pk": organisation.pk}),
                    order=10,
                )
            )
            continue
        steps.append(
            NextStep(
                title=f"Check a candidate for {organisation.name}",
                text="Type the share code and date of birth a candidate gave you to see their "
                "registration and training.",
                label="Check a share code",
                url=reverse("employers:check", kwargs={"org_id": organisation.pk}),
                order=10,
            )
        )
        steps.append(
            NextStep(
                title=f"Staff at {organisation.name}",
                text="Your staff's registration and training in one list, with what expires soon.",
                label="Open the staff list",
                url=reverse("employers:staff", kwargs={"org_id": organisation.pk}),
                order=11,
            )
        )
    return steps
