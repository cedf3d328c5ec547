"""References: the applicant names two referees; a registrar emails each a single-use link to a
short form; the referee answers once; the registrar decides whether the reference passes.

The referee gives evidence and the registrar decides: an answer alone never counts towards
approval. What counts is the check of type reference the registrar records on it, which is an
ordinary IdentityCheck (so four-eyes approval and "sent back" treat it like any other check).
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from core.ratelimit import RateLimit
from register.models import Application, IdentityCheck, Referee, ReferenceRequest
from register.services.applications import (
    EDITABLE,
    ApplicationStateError,
    identity_check_record,
)

Status = Application.Status
RequestStatus = ReferenceRequest.Status

REFEREE_FIELDS = ["name", "email", "relationship", "known_for"]
# A referee may still answer while the registrar waits for the applicant's reply.
ANSWERABLE = {Status.SUBMITTED, Status.INFORMATION_REQUESTED, Status.AWAITING_SECOND_APPROVAL}
DECIDABLE = {Status.SUBMITTED, Status.AWAITING_SECOND_APPROVAL}
# Links tried that match no request, per client address: the tokens cannot be guessed, so only
# a scan of the address space would hit this.
UNKNOWN_LINKS_PER_HOUR = 20


class RefereeError(ApplicationError):
    pass


class ReferenceRefused(ApplicationError):
    """The link does not open a form: unknown, spent, replaced, expired, or no longer needed."""


def reference_token_hash(token: str) -> str:
    # The token is 256 random bits, so a plain hash is enough: a copy of the table opens nothing.
    return hashlib.sha256(token.encode()).hexdigest()


def reference_link_path(token: str) -> str:
    return reverse("register:reference-answer", args=[token])


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def referees_save(*, application: Application, worker: User, referees: list[dict]) -> None:
    """Save the applicant's two referees (name, email, relationship, how long), in order.

    A referee who has already answered a request cannot be replaced: their answer is about the
    person named, and would otherwise be filed under someone else."""
    require(worker, "application.edit", application)
    if len(referees) != settings.REFERENCES_REQUIRED:
        raise RefereeError(f"Give the details of {settings.REFERENCES_REQUIRED} referees.")
    emails = [referee["email"].strip().lower() for referee in referees]
    if len(set(emails)) != len(emails):
        raise RefereeError("Give two different referees, each with their own email address.")
    if application.worker.email.lower() in emails:
        raise RefereeError("A referee must be someone else: do not give your own email address.")
    with transaction.atomic():
        application = _lock(application)
        if application.status not in EDITABLE:
            raise ApplicationStateError(
                "This application can no longer be changed: it is "
                f"{application.get_status_display().lower()}."
            )
        existing = {referee.position: referee for referee in application.referees.all()}
        changed = []
        for position, values in enumerate(referees, start=1):
            values = {name: values[name].strip() for name in REFEREE_FIELDS}
            values["email"] = values["email"].lower()
            referee = existing.get(position)
            if referee is None:
                Referee.objects.create(application=application, position=position, **values)
                changed.append(position)
                continue
            if all(getattr(referee, name) == value for name, value in values.items()):
                continue
            if referee.requests.filter(status=RequestStatus.ANSWERED).exists():
                raise RefereeError(
                    f"{referee.name} has already given a reference, so their details cannot be "
                    "changed."
                )
            # A request still out went to the old details: its link stops working.
            referee.requests.filter(status=RequestStatus.SENT).update(
                status=RequestStatus.CANCELLED
            )
            for name, value in values.items():
                setattr(referee, name, value)
            referee.save(update_fields=REFEREE_FIELDS)
            changed.append(position)
        application.updated_at = timezone.now()
        application.save(update_fields=["updated_at"])
        if changed:
            audit_log(
                action="register.referees.saved",
                actor=worker,
                target=application,
                data={"positions": changed},
            )


def _requests_limit() -> RateLimit:
    return RateLimit(
        "reference-requests",
        limit=settings.REFERENCE_REQUESTS_PER_REFEREE_PER_DAY,
        period=24 * 3600,
        slices=24,
    )


def reference_request_send(*, referee: Referee, registrar: User) -> tuple[ReferenceRequest, str]:
    """Email the referee a new link to the reference form. A link sent before stops working:
    only the newest one opens the form. Refused once the referee has answered.

    Returns the request and the link's token, which goes in the email and is never stored."""
    require(registrar, "application.decide", referee.application)
    token = secrets.token_urlsafe(32)
    hit = _requests_limit().hit(f"referee:{referee.pk}")
    if not hit.allowed:
        raise RefereeError(
            f"{referee.name} has been sent {settings.REFERENCE_REQUESTS_PER_REFEREE_PER_DAY} "
            "requests in the last 24 hours. Wait before sending another."
        )
    try:
        with transaction.atomic():
            application = _lock(referee.application)
            if application.status not in DECIDABLE:
                raise ApplicationStateError(
                    "References are asked for only on a submitted application waiting for a "
                    "decision."
                )
            referee = Referee.objects.get(pk=referee.pk)
            if referee.requests.filter(status=RequestStatus.ANSWERED).exists():
                raise RefereeError(f"{referee.name} has already given a reference.")
            replaced = list(
                referee.requests.select_for_update()
                .filter(status=RequestStatus.SENT)
                .values_list("pk", flat=True)
            )
            ReferenceRequest.objects.filter(pk__in=replaced).update(status=RequestStatus.CANCELLED)
            now = timezone.now()
            request = ReferenceRequest.objects.create(
                referee=referee,
                token_hash=reference_token_hash(token),
                sent_by=registrar,
                sent_at=now,
                expires_at=now + timedelta(days=settings.REFERENCE_REQUEST_VALID_DAYS),
            )
            audit_log(
                action="register.reference_request.sent",
                actor=registrar,
                target=application,
                new_status=request.status,
                data={
                    "request_id": request.pk,
                    "referee_position": referee.position,
                    "replaced": replaced,
                    "expires_at": request.expires_at,
                },
            )
            email_from_template(
                to=[referee.email],
                template="reference_request",
                context={
                    "referee": referee,
                    "application": application,
                    "request": request,
                    "link": settings.SITE_URL + reference_link_path(token),
                },
            )
    except BaseException:
        # Nothing was sent: the referee's count is given back.
        hit.take_back()
        raise
    return request, token


def _unknown_links_limit() -> RateLimit:
    return RateLimit("reference-unknown-links", limit=UNKNOWN_LINKS_PER_HOUR, period=3600)


def _problem(request: ReferenceRequest | None) -> str | None:
    """Why the link does not open the form, in words for the referee; None if it does."""
    if request is None:
        return "This link is not valid. Check that you copied the whole link from the email."
    if request.status == RequestStatus.ANSWERED:
        return "You have already sent this reference. Thank you."
    if request.status == RequestStatus.CANCELLED:
        return "This link has been replaced by a newer one. Use the link in the latest email."
    if request.referee.application.status not in ANSWERABLE:
        return "This reference is no longer needed. Thank you."
    if request.is_expired:
        return (
            "This link has expired. If you still want to give a reference, reply to the email "
            "and we will send you a new link."
        )
    return None


def reference_request_open(*, token: str, client_ip: str | None) -> ReferenceRequest:
    """The request a link names, if its form can be answered now; ReferenceRefused says why
    not. Links that match nothing count against the client's address, and past the limit even
    a good link is refused for the hour."""
    limit = _unknown_links_limit()
    key = f"ip:{client_ip or 'unknown'}"
    if limit.count(key) >= UNKNOWN_LINKS_PER_HOUR:
        raise ReferenceRefused("Too many links have been tried from here. Try again in an hour.")
    request = (
        ReferenceRequest.objects.select_related("referee__application__worker")
        .filter(token_hash=reference_token_hash(token))
        .first()
    )
    if request is None:
        limit.hit(key)
    problem = _problem(request)
    if problem:
        raise ReferenceRefused(problem)
    return request


def reference_answer(
    *,
    token: str,
    client_ip: str | None,
    knows_applicant: bool,
    how_known: str,
    has_concerns: bool | None,
    concerns_details: str,
    comments: str,
) -> ReferenceRequest:
    """The referee's answers, saved once: the link is spent. The form checks each answer; this
    checks the link, and that an answer of concern says what the concern is."""
    how_known, concerns_details, comments = (
        how_known.strip(),
        concerns_details.strip(),
        comments.strip(),
    )
    if knows_applicant and not how_known:
        raise ReferenceRefused("Say how you know them, and for how long.")
    if knows_applicant and has_concerns is None:
        raise ReferenceRefused("Say whether there is any reason they should not work in care.")
    if has_concerns and not concerns_details:
        raise ReferenceRefused("Tell us the reason they should not work with adults at risk.")
    request = reference_request_open(token=token, client_ip=client_ip)
    with transaction.atomic():
        _lock(request.referee.application)
        request = ReferenceRequest.objects.select_for_update().get(pk=request.pk)
        problem = _problem(request)
        if problem:
            raise ReferenceRefused(problem)
        request.status = RequestStatus.ANSWERED
        request.answered_at = timezone.now()
        request.knows_applicant = knows_applicant
        request.how_known = how_known if knows_applicant else ""
        request.has_concerns = has_concerns if knows_applicant else None
        request.concerns_details = concerns_details if request.has_concerns else ""
        request.comments = comments
        request.save(
            update_fields=[
                "status",
                "answered_at",
                "knows_applicant",
                "how_known",
                "has_concerns",
                "concerns_details",
                "comments",
            ]
        )
        audit_log(
            action="register.reference_request.answered",
            target=request.referee.application,
            old_status=RequestStatus.SENT,
            new_status=request.status,
            data={"request_id": request.pk, "referee_position": request.referee.position},
        )
    return request


def reference_decide(
    *, reference_request: ReferenceRequest, registrar: User, outcome: str, notes: str = ""
) -> IdentityCheck:
    """The registrar's decision on an answered reference, recorded as the check of type
    reference. A reference whose referee does not know the applicant, or raised a concern,
    passes only with a note saying why."""
    application = reference_request.referee.application
    require(registrar, "application.decide", application)
    notes = notes.strip()
    with transaction.atomic():
        _lock(application)
        request = (
            ReferenceRequest.objects.select_for_update()
            .select_related("referee")
            .get(pk=reference_request.pk)
        )
        if request.status != RequestStatus.ANSWERED:
            raise RefereeError("Only an answered reference can be decided.")
        if request.identity_check_id is not None:
            raise RefereeError("This reference has already been decided.")
        doubtful = not request.knows_applicant or request.has_concerns
        if outcome == IdentityCheck.Outcome.PASSED and doubtful and not notes:
            raise RefereeError(
                "The referee does not know the applicant or raised a concern. Say in the notes "
                "why the reference passes all the same."
            )
        check = identity_check_record(
            application=application,
            registrar=registrar,
            check_type=IdentityCheck.Type.REFERENCE,
            outcome=outcome,
            notes=notes,
            referee_name=request.referee.name,
            referee_relationship=request.referee.relationship,
        )
        request.identity_check = check
        request.save(update_fields=["identity_check"])
        audit_log(
            action="register.reference_request.decided",
            actor=registrar,
            target=application,
            new_status=outcome,
            data={"request_id": request.pk, "check_id": check.pk},
        )
    return check
