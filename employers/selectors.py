"""Reads for employers' pages and for the worker's view of who has seen their record."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from accounts.permissions import can, require
from employers.models import (
    ApiKey,
    EmployerVerification,
    ShareCode,
    ShareCodeCheck,
    StaffMembership,
    WebhookDelivery,
    WebhookEndpoint,
)
from employers.services.api_keys import UNUSED_AFTER
from employers.services.verification import employer_require_verified
from passports.models import TrainingRecord, TrainingStandard
from passports.selectors import RecordState, record_state
from register.models import RegisterEntry

SORTS = {"name", "status", "expiry"}


def employer_organisation_get(*, user: User, pk: int, action: str = "staff.view") -> Organisation:
    """An employer organisation the user may act for; to anyone else it does not exist."""
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not can(user, action, organisation):
        raise Http404("No such employer.")
    return organisation


def organisation_for_owner(*, user: User, pk: int, action: str) -> Organisation:
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None or not can(user, "organisation.view", organisation):
        raise Http404("No such organisation.")
    require(user, action, organisation)
    return organisation


# --- The worker's side ----------------------------------------------------------------------


def share_codes_for_worker(*, user: User, entry: RegisterEntry) -> list[ShareCode]:
    """The worker's codes, newest first, each with every check made with it."""
    require(user, "sharecode.manage_own", entry)
    return list(
        ShareCode.objects.filter(entry=entry).prefetch_related(
            Prefetch(
                "checks",
                queryset=ShareCodeCheck.objects.select_related("organisation", "user").order_by(
                    "-checked_at", "-id"
                ),
            )
        )
    )


def share_code_get_for_worker(*, user: User, pk: int) -> ShareCode:
    share_code = ShareCode.objects.select_related("entry").filter(pk=pk).first()
    if share_code is None or not can(user, "sharecode.manage_own", share_code.entry):
        raise Http404("No such share code.")
    return share_code


def employers_listing_worker(*, user: User, entry: RegisterEntry) -> list[StaffMembership]:
    """The employers that have the worker on their staff list now."""
    require(user, "sharecode.manage_own", entry)
    return list(
        StaffMembership.objects.filter(entry=entry, status=StaffMembership.Status.ACTIVE)
        .select_related("organisation", "added_by")
        .order_by("organisation__name")
    )


def staff_membership_get_for_worker(*, user: User, pk: int) -> StaffMembership:
    """A staff list entry naming the user's own registration; to anyone else it does not
    exist."""
    membership = (
        StaffMembership.objects.select_related("entry", "organisation").filter(pk=pk).first()
    )
    if membership is None or not can(user, "staff.leave", membership):
        raise Http404("No such staff list entry.")
    return membership


# --- The employer's side --------------------------------------------------------------------


def staff_left_recently(
    *, user: User, organisation: Organisation, days: int = 90
) -> list[StaffMembership]:
    """Workers who took themselves off the organisation's staff list in the last `days` days,
    newest first, so the employer knows they left."""
    require(user, "staff.view", organisation)
    return list(
        StaffMembership.objects.filter(
            organisation=organisation,
            status=StaffMembership.Status.LEFT,
            removed_at__gte=timezone.now() - timedelta(days=days),
        )
        .select_related("entry")
        .order_by("-removed_at", "-id")
    )


def check_get_for_organisation(*, user: User, organisation: Organisation, pk: int):
    """An accepted check this organisation made; any other does not exist for it."""
    require(user, "staff.manage", organisation)
    check = (
        ShareCodeCheck.objects.select_related("share_code__entry")
        .filter(pk=pk, organisation=organisation, outcome=ShareCodeCheck.Outcome.ACCEPTED)
        .first()
    )
    if check is None:
        raise Http404("No such check.")
    return check


def staff_list_has(*, user: User, organisation: Organisation, entry: RegisterEntry) -> bool:
    require(user, "sharecode.check", organisation)
    return StaffMembership.objects.filter(
        organisation=organisation, entry=entry, status=StaffMembership.Status.ACTIVE
    ).exists()


def staff_membership_get(
    *, user: User, organisation: Organisation, registration_number: str = "", pk: int | None = None
) -> StaffMembership:
    """An active staff list entry of this organisation, by its id or the registration number."""
    require(user, "staff.view", organisation)
    memberships = StaffMembership.objects.select_related("entry", "organisation").filter(
        organisation=organisation, status=StaffMembership.Status.ACTIVE
    )
    if pk is not None:
        membership = memberships.filter(pk=pk).first()
    else:
        membership = memberships.filter(entry__registration_number=registration_number).first()
    if membership is None:
        raise Http404("No such worker on the staff list.")
    return membership


@dataclass(frozen=True)
class TrainingOnDashboard:
    """The few fields of a verified training record the dashboard needs. Staff lists run to
    thousands of records, and building a full model (and its standard) for each was most of
    the page's time."""

    pk: int
    standard: TrainingStandard
    standard_id: int
    completed_on: date
    expires_on: date | None


@dataclass(frozen=True)
class StaffRow:
    """One worker on the dashboard. `attention` is their training due within
    passports.selectors.DUE_SOON_DAYS days or already expired: of each training, the newest
    verified record, when it is not valid. `next_expiry` is the next expiry still to come;
    `expired_on`, when some training has already expired, the earliest such expiry."""

    membership: StaffMembership
    entry: RegisterEntry
    attention: list[RecordState]
    next_expiry: date | None
    expired_on: date | None = None

    @property
    def attention_text(self) -> str:
        return "; ".join(f"{item.record.standard.title}: {item.label}" for item in self.attention)


def _newest_per_standard(records: list[TrainingOnDashboard]) -> list[TrainingOnDashboard]:
    # A later record of the same training replaces an earlier one: only the newest counts.
    newest: dict[int, TrainingOnDashboard] = {}
    for record in records:
        kept = newest.get(record.standard_id)
        if kept is None or (record.completed_on, record.pk) > (kept.completed_on, kept.pk):
            newest[record.standard_id] = record
    return list(newest.values())


def staff_dashboard(
    *, user: User, organisation: Organisation, today: date, sort: str = "name"
) -> list[StaffRow]:
    """The organisation's staff list, each worker with their status and training needing
    attention. Three queries, whatever the number of staff. Only for an organisation a
    registrar has verified (EmployerNotVerified otherwise, ADR 0019)."""
    require(user, "staff.view", organisation)
    employer_require_verified(organisation)
    active = StaffMembership.objects.filter(
        organisation=organisation, status=StaffMembership.Status.ACTIVE
    )
    # Only the columns the page, the CSV and the API show: an entry row is wide.
    memberships = list(
        active.select_related("entry").only(
            "id",
            "added_at",
            "entry__id",
            "entry__full_name",
            "entry__registration_number",
            "entry__status",
            "entry__renewal_due",
        )
    )
    rows_by_entry: dict[int, list] = defaultdict(list)
    standard_ids = set()
    # Read at once, not through .iterator(): on PostgreSQL that is a server-side cursor, a
    # DECLARE and a round trip for each chunk, for a few thousand rows of five columns.
    for row in TrainingRecord.objects.filter(
        entry_id__in=active.values("entry_id"), status=TrainingRecord.Status.VERIFIED
    ).values_list("id", "entry_id", "standard_id", "completed_on", "expires_on"):
        rows_by_entry[row[1]].append(row)
        standard_ids.add(row[2])
    standards = TrainingStandard.objects.only("id", "code", "title").in_bulk(standard_ids)
    rows = []
    for membership in memberships:
        entry = membership.entry
        records = [
            TrainingOnDashboard(pk, standards[standard_id], standard_id, completed_on, expires_on)
            for pk, _, standard_id, completed_on, expires_on in rows_by_entry[entry.pk]
        ]
        states = [record_state(record, today=today) for record in _newest_per_standard(records)]
        attention = sorted(
            (state for state in states if state.state in {"due", "expired"}),
            key=lambda state: state.record.expires_on,
        )
        expiries = [state.record.expires_on for state in states if state.record.expires_on]
        # Training expires on its expiry date (passports.selectors.record_state), so a date of
        # today is already past: it is never shown as the next expiry.
        to_come = [day for day in expiries if day > today]
        past = [day for day in expiries if day <= today]
        rows.append(
            StaffRow(
                membership,
                entry,
                attention,
                min(to_come) if to_come else None,
                min(past) if past else None,
            )
        )
    return staff_sort(rows, sort=sort)


def staff_sort(rows: list[StaffRow], *, sort: str) -> list[StaffRow]:
    if sort == "status":
        order = list(RegisterEntry.Status.values)
        return sorted(rows, key=lambda row: (order.index(row.entry.status), row.entry.full_name))
    if sort == "expiry":
        # Expired training first, longest expired first; then the soonest to expire; workers
        # with nothing that expires go last.
        return sorted(
            rows,
            key=lambda row: (
                row.expired_on or row.next_expiry or date.max,
                row.entry.full_name.casefold(),
            ),
        )
    return sorted(rows, key=lambda row: (row.entry.full_name.casefold(), row.entry.pk))


def recent_checks(*, user: User, organisation: Organisation, limit: int = 20):
    require(user, "sharecode.check", organisation)
    return list(
        ShareCodeCheck.objects.filter(organisation=organisation)
        .select_related("user", "share_code__entry")
        .order_by("-checked_at", "-id")[:limit]
    )


def webhook_for_organisation(*, user: User, organisation: Organisation):
    require(user, "webhook.manage", organisation)
    endpoint = WebhookEndpoint.objects.filter(organisation=organisation).first()
    deliveries: QuerySet[WebhookDelivery] | list = []
    if endpoint is not None:
        deliveries = list(endpoint.deliveries.order_by("-created_at", "-id")[:20])
    return endpoint, deliveries


def api_keys_for_organisation(*, user: User, organisation: Organisation) -> list[ApiKey]:
    """The organisation's keys, each marked `unused` when it still works but has not been
    used (or, never used, was made) more than UNUSED_AFTER ago: its owners may not need it."""
    require(user, "apikey.manage", organisation)
    keys = list(
        ApiKey.objects.filter(organisation=organisation).select_related("created_by", "revoked_by")
    )
    since = timezone.now() - UNUSED_AFTER
    for api_key in keys:
        api_key.unused = api_key.is_active and (api_key.last_used_at or api_key.created_at) < since
    return keys


def api_key_get_for_owner(*, user: User, pk: int) -> ApiKey:
    api_key = ApiKey.objects.select_related("organisation").filter(pk=pk).first()
    if api_key is None or not can(user, "apikey.manage", api_key.organisation):
        raise Http404("No such key.")
    return api_key


# --- Registrars -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployerForRegistrar:
    organisation: Organisation
    verification: EmployerVerification | None
    owners: list[str]

    @property
    def is_verified(self) -> bool:
        return self.verification is not None and self.verification.is_current


def employers_for_registrar(*, user: User) -> list[EmployerForRegistrar]:
    """Every employer organisation, those waiting for verification first, each with its
    owners' names and email addresses, so the registrar can contact them."""
    require(user, "registrar.access")
    organisations = (
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER)
        .select_related("employer_verification__verified_by")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Membership.Role.OWNER).select_related(
                    "user"
                ),
                to_attr="owner_memberships",
            )
        )
        .order_by("name", "pk")
    )
    rows = []
    for organisation in organisations:
        verification = getattr(organisation, "employer_verification", None)
        owners = [
            f"{membership.user.full_name} <{membership.user.email}>"
            for membership in organisation.owner_memberships
        ]
        rows.append(EmployerForRegistrar(organisation, verification, owners))
    return sorted(rows, key=lambda row: row.is_verified)
