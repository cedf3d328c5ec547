"""The one place that answers "may this user do X to this object?".

Views, API views and templates ask `can(user, action, obj)` or `require(...)`; no other module
decides access on its own. Each rule is a small function, registered by its action name.
"""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.core.exceptions import PermissionDenied

from register.models import Membership, Organisation, RegisterEntry

Rule = Callable[..., bool]
_RULES: dict[str, Rule] = {}


def rule(action: str):
    def register_rule(function: Rule) -> Rule:
        if action in _RULES:
            raise ValueError(f"A rule for {action!r} is already registered.")
        _RULES[action] = function
        return function

    return register_rule


def can(user, action: str, obj=None) -> bool:
    try:
        check = _RULES[action]
    except KeyError:
        raise ValueError(f"No permission rule for {action!r}.") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return check(user, obj)


def require(user, action: str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def known_actions() -> list[str]:
    return sorted(_RULES)


def _acts_as_registrar(user) -> bool:
    # A registrar's powers reach every worker's personal data, so they count only once the
    # account is protected by a second factor.
    return user.is_registrar and is_mfa_enabled(user)


def _membership(user, organisation: Organisation) -> Membership | None:
    return organisation.memberships.filter(user=user).first()


@rule("registrar.access")
def _registrar_access(user, obj) -> bool:
    return _acts_as_registrar(user)


@rule("audit.view")
def _audit_view(user, obj) -> bool:
    return _acts_as_registrar(user) or (user.is_superuser and is_mfa_enabled(user))


@rule("organisation.create")
def _organisation_create(user, obj) -> bool:
    # Associations run consultations for the whole sector, so only staff set them up.
    kind = obj
    if kind == Organisation.Kind.ASSOCIATION:
        return user.is_staff
    return True


@rule("organisation.view")
def _organisation_view(user, organisation) -> bool:
    return _membership(user, organisation) is not None or _acts_as_registrar(user)


@rule("organisation.invite")
def _organisation_invite(user, organisation) -> bool:
    membership = _membership(user, organisation)
    return membership is not None and membership.role == Membership.Role.OWNER


@rule("organisation.remove_member")
def _organisation_remove_member(user, organisation) -> bool:
    return _organisation_invite(user, organisation)


@rule("organisation.change_role")
def _organisation_change_role(user, organisation) -> bool:
    return _organisation_invite(user, organisation)


@rule("consultation.manage")
def _consultation_manage(user, association) -> bool:
    return (
        association.kind == Organisation.Kind.ASSOCIATION
        and _membership(user, association) is not None
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


@rule("application.start")
def _application_start(user, obj) -> bool:
    return user.is_care_worker


@rule("application.edit")
def _application_edit(user, application) -> bool:
    return application.worker_id == user.pk


@rule("application.view")
def _application_view(user, application) -> bool:
    return application.worker_id == user.pk or _acts_as_registrar(user)


@rule("application.decide")
def _application_decide(user, application) -> bool:
    # Nobody decides their own application, registrar or not.
    return _acts_as_registrar(user) and (application is None or application.worker_id != user.pk)


@rule("evidence.view")
def _evidence_view(user, evidence) -> bool:
    return evidence.owner_id == user.pk or _acts_as_registrar(user)


@rule("entry.manage")
def _entry_manage(user, entry) -> bool:
    return _acts_as_registrar(user) and (entry is None or entry.worker_id != user.pk)


# --- Renewal ---------------------------------------------------------------------------------


def _is_own_entry(user, entry) -> bool:
    return entry is not None and entry.worker_id == user.pk


@rule("cpd.log")
def _cpd_log(user, entry) -> bool:
    return _is_own_entry(user, entry)


@rule("renewal.submit")
def _renewal_submit(user, entry) -> bool:
    return _is_own_entry(user, entry)


@rule("renewal.decide")
def _renewal_decide(user, renewal) -> bool:
    # As with entry.manage: a registrar who is also on the register never decides their own.
    return _acts_as_registrar(user) and (renewal is None or renewal.entry.worker_id != user.pk)


# --- Training records ------------------------------------------------------------------------


@rule("training.record")
def _training_record(user, provider) -> bool:
    # Only a training provider's own people record for it; a registrar checks records, but
    # never records on a provider's behalf.
    return (
        provider is not None
        and provider.kind == Organisation.Kind.TRAINING_PROVIDER
        and _membership(user, provider) is not None
    )


@rule("training.add_own")
def _training_add_own(user, entry) -> bool:
    return _is_own_entry(user, entry)


@rule("training.view")
def _training_view(user, entry) -> bool:
    return _is_own_entry(user, entry) or _acts_as_registrar(user)


@rule("training.decide")
def _training_decide(user, record) -> bool:
    # Never a record about oneself, nor one a registrar recorded themselves as a provider.
    return _acts_as_registrar(user) and (
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
    return _acts_as_registrar(user) and record.entry.worker_id != user.pk


# --- Signed passports ------------------------------------------------------------------------


@rule("passport.issue")
def _passport_issue(user, entry) -> bool:
    return _is_own_entry(user, entry) or _acts_as_registrar(user)


@rule("passport.manage")
def _passport_manage(user, entry) -> bool:
    # Revoking, suspending and lifting a suspension; as ever, never on one's own entry.
    return _acts_as_registrar(user) and (entry is None or entry.worker_id != user.pk)


# --- Employers: share codes, staff lists, API keys, webhooks ---------------------------------


def _is_employer_member(user, organisation) -> bool:
    return (
        organisation is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and _membership(user, organisation) is not None
    )


@rule("sharecode.manage_own")
def _sharecode_manage_own(user, entry) -> bool:
    return _is_own_entry(user, entry)


@rule("sharecode.check")
def _sharecode_check(user, organisation) -> bool:
    # A share code opens a worker's record to an employer, and to nobody else: not even a
    # registrar, who has their own pages.
    return _is_employer_member(user, organisation)


@rule("staff.view")
def _staff_view(user, organisation) -> bool:
    return _is_employer_member(user, organisation)


@rule("staff.manage")
def _staff_manage(user, organisation) -> bool:
    return _is_employer_member(user, organisation)


@rule("webhook.manage")
def _webhook_manage(user, organisation) -> bool:
    membership = _membership(user, organisation) if organisation is not None else None
    return (
        membership is not None
        and organisation.kind == Organisation.Kind.EMPLOYER
        and membership.role == Membership.Role.OWNER
    )


@rule("apikey.manage")
def _apikey_manage(user, organisation) -> bool:
    membership = _membership(user, organisation) if organisation is not None else None
    return membership is not None and membership.role == Membership.Role.OWNER
