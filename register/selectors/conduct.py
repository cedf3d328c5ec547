"""Who accepted which version of the code of conduct, for registrars."""

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery

from accounts.models import User
from accounts.permissions import require
from register.models import CodeAcceptance, CodeOfConduct, RegisterEntry


def code_versions_with_acceptances(*, user: User) -> QuerySet[CodeOfConduct]:
    """Every version, newest first, each with `accepted`: how many people accepted it."""
    require(user, "code.acceptances")
    return (
        CodeOfConduct.objects.annotate(accepted=Count("acceptances"))
        .select_related("published_by")
        .order_by("-version")
    )


def entries_yet_to_accept(*, user: User, code: CodeOfConduct) -> QuerySet[RegisterEntry]:
    """Entries on the register (not removed) whose worker has not accepted `code`, by name,
    each with `last_version` and `last_accepted_at`: the newest version they did accept."""
    require(user, "code.acceptances")
    accepted = CodeAcceptance.objects.filter(user=OuterRef("worker"), code=code)
    newest = CodeAcceptance.objects.filter(user=OuterRef("worker")).order_by("-code__version")
    return (
        RegisterEntry.objects.exclude(status=RegisterEntry.Status.REMOVED)
        .filter(~Exists(accepted))
        .annotate(
            last_version=Subquery(newest.values("code__version")[:1]),
            last_accepted_at=Subquery(newest.values("accepted_at")[:1]),
        )
        .order_by("search_name", "id")
    )


def code_acceptances_of(*, user: User, worker: User) -> QuerySet[CodeAcceptance]:
    """Every version `worker` accepted, newest first, for the registrar's page of their entry."""
    require(user, "code.acceptances")
    return worker.code_acceptances.select_related("code").order_by("-code__version")
