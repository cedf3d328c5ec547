"""Answering a consultation: who may, submitting once, saving to come back, receipts.

Privacy: a `Response` never holds a user or an email address, and submitting one writes no
audit event. An audit event carries the actor and the client address and time, which would
tie a named person to their answers, the very link the analysis tables are built to avoid.
The responses themselves are the record of what was submitted, and when.
"""

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.permissions import can
from consultations.answers import check_answers, questions_for
from consultations.models import (
    Answer,
    Consultation,
    OutcomeSubscription,
    Response,
    ResponseDraft,
    answers_copy_from_response,
)
from core.dates import format_moment
from core.encryption import blind_index
from core.errors import ApplicationError
from core.notifications import email_from_template
from core.ratelimit import Hit, RateLimit
from register.models import RegisterEntry

Audience = Consultation.Audience

# What a closed consultation's responses hold in place of their idempotency keys: unique, as
# the column must be, and saying nothing about who sent them.
CLOSED_KEY = "closed:"


class ResponseRefused(ApplicationError):
    pass


class AudienceRefused(ResponseRefused):
    """This person may not answer this consultation; the message says who may."""


class AlreadyAnswered(ResponseRefused):
    pass


class ConsultationNotOpen(ResponseRefused):
    pass


class AnswersInvalid(ResponseRefused):
    def __init__(self, errors: dict):
        super().__init__("Some answers need correcting.")
        self.errors = errors


class SubmissionKeyUsed(ResponseRefused):
    """The submission's idempotency key already stored another person's response."""


def consultation_key(*, consultation: Consultation, purpose: str) -> bytes:
    """A key of this consultation's own, for one purpose: derived (HKDF) from
    CONSULTATION_RESPONDENT_KEY, which is in no database, and the consultation's random salt.
    Never stored; a copy of the database alone cannot make it (docs/decisions/0018)."""
    return HKDF(
        algorithm=SHA256(),
        length=32,
        salt=consultation.salt.encode(),
        info=f"consultation:{purpose}".encode(),
    ).derive(settings.CONSULTATION_RESPONDENT_KEY.encode())


def respondent_hash(*, consultation: Consultation, user) -> str:
    """Recognises a signed-in person within one open consultation without naming them, so
    they answer once. Erased from every response when the consultation closes
    (`responses_unlink`): the link lasts only while it is needed."""
    key = consultation_key(consultation=consultation, purpose="respondent")
    return hmac.new(key, f"user:{user.pk}".encode(), hashlib.sha256).hexdigest()


def client_bound_key(
    *, consultation: Consultation, key: str, client_ip: str | None, answers: dict
) -> str:
    """An idempotency key chosen by an API client that is not signed in, bound to that client:
    to its address and to the answers it sent. Two clients that choose the same key (a counter,
    say) store two responses, and neither learns anything of the other's, neither whether
    their answers match nor a reference; a retry of the same request from the same address
    finds its own response. Stored as an HMAC under the consultation's own key, so the column
    names no address, and erased at the close with the rest (`responses_unlink`)."""
    request = json.dumps(
        {
            question: [
                sorted(answer.get("options") or []),
                bool(answer.get("other")),
                answer.get("other_text") or "",
                answer.get("text") or "",
            ]
            for question, answer in answers.items()
        },
        sort_keys=True,
    )
    message = "\n".join([client_ip or "", key, request]).encode()
    bound = hmac.digest(
        consultation_key(consultation=consultation, purpose="idempotency"), message, "sha256"
    )
    # 48 characters: room for a caller's prefix in the 64 of the column. A colon, which the
    # keys clients choose never hold, keeps the two kinds apart.
    return "anon:" + base64.urlsafe_b64encode(bound).decode().rstrip("=")


def responses_unlink(*, consultation: Consultation) -> int:
    """Destroy what could tie a closed consultation's responses to a person or a client: the
    respondent hashes and the idempotency keys (an API client's own, or one bound to its
    address). Only once nobody can answer any more, in the closing transaction. How many
    responses were changed."""
    return (
        Response.objects.filter(consultation=consultation)
        .filter(Q(respondent_hash__isnull=False) | ~Q(idempotency_key__startswith=CLOSED_KEY))
        .update(respondent_hash=None, idempotency_key=Concat(Value(CLOSED_KEY), F("reference")))
    )


def audience_check(*, consultation: Consultation, user) -> None:
    """Raise AudienceRefused, saying who may answer, unless this person may."""
    signed_in = user is not None and user.is_authenticated
    if consultation.audience == Audience.ANYONE:
        if not signed_in and not consultation.allow_anonymous:
            raise AudienceRefused("Sign in to answer this consultation.")
        return
    if not signed_in:
        raise AudienceRefused(_audience_message(consultation) + " Sign in to answer it.")
    if not can(user, "consultation.answer", consultation):
        raise AudienceRefused(_audience_message(consultation))


def _audience_message(consultation: Consultation) -> str:
    if consultation.audience == Audience.REGISTERED_WORKERS:
        return "Only care workers on the register can answer this consultation."
    names = ", ".join(sorted(o.name for o in consultation.audience_organisations.all()))
    return f"Only members of {names} can answer this consultation."


def _register_snapshot(user) -> tuple[bool, str]:
    if user is None or not user.is_authenticated:
        return False, ""
    status = RegisterEntry.objects.filter(worker=user).values_list("status", flat=True).first()
    if status is None:
        return False, ""
    return status in RegisterEntry.PRACTISING, status


def _refuse_unless_open(consultation: Consultation, now: datetime) -> None:
    if consultation.is_open(now):
        return
    if consultation.closes_at and now >= consultation.closes_at:
        raise ConsultationNotOpen(
            f"This consultation closed at {format_moment(consultation.closes_at)}. "
            "Answers can no longer be accepted."
        )
    raise ConsultationNotOpen("This consultation is not open for answers yet.")


def _anonymous_answers_limit(consultation: Consultation) -> RateLimit:
    return RateLimit(
        "consultation-anonymous-answers",
        limit=consultation.anonymous_answers_per_hour,
        period=3600,
    )


def _rate_limit_key(consultation: Consultation, client_ip: str) -> str:
    return f"{consultation.pk}:{client_ip}"


def _count_against_rate_limit(consultation: Consultation, client_ip: str | None) -> Hit | None:
    """Count this answer against its connection's last hour, before it is stored, so that
    concurrent answers cannot all slip under the limit; the caller takes it back if none is
    stored. A hit past the limit is not a refusal: the answer is kept and flagged (the caller
    reads `allowed`), since a care home's staff or a day centre's visitors share one
    connection. The address is a key in the cache for the hour, never stored with the answer."""
    if not client_ip:
        return None
    return _anonymous_answers_limit(consultation).hit(_rate_limit_key(consultation, client_ip))


def _answer_rows(response: Response, questions, answers: dict) -> list[Answer]:
    by_id = {question.pk: question for question in questions}
    rows = []
    for question_id, answer in answers.items():
        question = by_id[int(question_id)]
        if question.is_choice:
            rows.extend(
                Answer(response=response, question=question, option_id=option)
                for option in answer["options"]
            )
            if answer["other"]:
                rows.append(Answer(response=response, question=question, text=answer["other_text"]))
        else:
            rows.append(Answer(response=response, question=question, text=answer["text"]))
    return rows


def _respondent_type(questions, answers: dict) -> str:
    for question in questions:
        if question.is_respondent_type:
            chosen = answers.get(str(question.pk), {}).get("options") or []
            values = {option.pk: option.value for option in question.options.all()}
            if chosen:
                return values.get(chosen[0], "") or Response.RespondentType.OTHER
            if answers.get(str(question.pk), {}).get("other"):
                return Response.RespondentType.OTHER
    return ""


@dataclass(frozen=True)
class Submitted:
    response: Response
    created: bool  # False when this was a repeat of a submission already stored, or an edit
    edited: bool = False


def response_submit(
    *,
    consultation: Consultation,
    answers: dict,
    user=None,
    idempotency_key: str,
    started_at: datetime | None = None,
    client_ip: str | None = None,
    honeypot: str = "",
    questions=None,
    on_stored: Callable[["Submitted"], None] | None = None,
) -> Submitted:
    """Store one person's answers, exactly once.

    The same `idempotency_key` (a hidden field made when the check-answers page is shown)
    always gives back the same response, so a double click or two tabs make one response.
    A signed-in person answers once (their `respondent_hash` is unique per consultation) or,
    where allowed, edits their answer until the close. `closes_at` is the first instant the
    consultation is closed: the clock is read inside the transaction, at the moment of submit.

    `on_stored`, if given, is called inside the same transaction once the answers are written
    (not for a repeat), so what it writes commits with them: the check-answers page clears
    its session there, one commit per response instead of two.
    """
    if honeypot:
        # A field people never see was filled in: a script, not a person.
        raise ResponseRefused("We could not accept this response.")
    if not idempotency_key or len(idempotency_key) > 64:
        raise ResponseRefused("This form has expired. Go back to check your answers again.")
    audience_check(consultation=consultation, user=user)
    signed_in = user is not None and user.is_authenticated
    answer_hash = respondent_hash(consultation=consultation, user=user) if signed_in else None
    questions = questions if questions is not None else questions_for(consultation)
    checked = check_answers(questions, answers)
    if not checked.is_valid:
        # Pressed twice after the first press stored the answers (and the session let go
        # of them): give back what was stored rather than complain about empty answers.
        repeat = _repeat_of(consultation, idempotency_key, answer_hash)
        if repeat is not None:
            return Submitted(response=repeat, created=False)
        raise AnswersInvalid(checked.errors)
    verified, register_status = _register_snapshot(user)
    counted = None if signed_in else _count_against_rate_limit(consultation, client_ip)
    try:
        submitted = _store(
            consultation=consultation,
            questions=questions,
            checked=checked,
            answer_hash=answer_hash,
            verified=verified,
            register_status=register_status,
            many_from_one_connection=counted is not None and not counted.allowed,
            idempotency_key=idempotency_key,
            started_at=started_at,
            on_stored=on_stored,
        )
    except BaseException:
        if counted:
            counted.take_back()
        raise
    if counted and not submitted.created:
        # A repeat of an answer already counted.
        counted.take_back()
    return submitted


def _store(
    *,
    consultation: Consultation,
    questions,
    checked,
    answer_hash: str | None,
    verified: bool,
    register_status: str,
    many_from_one_connection: bool,
    idempotency_key: str,
    started_at: datetime | None,
    on_stored: Callable[["Submitted"], None] | None,
) -> Submitted:
    new_response = {
        "consultation": consultation,
        "respondent_type": _respondent_type(questions, checked.answers),
        "verified": verified,
        "register_status": register_status,
        "many_from_one_connection": many_from_one_connection,
        "respondent_hash": answer_hash,
        "idempotency_key": idempotency_key,
        "started_at": started_at,
    }
    try:
        if (
            on_stored is None
            and not (answer_hash and consultation.allow_edit_until_close)
            and connections[router.db_for_write(Response)].vendor == "postgresql"
        ):
            now = timezone.now()
            _refuse_unless_open(consultation, now)
            response = _new_response(**new_response, now=now)
            _insert_in_one_statement(
                response=response, rows=_answer_rows(response, questions, checked.answers)
            )
            return Submitted(response=response, created=True)
        with transaction.atomic():
            # The clock is read here, at the moment of submit, against the closing time in the
            # row now: the association may have closed it early since the caller loaded it.
            now = timezone.now()
            _refuse_unless_open(_with_stored_close(consultation), now)
            if answer_hash and consultation.allow_edit_until_close:
                existing = (
                    Response.objects.select_for_update()
                    .filter(consultation=consultation, respondent_hash=answer_hash)
                    .first()
                )
                if existing is not None:
                    if existing.idempotency_key == idempotency_key:
                        return Submitted(response=existing, created=False)
                    edited = _replace_answers(existing, questions, checked.answers, idempotency_key)
                    if on_stored is not None:
                        on_stored(edited)
                    return edited
            response = _new_response(**new_response, now=now)
            response.save(force_insert=True)
            Answer.objects.bulk_create(_answer_rows(response, questions, checked.answers))
            submitted = Submitted(response=response, created=True)
            if on_stored is not None:
                on_stored(submitted)
    except IntegrityError:
        # Someone else got there first with the same key (a double click) or the same person
        # (another tab). Their transaction has committed, so we can now see what they stored.
        repeat = _repeat_of(consultation, idempotency_key, answer_hash)
        if repeat is not None:
            return Submitted(response=repeat, created=False)
        if (
            answer_hash
            and Response.objects.filter(
                consultation=consultation, respondent_hash=answer_hash
            ).exists()
        ):
            raise AlreadyAnswered(
                "You have already answered this consultation. Each person answers once."
            ) from None
        raise
    return submitted


def _with_stored_close(consultation: Consultation) -> Consultation:
    """The consultation with its closing time and status as stored now: closing early moves
    both, after the caller may have loaded it."""
    stored = Consultation.objects.filter(pk=consultation.pk).values("status", "closes_at").first()
    if stored is not None:
        consultation.status, consultation.closes_at = stored["status"], stored["closes_at"]
    return consultation


def _new_response(*, now: datetime, started_at: datetime | None, **fields) -> Response:
    """The response about to be stored, submitted now, not yet saved."""
    return Response(
        **fields,
        started_at=started_at,
        submitted_at=now,
        duration_seconds=max(0, int((now - started_at).total_seconds())) if started_at else None,
        updated_at=now,
    )


def _insert_in_one_statement(*, response: Response, rows: list[Answer]) -> None:
    """Save a new response and its answers with one PostgreSQL statement: one round trip,
    atomic on its own, so with no transaction to begin and commit. The same rows as
    `response.save()` and `Answer.objects.bulk_create` write (a test compares them); that way
    cost more than half the CPU of a submit through the API (docs/decisions/0012)."""
    answers_copy_from_response(rows)
    database = router.db_for_write(Response)
    sql = f"""
        WITH new_response AS (
            INSERT INTO {Response._meta.db_table} (
                consultation_id, reference, respondent_type, verified, register_status,
                respondent_hash, idempotency_key, started_at, submitted_at, duration_seconds,
                updated_at, many_from_one_connection
            )
            -- Cast: unlike VALUES, a SELECT list does not take its types from the columns.
            SELECT %s::bigint, %s::text, %s::text, %s::boolean, %s::text, %s::text, %s::text,
                %s::timestamptz, %s::timestamptz, %s::integer, %s::timestamptz, %s::boolean
            -- Closing early moves the closing time after the caller loaded it.
            WHERE EXISTS (
                SELECT 1 FROM {Consultation._meta.db_table} WHERE id = %s AND closes_at > %s
            )
            RETURNING id
        ), new_answers AS (
            INSERT INTO {Answer._meta.db_table} (
                response_id, question_id, option_id, text, respondent_type, verified,
                first_for_question
            )
            SELECT new_response.id, given.question_id, given.option_id, given.text, %s, %s,
                given.first_for_question
            FROM new_response,
                unnest(%s::bigint[], %s::bigint[], %s::text[], %s::boolean[])
                    AS given (question_id, option_id, text, first_for_question)
        )
        SELECT id FROM new_response
    """  # noqa: S608 - table names from the models; every value is a parameter
    parameters = [
        response.consultation_id,
        response.reference,
        response.respondent_type,
        response.verified,
        response.register_status,
        response.respondent_hash,
        response.idempotency_key,
        response.started_at,
        response.submitted_at,
        response.duration_seconds,
        response.updated_at,
        response.many_from_one_connection,
        response.consultation_id,
        response.submitted_at,
        response.respondent_type,
        response.verified,
        [row.question_id for row in rows],
        [row.option_id for row in rows],
        [row.text for row in rows],
        [row.first_for_question for row in rows],
    ]
    # Inside a caller's transaction a refused insert (a double click's key) must not abort it.
    in_transaction = connections[database].in_atomic_block
    with transaction.atomic(using=database) if in_transaction else nullcontext():
        with connections[database].cursor() as cursor:
            cursor.execute(sql, parameters)
            inserted = cursor.fetchone()
    if inserted is None:
        raise ConsultationNotOpen(
            "This consultation has closed. Answers can no longer be accepted."
        )
    (response.pk,) = inserted
    response._state.adding = False
    response._state.db = database


def _repeat_of(
    consultation: Consultation, idempotency_key: str, answer_hash: str | None
) -> Response | None:
    """The response this same submission stored already, if any. API clients choose their
    own keys, so two people can send the same one: a key gives back only its sender's own
    response (the same respondent hash, or none for people not signed in), never another's."""
    repeat = Response.objects.filter(
        consultation=consultation, idempotency_key=idempotency_key
    ).first()
    if repeat is not None and repeat.respondent_hash != answer_hash:
        raise SubmissionKeyUsed(
            "This form was already used to send other answers. Check your answers and send "
            "them again."
        )
    return repeat


def _replace_answers(response: Response, questions, answers: dict, idempotency_key: str):
    response.respondent_type = _respondent_type(questions, answers)
    response.idempotency_key = idempotency_key
    response.updated_at = timezone.now()
    response.save(update_fields=["respondent_type", "idempotency_key", "updated_at"])
    # Written after the type is set: each answer copies its response's type as it is written.
    response.answers.all().delete()
    Answer.objects.bulk_create(_answer_rows(response, questions, answers))
    return Submitted(response=response, created=False, edited=True)


def response_existing_for_user(*, consultation: Consultation, user) -> Response | None:
    """The signed-in person's own response, if they have answered."""
    if user is None or not user.is_authenticated:
        return None
    return Response.objects.filter(
        consultation=consultation,
        respondent_hash=respondent_hash(consultation=consultation, user=user),
    ).first()


def response_answers_as_dict(*, response: Response) -> dict:
    """A stored response in the shape the pages use, for editing it."""
    answers: dict = {}
    for answer in response.answers.select_related("question"):
        entry = answers.setdefault(
            str(answer.question_id), {"options": [], "other": False, "other_text": "", "text": ""}
        )
        if answer.option_id:
            entry["options"].append(answer.option_id)
        elif answer.question.is_choice:
            entry["other"], entry["other_text"] = True, answer.text
        else:
            entry["text"] = answer.text
    return answers


# --- Limits on the emails anyone can ask for -------------------------------------------------

# Anyone may ask for a resume link or a receipt to be sent to any address, so each email
# counts against the address it goes to, the session that asked and the client's address;
# each limit stops a different flood: one inbox, one browser, one connection with fresh
# sessions. The numbers are read when they are used, so a test can change them.
EMAILS_PER_RECIPIENT_PER_DAY = 5
EMAILS_PER_SESSION_PER_HOUR = 5
EMAILS_PER_CLIENT_ADDRESS_PER_HOUR = 20


class EmailRefused(ResponseRefused):
    """An email was not sent: a limit, or one already sent for this."""


def _email_checked(email: str) -> str:
    email = (email or "").strip()
    if "@" not in email:
        raise ResponseRefused("Enter your email address, like name@example.com", field="email")
    return email


def recipient_index(email: str) -> str:
    """The address as the limits and drafts know it: a blind index, never the address."""
    # Hex first: blind_index drops every character but letters and digits, which would make
    # a.b@example.org and ab@example.org one address.
    return blind_index(email.strip().lower().encode().hex(), purpose="consultation-email")


def _email_limits(
    recipient: str, session_key: str | None, client_ip: str | None
) -> list[tuple[RateLimit, str, str]]:
    limits = [
        (
            RateLimit(
                "consultation-email-recipient",
                limit=EMAILS_PER_RECIPIENT_PER_DAY,
                period=86400,
                slices=24,
            ),
            recipient,
            "We have sent as many emails to that address as we can today. Check its inbox "
            "and spam folder, or try again tomorrow.",
        )
    ]
    if session_key:
        limits.append(
            (
                RateLimit(
                    "consultation-email-session", limit=EMAILS_PER_SESSION_PER_HOUR, period=3600
                ),
                # Hashed: a session's key opens the session, and the cache is no place for it.
                hashlib.sha256(session_key.encode()).hexdigest(),
                "You have asked for too many emails in the last hour. Please try again later.",
            )
        )
    if client_ip:
        limits.append(
            (
                RateLimit(
                    "consultation-email-address",
                    limit=EMAILS_PER_CLIENT_ADDRESS_PER_HOUR,
                    period=3600,
                ),
                client_ip,
                "Too many emails have been asked for from your internet connection in the "
                "last hour. Please try again later.",
            )
        )
    return limits


def email_limits_hit(
    *, recipient: str, session_key: str | None, client_ip: str | None
) -> list[Hit]:
    """Count one email against the recipient, the session and the client address, counting
    first (core.ratelimit); raise EmailRefused, with nothing counted, if any limit is reached.
    The caller gives the hits back if the email does not go after all."""
    hits: list[Hit] = []
    for limit, key, message in _email_limits(recipient, session_key, client_ip):
        hit = limit.hit(key)
        if not hit.allowed:
            _take_back(hits)
            raise EmailRefused(message, field="email")
        hits.append(hit)
    return hits


def _take_back(hits: list[Hit]) -> None:
    for hit in hits:
        hit.take_back()


# --- Save and come back later ----------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class DraftSaved:
    token: str
    # False when this draft's link had already been sent to that address: it still works,
    # and shows the answers saved now.
    emailed: bool


def response_draft_save(
    *,
    consultation: Consultation,
    answers: dict,
    page_reached: int,
    email: str,
    started_at: datetime | None = None,
    token: str = "",
    session_key: str | None = None,
    client_ip: str | None = None,
) -> DraftSaved:
    """Keep the answers so far and email a link back to them, valid until the close. The
    link's token is returned; only its hash is stored, and of the address only its blind index.

    One email per draft and address: saving again to an address the link went to saves the
    answers and sends nothing. Every email counts against the limits of `email_limits_hit`;
    past one, nothing is saved and the person is told why."""
    now = timezone.now()
    _refuse_unless_open(consultation, now)
    email = _email_checked(email)
    recipient = recipient_index(email)
    with transaction.atomic():
        draft = (
            ResponseDraft.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
            if token
            else None
        )
        if draft is None or draft.consultation_id != consultation.pk:
            token = secrets.token_urlsafe(32)
            draft = ResponseDraft(consultation=consultation, token_hash=_token_hash(token))
            draft.started_at = started_at or now
        draft.answers = answers
        draft.page_reached = page_reached
        draft.expires_at = consultation.closes_at
        draft.updated_at = now
        emailed = recipient not in draft.emailed_to
        hits = []
        if emailed:
            hits = email_limits_hit(
                recipient=recipient, session_key=session_key, client_ip=client_ip
            )
            draft.emailed_to = [*draft.emailed_to, recipient]
        try:
            draft.save()
            if emailed:
                email_from_template(
                    to=[email],
                    template="consultation_draft_link",
                    context={
                        "consultation": consultation,
                        "path": f"/consultations/{consultation.slug}/resume/{token}/",
                        "closes_at": timezone.localtime(consultation.closes_at),
                    },
                )
        except BaseException:
            _take_back(hits)
            raise
    return DraftSaved(token=token, emailed=emailed)


def response_draft_get(*, consultation: Consultation, token: str) -> ResponseDraft:
    draft = ResponseDraft.objects.filter(
        consultation=consultation, token_hash=_token_hash(token)
    ).first()
    if draft is None:
        raise ResponseRefused(
            "This link does not work. It may have been used already, or copied wrongly."
        )
    if timezone.now() >= draft.expires_at:
        raise ResponseRefused("This link has expired, because the consultation has closed.")
    return draft


def response_draft_discard(*, token: str) -> None:
    if token:
        ResponseDraft.objects.filter(token_hash=_token_hash(token)).delete()


# --- After answering -------------------------------------------------------------------------


def response_receipt_send(
    *,
    response: Response,
    email: str,
    session_key: str | None = None,
    client_ip: str | None = None,
) -> None:
    """Email the reference to the respondent, once per response. The address is used once and
    not stored; the response keeps only that its receipt has gone."""
    email = _email_checked(email)
    with transaction.atomic():
        # Marked and counted in one transaction: two presses at once send one receipt.
        if not Response.objects.filter(pk=response.pk, receipt_sent=False).update(
            receipt_sent=True
        ):
            raise EmailRefused(
                "We have already emailed the reference for this response. Check your inbox "
                "and spam folder, or note the reference shown on this page.",
                field="email",
            )
        hits = email_limits_hit(
            recipient=recipient_index(email), session_key=session_key, client_ip=client_ip
        )
        try:
            email_from_template(
                to=[email],
                template="consultation_receipt",
                context={"consultation": response.consultation, "reference": response.reference},
            )
        except BaseException:
            _take_back(hits)
            raise


def outcome_subscribe(*, consultation: Consultation, email: str) -> OutcomeSubscription:
    """Remember an address to tell when the outcome is published; kept apart from answers."""
    if not email or "@" not in email:
        raise ResponseRefused("Enter your email address, like name@example.com", field="email")
    email = email.strip().lower()
    index = blind_index(email, purpose="consultation-outcome-email")
    subscription = OutcomeSubscription.objects.filter(
        consultation=consultation, email_index=index
    ).first()
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = OutcomeSubscription.objects.create(
                    consultation=consultation, email=email, email_index=index
                )
        except IntegrityError:
            subscription = OutcomeSubscription.objects.get(
                consultation=consultation, email_index=index
            )
    return subscription
