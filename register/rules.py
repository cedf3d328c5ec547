"""Who may apply, decide applications, manage entries, renew and publish the code of conduct."""

from accounts.models import Organisation
from accounts.permissions import acts_as_registrar, rule


@rule("application.start")
def _application_start(user, obj) -> bool:
    return user.is_care_worker


@rule("application.edit")
def _application_edit(user, application) -> bool:
    return application.worker_id == user.pk


@rule("application.view")
def _application_view(user, application) -> bool:
    return application.worker_id == user.pk or acts_as_registrar(user)


@rule("application.decide")
def _application_decide(user, application) -> bool:
    # Nobody decides their own application, registrar or not.
    return acts_as_registrar(user) and (application is None or application.worker_id != user.pk)


@rule("evidence.view")
def _evidence_view(user, evidence) -> bool:
    return evidence.owner_id == user.pk or acts_as_registrar(user)


@rule("entry.manage")
def _entry_manage(user, entry) -> bool:
    return acts_as_registrar(user) and (entry is None or entry.worker_id != user.pk)


def is_own_entry(user, entry) -> bool:
    return entry is not None and entry.worker_id == user.pk


@rule("cpd.log")
def _cpd_log(user, entry) -> bool:
    return is_own_entry(user, entry)


@rule("renewal.submit")
def _renewal_submit(user, entry) -> bool:
    return is_own_entry(user, entry)


@rule("renewal.decide")
def _renewal_decide(user, renewal) -> bool:
    # As with entry.manage: a registrar who is also on the register never decides their own.
    return acts_as_registrar(user) and (renewal is None or renewal.entry.worker_id != user.pk)


@rule("cpd.change")
def _cpd_change(user, activity) -> bool:
    # Editing and deleting: only the worker's own entries; whether the entry is still open to
    # change (not part of a renewal sent) is the service's rule, with its own message.
    return activity is not None and is_own_entry(user, activity.entry)


@rule("entry.history")
def _entry_history(user, entry) -> bool:
    return is_own_entry(user, entry)


@rule("code.publish")
def _code_publish(user, obj) -> bool:
    # The associations publish the code; registrars, who hold workers to it, may too.
    return (
        acts_as_registrar(user)
        or user.organisations.filter(kind=Organisation.Kind.ASSOCIATION).exists()
    )


@rule("code.acceptances")
def _code_acceptances(user, obj) -> bool:
    # Who accepted which version is about named workers: registrars only.
    return acts_as_registrar(user)
