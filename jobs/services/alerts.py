"""Job alerts: a search saved from /jobs/ and emailed as a digest of the vacancies published since
the last one, every day or once a week.

Someone signed in with a confirmed address is subscribed at once; anyone else first clicks a
link emailed to the address (double opt-in), and nothing but that link goes to an address before
it is clicked; unconfirmed alerts are deleted once the link expires. Every digest carries a
one-click unsubscribe link (RFC 8058) and nothing that tracks its reader.

`job_alerts_send` is safe to run again and again, even after it was interrupted: each alert's
digest for a period is recorded as a `JobAlertRun` row, unique per alert and period, in the
transaction that queues its email, so a digest is recorded and queued together or not at all,
and a second run finds it done. Two runs at once do not both send: each locks a batch's alerts
before it looks for their rows, so the second waits, then finds them done.

For speed (issue 20: 100,000 alerts in under 5 minutes), the vacancies published since the
earliest digest due are read once (a day's, or a week's, worth) and each distinct search among
the alerts due is matched against them in Python by jobs.search.VacancyPool, which gives what
the /jobs/ search gives. After a long outage, when more than POOL_MOST are new, only the newest
are read, and a search for an alert covered before them runs in SQL instead. Alerts are read,
and their digests recorded and queued, BATCH at a time, one transaction a batch.
"""

import hashlib
import logging
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from urllib.parse import urlencode

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import User
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_enqueue, email_from_template
from core.ratelimit import RateLimit
from jobs.models import JobAlert, JobAlertRun
from jobs.search import (
    VacancyPool,
    VacancySearchForm,
    criteria_describe,
    criteria_params,
    vacancy_search,
)

logger = logging.getLogger(__name__)

Status = JobAlert.Status
Frequency = JobAlert.Frequency

# Alerts made per client address and per email address in a day: plenty for anyone, too few to
# use the register to send confirmation emails to strangers.
ALERTS_PER_ADDRESS_PER_DAY = 20
ALERTS_PER_EMAIL_PER_DAY = 5
# A person's live alerts: more than anyone reads.
MAX_ALERTS_PER_PERSON = 20
UNKNOWN_LINKS_PER_HOUR = 20
# A digest lists this many vacancies and links to the search for the rest.
DIGEST_LISTS = 20
# The most vacancies one search reads for a run: a digest counts "at least" beyond it.
DIGEST_READS = 500
# Alerts read, and their digests recorded and queued, in one transaction.
BATCH = 2000
# The most new vacancies a run reads at once to search in Python: a week's at national size
# (50,000 live, about 1,700 new a day), so a weekly alert's week fits. More means a long outage;
# then the searches of alerts covered before the newest POOL_MOST run in SQL, one query each.
POOL_MOST = 20_000


class AlertError(ApplicationError):
    pass


class AlertLinkRefused(ApplicationError):
    """An emailed link (to confirm or to unsubscribe) that opens nothing: unknown, or expired."""


# --- The saved search ----------------------------------------------------------------------


@dataclass(frozen=True)
class SavedSearch:
    """A search from /jobs/ as an alert keeps it: its query string in a fixed order (the sort
    left out: a digest lists new jobs whatever order the page showed), and a sentence."""

    query: str
    description: str

    @property
    def key(self) -> str:
        return hashlib.sha256(self.query.encode()).hexdigest()


def saved_search_read(data) -> SavedSearch:
    """The search that `data` (GET parameters, or a stored query string) asks for, checked by
    VacancySearchForm; AlertError with the form's first problem if it has one."""
    if isinstance(data, str):
        data = QueryDict(data)
    form = VacancySearchForm(data)
    if not form.is_valid():
        problem = next(iter(form.errors.values()))[0]
        raise AlertError(f"The search has a problem: {problem} Change the search, then save it.")
    criteria = form.criteria()
    params = {name: value for name, value in criteria_params(criteria).items() if name != "sort"}
    return SavedSearch(
        query=urlencode(sorted(params.items()), doseq=True),
        description=criteria_describe(criteria),
    )


def _criteria(query: str) -> dict | None:
    form = VacancySearchForm(QueryDict(query))
    return form.criteria() if form.is_valid() else None


# --- Tokens --------------------------------------------------------------------------------


def _hash(token: str) -> str:
    # 256 random bits, or an HMAC under the secret key: a plain hash is enough.
    return hashlib.sha256(token.encode()).hexdigest()


def unsubscribe_token(alert: JobAlert) -> str:
    """The token of the alert's unsubscribe link, made again for every digest from the nonce
    under the secret key; only its hash is stored."""
    return salted_hmac(
        "jobs.alert.unsubscribe", alert.unsubscribe_nonce, algorithm="sha256"
    ).hexdigest()


def unsubscribe_url(alert: JobAlert) -> str:
    return settings.SITE_URL + reverse("jobs:alert-unsubscribe", args=[unsubscribe_token(alert)])


def _address_verified(user: User) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


# --- Making, confirming and stopping alerts --------------------------------------------------


def _address_limit() -> RateLimit:
    return RateLimit("jobs-alerts-made", limit=ALERTS_PER_ADDRESS_PER_DAY, period=86400, slices=24)


def _email_limit() -> RateLimit:
    return RateLimit("jobs-alerts-emails", limit=ALERTS_PER_EMAIL_PER_DAY, period=86400, slices=24)


def _unknown_links_limit() -> RateLimit:
    return RateLimit("jobs-alerts-unknown-links", limit=UNKNOWN_LINKS_PER_HOUR, period=3600)


def alert_create(
    *,
    search: SavedSearch,
    frequency: str,
    user: User | None = None,
    email: str = "",
    client_ip: str | None = None,
) -> tuple[JobAlert, str | None]:
    """Save a search as an alert. Someone signed in whose address is confirmed is subscribed at
    once; anyone else is sent a link to confirm, and its token is returned (never stored)."""
    if frequency not in Frequency.values:
        raise AlertError(
            "Choose how often to be emailed: every day or once a week.", field="frequency"
        )
    signed_in = user is not None and user.is_authenticated
    email = (user.email if signed_in else email).strip()
    if not signed_in:
        try:
            validate_email(email)
        except ValidationError:
            raise AlertError(
                "Enter an email address in the right form, like name@example.org.", field="email"
            ) from None
    if signed_in:
        live = JobAlert.objects.filter(user=user, status__in=[Status.ACTIVE, Status.UNCONFIRMED])
        if live.filter(query_key=search.key, frequency=frequency).exists():
            raise AlertError("You already have this alert. See it on your job alerts page.")
        if live.count() >= MAX_ALERTS_PER_PERSON:
            raise AlertError(
                f"You have {MAX_ALERTS_PER_PERSON} job alerts, the most anyone can. Stop one "
                "you no longer need, then save this search."
            )
    confirmed = signed_in and _address_verified(user)
    hits = [_address_limit().hit(f"ip:{client_ip or 'unknown'}")]
    if not confirmed:
        hits.append(_email_limit().hit(f"email:{_hash(email.lower())}"))
    if not all(hit.allowed for hit in hits):
        for hit in hits:
            hit.take_back()
        raise AlertError(
            "Too many job alerts have been made from here or for this email address today. "
            "Try again tomorrow."
        )

    now = timezone.now()
    token = None if confirmed else secrets.token_urlsafe(32)
    nonce = secrets.token_hex(32)
    alert = JobAlert(
        user=user if signed_in else None,
        email=email,
        query=search.query,
        query_key=search.key,
        frequency=frequency,
        weekday=timezone.localdate(now).weekday(),
        status=Status.ACTIVE if confirmed else Status.UNCONFIRMED,
        unsubscribe_nonce=nonce,
        created_at=now,
        confirmed_at=now if confirmed else None,
        covered_until=now if confirmed else None,
    )
    alert.unsubscribe_hash = _hash(unsubscribe_token(alert))
    if token:
        alert.confirmation_hash = _hash(token)
        alert.confirmation_expires_at = now + timedelta(hours=settings.JOB_ALERT_CONFIRMATION_HOURS)
    try:
        with transaction.atomic():
            alert.save()
            audit_log(
                action="jobs.alert.created",
                actor=user if signed_in else None,
                target=alert,
                new_status=alert.status,
                data={"frequency": frequency},
            )
            if token:
                email_from_template(
                    to=[email],
                    template="jobs/alert_confirm",
                    context={
                        "description": search.description,
                        "frequency": alert.get_frequency_display().lower(),
                        "link": settings.SITE_URL + reverse("jobs:alert-confirm", args=[token]),
                        "hours": settings.JOB_ALERT_CONFIRMATION_HOURS,
                    },
                )
    except Exception:
        for hit in hits:
            hit.take_back()
        raise
    return alert, token


def _by_link(
    queryset, *, field_name: str, token: str, client_ip: str | None, lock: bool
) -> JobAlert:
    """The alert an emailed link names. Links that match nothing count towards the address's
    hourly limit, so nobody can try them by the thousand."""
    limit = _unknown_links_limit()
    key = f"ip:{client_ip or 'unknown'}"
    if limit.count(key) >= UNKNOWN_LINKS_PER_HOUR:
        raise AlertLinkRefused("Too many links have been tried from here. Try again in an hour.")
    if lock:
        queryset = queryset.select_for_update()
    alert = queryset.filter(**{field_name: _hash(token)}).first() if token else None
    if alert is None:
        limit.hit(key)
        raise AlertLinkRefused(
            "This link is not valid. If you copied it from an email, check you copied all of it."
        )
    return alert


def _awaiting_confirmation(token: str, *, client_ip: str | None, lock: bool) -> JobAlert:
    alert = _by_link(
        JobAlert.objects.filter(status=Status.UNCONFIRMED),
        field_name="confirmation_hash",
        token=token,
        client_ip=client_ip,
        lock=lock,
    )
    if alert.confirmation_expires_at <= timezone.now():
        raise AlertLinkRefused(
            "This link has expired. Save the search again and click the new link within "
            f"{settings.JOB_ALERT_CONFIRMATION_HOURS} hours."
        )
    return alert


def alert_confirmation_check(*, token: str, client_ip: str | None = None) -> JobAlert:
    """The alert a confirmation link would confirm, without confirming it: the link's page asks
    for a press of a button first, since mail scanners open links."""
    return _awaiting_confirmation(token, client_ip=client_ip, lock=False)


def alert_confirm(*, token: str, client_ip: str | None = None) -> JobAlert:
    """Confirm the address of an alert: its digests start with the vacancies published from
    now on."""
    with transaction.atomic():
        alert = _awaiting_confirmation(token, client_ip=client_ip, lock=True)
        now = timezone.now()
        alert.status = Status.ACTIVE
        alert.confirmed_at = now
        alert.covered_until = now
        alert.weekday = timezone.localdate(now).weekday()
        alert.confirmation_hash = ""
        alert.confirmation_expires_at = None
        alert.save(
            update_fields=[
                "status",
                "confirmed_at",
                "covered_until",
                "weekday",
                "confirmation_hash",
                "confirmation_expires_at",
            ]
        )
        audit_log(
            action="jobs.alert.confirmed",
            target=alert,
            old_status=Status.UNCONFIRMED,
            new_status=Status.ACTIVE,
        )
    return alert


def _stop(alert: JobAlert, *, actor: User | None, how: str) -> JobAlert:
    old = alert.status
    alert.status = Status.STOPPED
    alert.stopped_at = timezone.now()
    alert.confirmation_hash = ""
    alert.confirmation_expires_at = None
    alert.save(
        update_fields=["status", "stopped_at", "confirmation_hash", "confirmation_expires_at"]
    )
    audit_log(
        action="jobs.alert.stopped",
        actor=actor,
        target=alert,
        old_status=old,
        new_status=Status.STOPPED,
        data={"how": how},
    )
    return alert


def alert_unsubscribe_check(*, token: str, client_ip: str | None = None) -> JobAlert:
    """The alert an unsubscribe link names, without stopping it (the link's page shows a
    button: mail scanners open links)."""
    return _by_link(
        JobAlert.objects.all(),
        field_name="unsubscribe_hash",
        token=token,
        client_ip=client_ip,
        lock=False,
    )


def alert_unsubscribe(*, token: str, client_ip: str | None = None) -> JobAlert:
    """Stop the alert an unsubscribe link names: from the link's page, or by the one-click POST
    a mail program sends (RFC 8058). Doing it again changes nothing."""
    with transaction.atomic():
        alert = _by_link(
            JobAlert.objects.all(),
            field_name="unsubscribe_hash",
            token=token,
            client_ip=client_ip,
            lock=True,
        )
        if alert.status == Status.STOPPED:
            return alert
        return _stop(alert, actor=None, how="link")


def alert_stop(*, alert: JobAlert, user: User) -> JobAlert:
    """The person whose alert it is stops it from their job alerts page."""
    with transaction.atomic():
        alert = JobAlert.objects.select_for_update().get(pk=alert.pk)
        if alert.user_id != user.pk:
            raise PermissionDenied
        if alert.status == Status.STOPPED:
            raise AlertError("This alert is already stopped.")
        return _stop(alert, actor=user, how="manage page")


def alerts_delete_unconfirmed(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete the alerts whose confirmation link expired unused: nothing was ever sent to them,
    and their address is kept no longer."""
    now = now or timezone.now()
    expired = JobAlert.objects.filter(
        status=Status.UNCONFIRMED, confirmation_expires_at__lte=now
    ).values_list("pk", flat=True)
    pks = list(expired)
    if dry_run or not pks:
        return len(pks)
    with transaction.atomic():
        for pk in pks:
            audit_log(
                action="jobs.alert.unconfirmed_deleted",
                target=JobAlert(pk=pk),
                old_status=Status.UNCONFIRMED,
            )
        JobAlert.objects.filter(pk__in=pks, status=Status.UNCONFIRMED).delete()
    return len(pks)


# --- Sending the digests -------------------------------------------------------------------


@dataclass
class DigestRun:
    """What one run of send_job_alerts did (or, with dry_run, would do)."""

    period: str = ""
    due: int = 0
    searches: int = 0
    sent: int = 0
    empty: int = 0
    already_done: int = 0
    # Alerts stopped while the run was under way: nothing sent, nothing recorded.
    stopped: int = 0
    unreadable: int = 0
    deleted_unconfirmed: int = 0
    before_the_hour: bool = False
    # Searches run in SQL, one query each, for alerts covered before the vacancies read at
    # once: none unless a long outage left more than POOL_MOST new.
    searched_in_sql: int = 0
    notes: list[str] = field(default_factory=list)


def _due(today) -> Q:
    return Q(frequency=Frequency.DAILY) | Q(frequency=Frequency.WEEKLY, weekday=today.weekday())


def alerts_due(*, now: datetime):
    """The active alerts whose digest for today has not been recorded yet: daily ones, and
    weekly ones on their day, confirmed before today (the first digest comes the next day
    or week, with the jobs published since)."""
    today = timezone.localdate(now)
    start_of_today = timezone.make_aware(datetime.combine(today, datetime.min.time()))
    return (
        JobAlert.objects.filter(_due(today), status=Status.ACTIVE, confirmed_at__lt=start_of_today)
        .exclude(Exists(JobAlertRun.objects.filter(alert=OuterRef("pk"), period=today)))
        .order_by("query_key", "pk")
    )


def _batches(now: datetime) -> Iterator[list[JobAlert]]:
    """The due alerts, BATCH at a time, in order of their search; read by the last key seen, so
    alerts recorded meanwhile are not skipped over."""
    last = ("", 0)
    while True:
        batch = list(
            alerts_due(now=now)
            .filter(Q(query_key__gt=last[0]) | Q(query_key=last[0], pk__gt=last[1]))
            .only(
                "pk",
                "email",
                "query",
                "query_key",
                "frequency",
                "weekday",
                "covered_until",
                "unsubscribe_nonce",
                "user_id",
            )[:BATCH]
        )
        if not batch:
            return
        yield batch
        last = (batch[-1].query_key, batch[-1].pk)


def _new_vacancies(now: datetime) -> VacancyPool:
    """The vacancies published since the earliest cover among the alerts due, read once."""
    earliest = alerts_due(now=now).aggregate(earliest=Min("covered_until"))["earliest"] or now
    return VacancyPool.read(published_after=earliest, published_before=now, most=POOL_MOST)


@dataclass
class _Found:
    criteria: dict | None
    description: str = ""
    # The matches published after `since` (the group's earliest cover), in the search's order,
    # at most DIGEST_READS, each with the moment it was published.
    vacancies: list = field(default_factory=list)
    since: datetime | None = None
    in_sql: bool = False


def _search(
    query: str,
    *,
    published_after: datetime,
    now: datetime,
    pool: VacancyPool | None = None,
    criteria: dict | None = None,
) -> _Found:
    """The search's matches published after `published_after`: from the vacancies read for
    the run when they reach back that far, else in SQL. `criteria` when the query was read
    before."""
    criteria = criteria or _criteria(query)
    if criteria is None:
        return _Found(criteria=None, since=published_after)
    in_sql = pool is None or published_after < pool.published_after
    if in_sql:
        rows = list(
            vacancy_search(criteria=criteria, published_after=published_after).filter(
                published_at__lte=now
            )[:DIGEST_READS]
        )
    else:
        rows = pool.search(criteria, published_after=published_after)[:DIGEST_READS]
    return _Found(
        criteria=criteria,
        description=criteria_describe(criteria),
        vacancies=rows,
        since=published_after,
        in_sql=in_sql,
    )


def _search_path() -> str:
    return reverse("jobs:search")


def vacancy_path(reference: str) -> str:
    """The vacancy's public page (jobs/urls/vacancies.py)."""
    return reverse("jobs:vacancy", args=[reference])


def _digest_email(alert: JobAlert, found: _Found, vacancies: list) -> dict:
    unsubscribe = unsubscribe_url(alert)
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "alert": alert,
        "description": found.description,
        "vacancies": [
            (vacancy, settings.SITE_URL + vacancy_path(vacancy.reference))
            for vacancy in vacancies[:DIGEST_LISTS]
        ],
        "count": len(vacancies),
        "at_least": len(found.vacancies) >= DIGEST_READS,
        "more": max(0, len(vacancies) - DIGEST_LISTS),
        "search_url": settings.SITE_URL + _search_path() + "?" + alert.query,
        "unsubscribe_url": unsubscribe,
        "manage_url": settings.SITE_URL + reverse("jobs:alerts") if alert.user_id else "",
    }
    subject = render_to_string("emails/jobs/alert_digest_subject.txt", context).strip()
    return {
        "to": [alert.email],
        "subject": f"[{settings.SITE_NAME}] {subject}",
        "body": render_to_string("emails/jobs/alert_digest_body.txt", context),
        # RFC 8058: a mail program's unsubscribe button POSTs to the link, with no cookies.
        "headers": {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }


@dataclass
class _Digest:
    """One alert's digest for the period: its new vacancies, none when nothing new matched."""

    alert: JobAlert
    found: _Found | None = None
    vacancies: list = field(default_factory=list)


@dataclass
class _Recorded:
    sent: int = 0
    empty: int = 0
    already_done: int = 0
    stopped: int = 0


def _digests_record(digests: list[_Digest], *, period, now: datetime) -> _Recorded:
    """Record a batch's digests for the period and queue the emails of those with something
    new, in one transaction: all of them or none. The alerts are locked first, in the order of
    their ids so that two runs cannot deadlock; those whose period is recorded already (by a
    run before, or one running beside this) or that were stopped meanwhile are left alone."""
    # Written before the transaction, which holds the batch's locks meanwhile.
    messages = {
        digest.alert.pk: _digest_email(digest.alert, digest.found, digest.vacancies)
        for digest in digests
        if digest.vacancies
    }
    pks = [digest.alert.pk for digest in digests]
    recorded = _Recorded()
    with transaction.atomic():
        active = set(
            JobAlert.objects.select_for_update()
            .filter(pk__in=pks, status=Status.ACTIVE)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        done = set(
            JobAlertRun.objects.filter(alert_id__in=pks, period=period).values_list(
                "alert_id", flat=True
            )
        )
        fresh = []
        for digest in digests:
            if digest.alert.pk in done:
                recorded.already_done += 1
            elif digest.alert.pk not in active:
                recorded.stopped += 1
            else:
                fresh.append(digest)
        JobAlertRun.objects.bulk_create(
            [
                JobAlertRun(
                    alert_id=digest.alert.pk,
                    period=period,
                    ran_at=now,
                    vacancies=len(digest.vacancies),
                )
                for digest in fresh
            ]
        )
        JobAlert.objects.filter(pk__in=[digest.alert.pk for digest in fresh]).update(
            covered_until=now
        )
        for digest in fresh:
            if digest.vacancies:
                email_enqueue(**messages[digest.alert.pk], with_the_transaction=True)
                recorded.sent += 1
            else:
                recorded.empty += 1
    return recorded


def job_alerts_send(*, now: datetime | None = None, dry_run: bool = False) -> DigestRun:
    """Send today's digests: for each active alert due (daily, or weekly on its day) that has
    no digest recorded for today, the live vacancies matching its search published since its
    last digest. No email when there are none. Unconfirmed alerts past their link go first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    run = DigestRun(period=today.isoformat())
    run.deleted_unconfirmed = alerts_delete_unconfirmed(now=now, dry_run=dry_run)
    if timezone.localtime(now).hour < settings.JOB_ALERTS_HOUR:
        run.before_the_hour = True
        return run

    pool = _new_vacancies(now)
    found_key = ""
    found = _Found(criteria=None)
    for batch in _batches(now):
        run.due += len(batch)
        digests = []
        # Each distinct search once: alerts come ordered by their search's key. A search that
        # goes on into the next batch is not run again, unless an alert there was covered
        # earlier than the search reaches back.
        for key, grouped in groupby(batch, key=lambda alert: alert.query_key):
            group = list(grouped)
            earliest = min(alert.covered_until or now for alert in group)
            if key != found_key or earliest < found.since:
                criteria = found.criteria if key == found_key else None
                found = _search(
                    group[0].query, published_after=earliest, now=now, pool=pool, criteria=criteria
                )
                found_key = key
                run.searches += 1
                run.searched_in_sql += found.in_sql
            if found.criteria is None:
                # A place or role the search named is gone: such an alert can match nothing.
                run.unreadable += len(group)
                digests += [_Digest(alert) for alert in group]
                continue
            for alert in group:
                since = alert.covered_until or now
                vacancies = [v for v in found.vacancies if v.published_at > since]
                digests.append(_Digest(alert, found, vacancies))
        if dry_run:
            run.sent += sum(1 for digest in digests if digest.vacancies)
            run.empty += sum(1 for digest in digests if not digest.vacancies)
            continue
        recorded = _digests_record(digests, period=today, now=now)
        run.sent += recorded.sent
        run.empty += recorded.empty
        run.already_done += recorded.already_done
        run.stopped += recorded.stopped
    if not dry_run and (run.sent or run.empty):
        audit_log(
            action="jobs.alert.digests_sent",
            data={
                "period": run.period,
                "sent": run.sent,
                "empty": run.empty,
                "searches": run.searches,
            },
        )
    logger.info(
        "job alerts for %s: %d due, %d searches (%d in SQL), %d sent, %d with nothing new",
        run.period,
        run.due,
        run.searches,
        run.searched_in_sql,
        run.sent,
        run.empty,
    )
    return run
