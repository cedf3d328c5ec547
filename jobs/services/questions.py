"""Asking an employer a question about one of its vacancies: a conversation between the person
who asked and the employer's members, which either side may close. Each message tells the other
side by email, with a link and never the words (an email is easily forwarded or read over a
shoulder, and the thread may hold personal details). New questions and messages are rate
limited per person; every change is audited as `jobs.question.<verb>`."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.permissions import can, membership_in
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template
from core.ratelimit import RateLimit
from jobs.models import QuestionMessage, QuestionThread, Vacancy

# Enough for anyone weighing up jobs, too few to flood an employer's inbox.
QUESTIONS_PER_DAY = 10
# Per person, whichever side they write for: a busy employer answering its inbox stays well
# within it.
MESSAGES_PER_HOUR = 30
MAX_MESSAGE_LENGTH = 2000

Status = QuestionThread.Status


class QuestionError(ApplicationError):
    pass


def _questions_limit() -> RateLimit:
    return RateLimit("jobs-questions", limit=QUESTIONS_PER_DAY, period=86400, slices=24)


def _messages_limit() -> RateLimit:
    return RateLimit("jobs-question-messages", limit=MESSAGES_PER_HOUR, period=3600, slices=6)


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QuestionError("Write your message.", field="text")
    if len(text) > MAX_MESSAGE_LENGTH:
        raise QuestionError(
            f"Write your message in {MAX_MESSAGE_LENGTH:,} characters or fewer. It has "
            f"{len(text):,}.",
            field="text",
        )
    return text


def question_ask(*, vacancy: Vacancy, user: User, text: str) -> QuestionThread:
    """Start a conversation with the employer of a published vacancy. Its members are emailed."""
    text = _clean(text)
    if vacancy.status != Vacancy.Status.PUBLISHED:
        raise QuestionError("This job is no longer advertised, so you cannot ask about it.")
    if membership_in(user, vacancy.organisation) is not None:
        raise QuestionError(
            f"You are a member of {vacancy.organisation.name}: questions about its jobs come "
            "to its inbox."
        )
    hit = _questions_limit().hit(f"user:{user.pk}")
    if not hit.allowed:
        raise QuestionError(
            f"You have asked {QUESTIONS_PER_DAY} questions in the last day, the most anyone "
            "can. Try again tomorrow, or add to a question you already asked."
        )
    try:
        with transaction.atomic():
            now = timezone.now()
            thread = QuestionThread.objects.create(
                vacancy=vacancy,
                organisation=vacancy.organisation,
                asker=user,
                awaiting_employer=True,
                created_at=now,
                last_message_at=now,
            )
            QuestionMessage.objects.create(
                thread=thread, author=user, from_employer=False, text=text, sent_at=now
            )
            audit_log(
                action="jobs.question.asked",
                actor=user,
                target=thread,
                new_status=thread.status,
                data={"vacancy": vacancy.reference},
            )
            _tell_the_other_side(thread, by_employer=False, template="jobs/question_message")
    except Exception:
        hit.take_back()
        raise
    return thread


def _locked(thread: QuestionThread, user: User) -> QuestionThread:
    locked = (
        QuestionThread.objects.select_for_update(of=("self",))
        .select_related("vacancy", "organisation")
        .get(pk=thread.pk)
    )
    if not can(user, "question.take_part", locked):
        raise PermissionDenied
    return locked


def _for_employer(thread: QuestionThread, user: User) -> bool:
    # The asker writes for themselves even if they later join the employer.
    return user.pk != thread.asker_id


def question_reply(*, thread: QuestionThread, user: User, text: str) -> QuestionMessage:
    """Add a message to an open conversation, from the asker or one of the employer's
    members; the other side is emailed."""
    text = _clean(text)
    hit = _messages_limit().hit(f"user:{user.pk}")
    if not hit.allowed:
        raise QuestionError(
            f"You have sent {MESSAGES_PER_HOUR} messages in the last hour, the most anyone can. "
            "Wait a while, then send it again.",
            field="text",
        )
    try:
        with transaction.atomic():
            thread = _locked(thread, user)
            if not thread.is_open:
                raise QuestionError("This conversation is closed, so it takes no more messages.")
            by_employer = _for_employer(thread, user)
            now = timezone.now()
            message = QuestionMessage.objects.create(
                thread=thread, author=user, from_employer=by_employer, text=text, sent_at=now
            )
            thread.awaiting_employer = not by_employer
            thread.last_message_at = now
            thread.save(update_fields=["awaiting_employer", "last_message_at"])
            audit_log(
                action="jobs.question.replied",
                actor=user,
                target=thread,
                data={"vacancy": thread.vacancy.reference, "from_employer": by_employer},
            )
            _tell_the_other_side(thread, by_employer=by_employer, template="jobs/question_message")
    except Exception:
        hit.take_back()
        raise
    return message


def question_close(*, thread: QuestionThread, user: User) -> QuestionThread:
    """Close a conversation, from either side: it takes no more messages. The other side is
    emailed."""
    with transaction.atomic():
        thread = _locked(thread, user)
        if not thread.is_open:
            raise QuestionError("This conversation is already closed.")
        by_employer = _for_employer(thread, user)
        now = timezone.now()
        thread.status = Status.CLOSED
        thread.closed_at = now
        thread.closed_by = user
        thread.awaiting_employer = False
        thread.save(update_fields=["status", "closed_at", "closed_by", "awaiting_employer"])
        audit_log(
            action="jobs.question.closed",
            actor=user,
            target=thread,
            old_status=Status.OPEN,
            new_status=Status.CLOSED,
            data={"vacancy": thread.vacancy.reference, "by_employer": by_employer},
        )
        _tell_the_other_side(thread, by_employer=by_employer, template="jobs/question_closed")
    return thread


def _employer_addresses(organisation: Organisation) -> list[str]:
    return sorted(
        {email for email in organisation.memberships.values_list("user__email", flat=True) if email}
    )


def _tell_the_other_side(thread: QuestionThread, *, by_employer: bool, template: str) -> None:
    """Email the side that did not act: one email to each member of the employer (they need
    not see each other's addresses), or to the asker. A link to the thread, never its words."""
    context = {
        "thread": thread,
        "vacancy": thread.vacancy,
        "organisation": thread.organisation,
        "by_employer": by_employer,
        "first": thread.messages.count() == 1,
        "path": reverse("jobs:question-thread", args=[thread.pk]),
    }
    addresses = [thread.asker.email] if by_employer else _employer_addresses(thread.organisation)
    for address in addresses:
        email_from_template(to=[address], template=template, context=context)
