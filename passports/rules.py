"""Who may record, check and revoke training, and issue and manage passports."""

from accounts.models import Membership, Organisation
from accounts.permissions import acts_as_registrar, membership_in, rule
from register.rules import is_own_entry


@rule("training.record")
def _training_record(user, provider) -> bool:
    # Only a training provider's own people record for it; a registrar checks records, but
    # never records on a provider's behalf.
    return (
        provider is not None
        and provider.kind == Organisation.Kind.TRAINING_PROVIDER
        and membership_in(user, provider) is not None
    )


@rule("provider.approve")
def _provider_approve(user, provider) -> bool:
    # Approving or withdrawing a training provider, and seeing who failed to match workers. Never
    # for a provider the registrar belongs to: approving one's own provider would let it verify
    # its own records.
    return acts_as_registrar(user) and (
        provider is None
        or (
            provider.kind == Organisation.Kind.TRAINING_PROVIDER
            and membership_in(user, provider) is None
        )
    )


@rule("training.add_own")
def _training_add_own(user, entry) -> bool:
    return is_own_entry(user, entry)


@rule("training.view")
def _training_view(user, entry) -> bool:
    return is_own_entry(user, entry) or acts_as_registrar(user)


@rule("training.decide")
def _training_decide(user, record) -> bool:
    # Never a record about oneself, nor one a registrar recorded themselves as a provider.
    return acts_as_registrar(user) and (
        record is None or (record.entry.worker_id != user.pk and record.recorded_by_id != user.pk)
    )


@rule("training.revoke")
def _training_revoke(user, record) -> bool:
    if record is None:
        return False
    if (
        record.provider_id is not None
        and Membership.objects.filter(user=user, organisation_id=record.provider_id).exists()
    ):
        return True
    return acts_as_registrar(user) and record.entry.worker_id != user.pk


# --- Signed passports ------------------------------------------------------------------------


@rule("passport.issue")
def _passport_issue(user, entry) -> bool:
    return is_own_entry(user, entry) or acts_as_registrar(user)


@rule("passport.manage")
def _passport_manage(user, entry) -> bool:
    # Revoking, suspending and lifting a suspension; as ever, never on one's own entry.
    return acts_as_registrar(user) and (entry is None or entry.worker_id != user.pk)
