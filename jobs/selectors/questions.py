"""Reads of question threads. A thread is for the person who asked and the employer's members
alone: anyone else gets Http404, so that nobody learns a thread exists."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from accounts.models import Organisation, User
from accounts.permissions import can, membership_in
from jobs.models import QuestionMessage, QuestionThread, Vacancy


def vacancy_to_ask_about(*, user: User, reference: str) -> Vacancy:
    """A published vacancy someone may ask about: not one of their own organisation's, whose
    questions come to its inbox (PermissionDenied)."""
    vacancy = (
        Vacancy.objects.select_related("organisation")
        .filter(reference=reference, status=Vacancy.Status.PUBLISHED)
        .first()
    )
    if vacancy is None:
        raise Http404("No such job.")
    if membership_in(user, vacancy.organisation) is not None:
        raise PermissionDenied
    return vacancy


def question_thread_get(*, user: User, pk: int) -> QuestionThread:
    """A thread with its messages, for the asker or a member of the employer asked."""
    thread = (
        QuestionThread.objects.select_related("vacancy", "organisation", "asker", "closed_by")
        .prefetch_related(
            Prefetch("messages", queryset=QuestionMessage.objects.select_related("author"))
        )
        .filter(pk=pk)
        .first()
    )
    if thread is None or not can(user, "question.take_part", thread):
        raise Http404("No such question.")
    return thread


def questions_for_asker(*, user: User) -> QuerySet[QuestionThread]:
    """The questions a person asked, open ones first, the latest message first."""
    return (
        QuestionThread.objects.filter(asker=user)
        .select_related("vacancy", "organisation")
        .order_by("status", "-last_message_at", "-id")
    )


@dataclass
class Inbox:
    organisation: Organisation
    status: str
    threads: list[QuestionThread]
    open_count: int
    closed_count: int
    unanswered_count: int


def question_inbox(*, user: User, organisation_pk: int, status: str) -> Inbox:
    """An employer's questions, open or closed: those waiting for its answer first, the
    longest waiting at the top, then the rest, the latest message first."""
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if organisation is None or not can(user, "vacancy.manage", organisation):
        raise Http404("No such employer.")
    if status not in QuestionThread.Status.values:
        status = QuestionThread.Status.OPEN
    threads = QuestionThread.objects.filter(organisation=organisation)
    counts = {
        row["status"]: row["count"]
        for row in threads.values("status").order_by().annotate(count=Count("id"))
    }
    listed = list(
        threads.filter(status=status)
        .select_related("vacancy", "asker")
        .order_by("-awaiting_employer", "last_message_at", "id")
    )
    # Answered threads read newest first; those waiting, longest waiting first.
    waiting = [thread for thread in listed if thread.awaiting_employer]
    answered = [thread for thread in listed if not thread.awaiting_employer]
    answered.sort(key=lambda thread: thread.last_message_at, reverse=True)
    return Inbox(
        organisation=organisation,
        status=status,
        threads=waiting + answered,
        open_count=counts.get(QuestionThread.Status.OPEN, 0),
        closed_count=counts.get(QuestionThread.Status.CLOSED, 0),
        unanswered_count=threads.filter(
            status=QuestionThread.Status.OPEN, awaiting_employer=True
        ).count(),
    )
