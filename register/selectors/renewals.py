"""Reads for the renewal pages. They raise Http404 or PermissionDenied themselves, so views
never filter by owner."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can, require
from register.models import CpdActivity, RegisterEntry, Renewal
from register.services.renewals import (
    RenewalError,
    cpd_hours_needed,
    cpd_hours_since,
    cpd_period_starts,
    renewal_refusal,
    renewal_refused_this_period,
    renewal_window_opens,
)


@dataclass(frozen=True)
class CpdSummary:
    hours_logged: Decimal
    hours_needed: Decimal
    period_starts: date
    since_renewal: bool

    @property
    def hours_missing(self) -> Decimal:
        return max(self.hours_needed - self.hours_logged, Decimal("0"))


def cpd_summary(*, user: User, entry: RegisterEntry) -> CpdSummary:
    require(user, "cpd.log", entry)
    starts = cpd_period_starts(entry)
    return CpdSummary(
        hours_logged=cpd_hours_since(entry),
        hours_needed=cpd_hours_needed(),
        period_starts=starts,
        since_renewal=entry.renewals.filter(status=Renewal.Status.RENEWED).exists(),
    )


def cpd_activities(*, user: User, entry: RegisterEntry) -> QuerySet[CpdActivity]:
    """The worker's CPD, newest first, each with `used_by_renewal`: whether a renewal was sent
    with it (then it can no longer be changed; see cpd_used_by_renewal)."""
    require(user, "cpd.log", entry)
    sent_with_it = Renewal.objects.filter(
        entry=OuterRef("entry"), submitted_at__gte=OuterRef("logged_at")
    ).exclude(status=Renewal.Status.REFUSED)
    return entry.cpd.annotate(used_by_renewal=Exists(sent_with_it)).order_by("-completed_on", "-id")


def cpd_activity_get(*, user: User, pk: int) -> CpdActivity:
    """One of the asking worker's own CPD activities; to anyone else it does not exist."""
    activity = CpdActivity.objects.select_related("entry").filter(pk=pk).first()
    if activity is None or not can(user, "cpd.change", activity):
        raise Http404("No such CPD activity.")
    return activity


@dataclass(frozen=True)
class RenewalOverview:
    """What the renewal page shows: where the worker stands, and why they cannot renew yet if
    they cannot."""

    entry: RegisterEntry
    cpd: CpdSummary
    window_opens: date
    is_restoration: bool
    refusal: RenewalError | None
    latest_renewal: Renewal | None
    refused_this_period: bool


def renewal_overview(*, user: User, entry: RegisterEntry) -> RenewalOverview:
    require(user, "renewal.submit", entry)
    summary = cpd_summary(user=user, entry=entry)
    return RenewalOverview(
        entry=entry,
        cpd=summary,
        window_opens=renewal_window_opens(entry),
        is_restoration=entry.status == RegisterEntry.Status.LAPSED,
        refusal=renewal_refusal(
            entry=entry, today=timezone.localdate(), hours_logged=summary.hours_logged
        ),
        latest_renewal=entry.renewals.order_by("-submitted_at", "-id").first(),
        refused_this_period=renewal_refused_this_period(entry) is not None,
    )


@dataclass(frozen=True)
class RenewalStanding:
    """Where the worker's renewal stands, for their dashboard: the latest renewal they sent,
    and the latest sent for the current renewal date (refused or not)."""

    latest: Renewal | None
    this_period: Renewal | None

    @property
    def refused(self) -> bool:
        return self.this_period is not None and self.this_period.status == Renewal.Status.REFUSED

    @property
    def with_registrar(self) -> bool:
        return self.this_period is not None and self.this_period.status == Renewal.Status.REFERRED


def renewal_standing(*, user: User, entry: RegisterEntry) -> RenewalStanding:
    require(user, "renewal.submit", entry)
    newest_first = entry.renewals.order_by("-submitted_at", "-id")
    return RenewalStanding(
        latest=newest_first.first(),
        this_period=newest_first.filter(renewal_due_before=entry.renewal_due).first(),
    )


def renewals_referred(*, user: User) -> QuerySet[Renewal]:
    """Renewals waiting for a registrar, oldest first: the order they should be decided in."""
    require(user, "renewal.decide")
    return (
        Renewal.objects.filter(status=Renewal.Status.REFERRED)
        .select_related("entry")
        .order_by("submitted_at", "id")
    )


def renewal_get_for_decision(*, user: User, pk: int) -> Renewal:
    require(user, "renewal.decide")
    renewal = Renewal.objects.select_related("entry", "decided_by").filter(pk=pk).first()
    if renewal is None:
        raise Http404("No such renewal.")
    require(user, "renewal.decide", renewal)
    return renewal
