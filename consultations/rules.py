"""Who may build, answer, analyse and publish consultations."""

from accounts.models import Membership, Organisation
from accounts.permissions import membership_in, rule
from register.models import RegisterEntry


@rule("consultation.manage")
def _consultation_manage(user, association) -> bool:
    return (
        association.kind == Organisation.Kind.ASSOCIATION
        and membership_in(user, association) is not None
    )


@rule("consultation.analyse")
def _consultation_analyse(user, consultation) -> bool:
    # Reading every answer, tagging themes and exporting: only the owning association's people.
    return consultation is not None and _consultation_manage(user, consultation.organisation)


@rule("consultation.publish")
def _consultation_publish(user, consultation) -> bool:
    return _consultation_analyse(user, consultation)


@rule("consultation.answer")
def _consultation_answer(user, consultation) -> bool:
    # Who may answer when the audience is limited; people not signed in never reach a rule
    # (can() refuses them), so the consultation's own allow_anonymous decides for them.
    audience = consultation.audience
    if audience == "registered_workers":
        return RegisterEntry.objects.filter(
            worker=user, status__in=RegisterEntry.PRACTISING
        ).exists()
    if audience == "organisation_members":
        return Membership.objects.filter(
            user=user, organisation__in=consultation.audience_organisations.all()
        ).exists()
    return True
