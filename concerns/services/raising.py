"""Raising a concern: anyone may, with or without an account. Someone without an account
confirms their email address before the concern becomes a case; an employer raises one from
its staff list, signed in, and it is received at once."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import membership_in
from concerns.models import Case, CaseFigures, Document, StepLog, new_confirmation_token
from concerns.services.documents import documents_store, files_removed_on_failure, uploads_checked
from core.audit import audit_log
from core.dates import add_working_days
from core.errors import ApplicationError
from core.notifications import email_from_template
from core.ratelimit import RateLimit
from register.models import ConcernCategory, RegisterEntry
from register.registration_numbers import normalise as normalise_number
from register.services.evidence import EvidenceError

# Concerns raised per client address and per email address in a day: enough for anyone with
# something to report, too few to flood registrars' queues or send confirmation emails to
# strangers' addresses.
CONCERNS_PER_ADDRESS_PER_DAY = 10
CONCERNS_PER_EMAIL_PER_DAY = 5
UNKNOWN_LINKS_PER_HOUR = 20


class ConcernError(ApplicationError):
    pass


class ConfirmationRefused(ApplicationError):
    """The confirmation link does not open a concern: unknown, spent or expired."""


@dataclass
class Raised:
    """What a person told us. `registration_number` or both `worker_name` and `workplace`."""

    category: str
    what_happened: str
    when_happened: str
    source: str = Case.Source.PUBLIC
    registration_number: str = ""
    worker_name: str = ""
    workplace: str = ""
    anonymous: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""
    identity_withheld: bool = True


def _token_hash(token: str) -> str:
    # 256 random bits: a plain hash is enough, and a copy of the table confirms nothing.
    return hashlib.sha256(token.encode()).hexdigest()


def confirmation_path(token: str) -> str:
    return reverse("concerns:confirm", args=[token])


def _raise_limit() -> RateLimit:
    return RateLimit("concerns-raised", limit=CONCERNS_PER_ADDRESS_PER_DAY, period=86400, slices=24)


def _email_limit() -> RateLimit:
    return RateLimit("concerns-emails", limit=CONCERNS_PER_EMAIL_PER_DAY, period=86400, slices=24)


def _find_entry(raised: Raised) -> RegisterEntry | None:
    number = normalise_number(raised.registration_number) if raised.registration_number else ""
    if number:
        entry = RegisterEntry.objects.filter(registration_number=number).first()
        if entry is None:
            raise ConcernError(
                "No one on the register has that registration number. Check it, or give the "
                "worker's name and where they work instead.",
                field="registration_number",
            )
        return entry
    if not (raised.worker_name.strip() and raised.workplace.strip()):
        raise ConcernError(
            "Give the worker's registration number, or their name and where they work.",
            field="registration_number",
        )
    return None


def _check(raised: Raised, *, signed_in: bool) -> None:
    if raised.category not in ConcernCategory.values:
        raise ConcernError("Choose what the concern is about.", field="category")
    if raised.source not in Case.Source.values:
        raise ConcernError("Choose how you know the worker.", field="source")
    if not raised.what_happened.strip():
        raise ConcernError("Tell us what happened.", field="what_happened")
    if not raised.when_happened.strip():
        raise ConcernError("Tell us when it happened, even roughly.", field="when_happened")
    if len(raised.what_happened) > 10000:
        raise ConcernError(
            "Tell us what happened in 10,000 characters or fewer.", field="what_happened"
        )
    if not signed_in and not raised.email.strip():
        raise ConcernError(
            "Give your email address: we send a link to it to check the concern is from a "
            "real person. If you stay anonymous we delete it once you have clicked the link.",
            field="email",
        )
    if not raised.anonymous and not signed_in and not raised.name.strip():
        raise ConcernError("Give your name, or choose to stay anonymous.", field="name")


def concern_raise(
    *,
    raised: Raised,
    documents: list[UploadedFile],
    user: User | None = None,
    organisation: Organisation | None = None,
    client_ip: str | None = None,
) -> tuple[Case, str | None]:
    """Record a concern. From someone signed in with a confirmed address (an employer from its
    staff list, a colleague) it is received at once; otherwise it waits for the raiser to
    confirm their address, and the link's token is returned (and emailed), never stored."""
    signed_in = user is not None and user.is_authenticated
    _check(raised, signed_in=signed_in)
    if organisation is not None:
        if not signed_in or membership_in(user, organisation) is None:
            raise ConcernError("You can only raise a concern for an organisation you belong to.")
        raised.source = Case.Source.EMPLOYER
    entry = _find_entry(raised)
    try:
        checked = uploads_checked(list(documents))
    except EvidenceError as error:
        raise ConcernError(str(error), field="documents") from error
    email = (user.email if signed_in else raised.email).strip().lower()
    hit = _raise_limit().hit(f"ip:{client_ip or 'unknown'}")
    if not hit.allowed:
        raise ConcernError("Too many concerns have been sent from here today. Try again tomorrow.")
    if not _email_limit().hit(f"email:{email}").allowed:
        raise ConcernError(
            "Too many concerns have been sent from this email address today. Try again tomorrow."
        )

    token = None if signed_in else new_confirmation_token()
    case = Case(
        category=raised.category,
        source=raised.source,
        entry=entry,
        given_registration_number=entry.registration_number if entry else "",
        named_worker=raised.worker_name.strip()[:200],
        named_workplace=raised.workplace.strip()[:200],
        what_happened=raised.what_happened.strip(),
        when_happened=raised.when_happened.strip()[:200],
        anonymous=raised.anonymous and not signed_in,
        raiser_name=(
            "" if raised.anonymous and not signed_in else (raised.name or _full_name(user))[:200]
        ),
        raiser_email=email,
        # Anonymous: nothing to reach them by is kept (the page asks for no phone either).
        raiser_phone="" if raised.anonymous and not signed_in else raised.phone.strip()[:40],
        raiser_user=user if signed_in else None,
        raiser_organisation=organisation,
        identity_withheld=True if raised.anonymous else raised.identity_withheld,
    )
    if token:
        case.confirmation_hash = _token_hash(token)
        case.confirmation_expires_at = timezone.now() + timedelta(
            hours=settings.CONCERN_CONFIRMATION_HOURS
        )
    with files_removed_on_failure() as stored, transaction.atomic():
        case.save()
        documents_store(case, checked, given_by=Document.From.RAISER, shared=False, stored=stored)
        StepLog.objects.create(case=case, new_status=case.status, note="Concern raised")
        # Neither who raised it nor whom it is about: the audit log outlives a case closed
        # with no action, and must then show only that the case existed.
        audit_log(
            action="concerns.case.raised",
            target=case,
            new_status=case.status,
            data={"category": case.category, "source": case.source, "documents": len(stored)},
        )
        if token:
            email_from_template(
                to=[email],
                template="concern_confirm",
                context={
                    "link": settings.SITE_URL + confirmation_path(token),
                    "hours": settings.CONCERN_CONFIRMATION_HOURS,
                },
            )
        else:
            _receive(case, by=user)
    return case, token


def _full_name(user) -> str:
    if user is None:
        return ""
    return (user.get_full_name() or user.email).strip()


def _receive(case: Case, *, by: User | None) -> None:
    """The concern is a case: registrars see it and the screening clock starts."""
    now = timezone.now()
    case.status = Case.Status.RECEIVED
    case.received_at = now
    case.status_changed_at = now
    case.screening_due = add_working_days(
        timezone.localdate(now), settings.CONCERN_SCREENING_WORKING_DAYS
    )
    case.confirmation_hash = ""
    case.confirmation_expires_at = None
    fields = [
        "status",
        "received_at",
        "status_changed_at",
        "screening_due",
        "confirmation_hash",
        "confirmation_expires_at",
    ]
    if case.anonymous:
        # The address was only to check the concern came from a person.
        case.raiser_email = ""
        fields.append("raiser_email")
    case.save(update_fields=fields)
    StepLog.objects.create(
        case=case,
        old_status=Case.Status.UNCONFIRMED,
        new_status=case.status,
        by=by,
        note="Concern received",
    )
    CaseFigures.objects.create(
        case=case,
        received_on=timezone.localdate(now),
        category=case.category,
        source=case.source,
    )
    audit_log(
        action="concerns.case.received",
        target=case,
        old_status=Case.Status.UNCONFIRMED,
        new_status=case.status,
        data={"screening_due": case.screening_due},
    )
    if case.raiser_email:
        email_from_template(
            to=[case.raiser_email],
            template="concern_received",
            context={"case": case, "docs_url": settings.SITE_URL + reverse("concerns:how")},
        )


def _unknown_links_limit() -> RateLimit:
    return RateLimit("concerns-unknown-links", limit=UNKNOWN_LINKS_PER_HOUR, period=3600)


def _awaiting_confirmation(token: str, *, client_ip: str | None, lock: bool) -> Case:
    """The unconfirmed concern a link names, or ConfirmationRefused saying why not. Unknown
    links count towards the address's hourly limit, so nobody can try links by the thousand."""
    limit = _unknown_links_limit()
    key = f"ip:{client_ip or 'unknown'}"
    if limit.count(key) >= UNKNOWN_LINKS_PER_HOUR:
        raise ConfirmationRefused("Too many links have been tried from here. Try again in an hour.")
    cases = Case.objects.select_for_update() if lock else Case.objects.all()
    case = cases.filter(
        confirmation_hash=_token_hash(token), status=Case.Status.UNCONFIRMED
    ).first()
    if case is None:
        limit.hit(key)
        raise ConfirmationRefused(
            "This link is not valid or has already been used. If you clicked it before, "
            "your concern was received: check your email for its reference."
        )
    if case.confirmation_expires_at <= timezone.now():
        raise ConfirmationRefused(
            "This link has expired. Raise the concern again and click the new link within "
            f"{settings.CONCERN_CONFIRMATION_HOURS} hours."
        )
    return case


def concern_confirmation_check(*, token: str, client_ip: str | None = None) -> None:
    """Say whether a confirmation link would open a concern, without opening it: the page a
    link leads to asks the person to press a button first, since mail scanners follow links."""
    _awaiting_confirmation(token, client_ip=client_ip, lock=False)


def concern_confirm(*, token: str, client_ip: str | None = None) -> Case:
    """Open the concern a confirmation link names. ConfirmationRefused says why not."""
    with transaction.atomic():
        case = _awaiting_confirmation(token, client_ip=client_ip, lock=True)
        _receive(case, by=None)
    return case


def concerns_delete_unconfirmed(*, now=None) -> int:
    """Delete concerns whose confirmation link expired unused: they never became cases."""
    now = now or timezone.now()
    deleted = 0
    for case in Case.objects.filter(
        status=Case.Status.UNCONFIRMED, confirmation_expires_at__lte=now
    ):
        with transaction.atomic():
            files = [document.file for document in case.documents.all()]
            audit_log(
                action="concerns.case.unconfirmed_deleted",
                target=case,
                old_status=case.status,
            )
            case.delete()
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
        deleted += 1
    return deleted
