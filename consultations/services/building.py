"""Writing a consultation: its details, pages and questions, until anybody answers it."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Organisation, User
from accounts.permissions import require
from consultations.models import (
    Consultation,
    Option,
    Page,
    Question,
    Response,
    validate_summary_length,
)
from core.audit import audit_log
from core.errors import ApplicationError

Status = Consultation.Status
Kind = Question.Kind

# Seconds a typical person takes, by question type, used for "about N minutes". Choosing from
# a short list takes about 10 seconds (reading the question and options), several choices a
# little longer; typing a short answer about half a minute, a considered paragraph a minute
# and a half. Each page adds 10 seconds to read its heading and press Continue, and the check
# answers page 20 seconds. Rough on purpose: it sets expectations, it is not a promise.
SECONDS_PER_QUESTION = {
    Kind.SINGLE_CHOICE: 10,
    Kind.LIKERT: 10,
    Kind.MULTIPLE_CHOICE: 15,
    Kind.SHORT_TEXT: 30,
    Kind.LONG_TEXT: 90,
}
SECONDS_PER_PAGE = 10
SECONDS_TO_CHECK_ANSWERS = 20

# The built-in "about you" question, added to every consultation.
RESPONDENT_TYPE_TEXT = "Which of these best describes you?"
LIKERT_LABELS = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
]
DEFAULT_TEXT_LIMITS = {Kind.SHORT_TEXT: 200, Kind.LONG_TEXT: 2000}


class ConsultationBuildError(ApplicationError):
    pass


class QuestionsLocked(ConsultationBuildError):
    pass


@dataclass(frozen=True)
class Estimate:
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))

    def __str__(self) -> str:
        return "about 1 minute" if self.minutes == 1 else f"about {self.minutes} minutes"


def completion_estimate(*, consultation: Consultation) -> Estimate:
    """How long answering takes, from the questions: see SECONDS_PER_QUESTION."""
    return completion_estimates(consultations=[consultation])[consultation.pk]


def completion_estimates(*, consultations) -> dict[int, Estimate]:
    """`completion_estimate` for many consultations at once, by id: two grouped queries
    however many there are, for the lists (the consultations page and the API)."""
    ids = [consultation.pk for consultation in consultations]
    seconds = dict.fromkeys(ids, SECONDS_TO_CHECK_ANSWERS)
    kinds = (
        Question.objects.filter(consultation_id__in=ids)
        .values_list("consultation_id", "kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    for consultation_id, kind, count in kinds:
        seconds[consultation_id] += SECONDS_PER_QUESTION[kind] * count
    pages = (
        Page.objects.filter(consultation_id__in=ids)
        .values_list("consultation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    for consultation_id, count in pages:
        seconds[consultation_id] += SECONDS_PER_PAGE * count
    return {consultation_id: Estimate(seconds=total) for consultation_id, total in seconds.items()}


def _clean_details(
    *,
    title: str,
    summary: str,
    privacy_notice: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    audience: str,
    audience_organisations,
) -> None:
    if not title.strip():
        raise ConsultationBuildError("Enter a title.", field="title")
    try:
        validate_summary_length(summary)
    except ValidationError as error:
        raise ConsultationBuildError(error.messages[0], field="summary") from None
    if not summary.strip():
        raise ConsultationBuildError("Enter a summary of 100 words or fewer.", field="summary")
    if not privacy_notice.strip():
        raise ConsultationBuildError(
            "Enter a privacy notice: say what you keep and why.", field="privacy_notice"
        )
    for value in (opens_at, closes_at):
        if value is not None and timezone.is_naive(value):
            raise ValueError("Consultation times must be aware datetimes.")
    if opens_at and closes_at and closes_at <= opens_at:
        raise ConsultationBuildError(
            "The closing time must be after the opening time.", field="closes_at"
        )
    if audience not in Consultation.Audience.values:
        raise ConsultationBuildError("Choose who can answer.", field="audience")
    if audience == Consultation.Audience.ORGANISATION_MEMBERS and not list(audience_organisations):
        raise ConsultationBuildError(
            "Choose at least one organisation whose members can answer.",
            field="audience_organisations",
        )


def _unique_slug(title: str) -> str:
    base = slugify(title)[:60] or "consultation"
    slug, number = base, 1
    while Consultation.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def consultation_create(
    *,
    organisation: Organisation,
    user: User,
    title: str,
    summary: str,
    body: str = "",
    privacy_notice: str,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    audience: str = Consultation.Audience.ANYONE,
    audience_organisations=(),
    allow_anonymous: bool = True,
    allow_edit_until_close: bool = False,
    slug: str = "",
) -> Consultation:
    """A new draft consultation, with its first page and the built-in "about you" question."""
    require(user, "consultation.manage", organisation)
    audience_organisations = list(audience_organisations)
    _clean_details(
        title=title,
        summary=summary,
        privacy_notice=privacy_notice,
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        audience_organisations=audience_organisations,
    )
    with transaction.atomic():
        consultation = Consultation.objects.create(
            organisation=organisation,
            title=title.strip(),
            slug=slug or _unique_slug(title),
            summary=summary.strip(),
            body=body.strip(),
            privacy_notice=privacy_notice.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            audience=audience,
            allow_anonymous=allow_anonymous and audience == Consultation.Audience.ANYONE,
            allow_edit_until_close=allow_edit_until_close,
            created_by=user,
        )
        consultation.audience_organisations.set(audience_organisations)
        page = Page.objects.create(consultation=consultation, position=1, title="About you")
        respondent_type = Question.objects.create(
            consultation=consultation,
            page=page,
            position=1,
            kind=Kind.SINGLE_CHOICE,
            text=RESPONDENT_TYPE_TEXT,
            required=True,
            is_respondent_type=True,
        )
        Option.objects.bulk_create(
            Option(question=respondent_type, position=index, label=label, value=value)
            for index, (value, label) in enumerate(Response.RespondentType.choices, start=1)
        )
        audit_log(
            action="consultations.consultation.created",
            actor=user,
            target=consultation,
            new_status=consultation.status,
            data={"organisation_id": organisation.pk, "audience": audience},
        )
    return consultation


def consultation_update(
    *,
    consultation: Consultation,
    user: User,
    title: str,
    summary: str,
    body: str,
    privacy_notice: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    audience: str,
    audience_organisations=(),
    allow_anonymous: bool,
    allow_edit_until_close: bool,
) -> Consultation:
    """Change a draft's details. Once scheduled, it goes back to draft first."""
    require(user, "consultation.manage", consultation.organisation)
    audience_organisations = list(audience_organisations)
    _clean_details(
        title=title,
        summary=summary,
        privacy_notice=privacy_notice,
        opens_at=opens_at,
        closes_at=closes_at,
        audience=audience,
        audience_organisations=audience_organisations,
    )
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.status != Status.DRAFT:
            raise ConsultationBuildError(
                "Only a draft can be changed. Move it back to draft first, before it opens."
            )
        consultation.title = title.strip()
        consultation.summary = summary.strip()
        consultation.body = body.strip()
        consultation.privacy_notice = privacy_notice.strip()
        consultation.opens_at = opens_at
        consultation.closes_at = closes_at
        consultation.audience = audience
        consultation.allow_anonymous = allow_anonymous and audience == Consultation.Audience.ANYONE
        consultation.allow_edit_until_close = allow_edit_until_close
        consultation.updated_at = timezone.now()
        consultation.save()
        consultation.audience_organisations.set(audience_organisations)
        audit_log(
            action="consultations.consultation.updated",
            actor=user,
            target=consultation,
            data={"audience": audience},
        )
    return consultation


def _lock_for_questions(consultation: Consultation) -> Consultation:
    """Lock the consultation and refuse if its questions may no longer change."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    answered = Response.objects.filter(consultation=consultation).count()
    if answered:
        people = "person has" if answered == 1 else "people have"
        raise QuestionsLocked(
            f"The questions are locked because {answered} {people} already answered. "
            "Changing them now would make the answers mean something else."
        )
    if consultation.status != Status.DRAFT:
        raise QuestionsLocked(
            "The questions can change only while the consultation is a draft. "
            "Move it back to draft first, before it opens."
        )
    return consultation


def page_add(*, consultation: Consultation, user: User, title: str) -> Page:
    require(user, "consultation.manage", consultation.organisation)
    if not title.strip():
        raise ConsultationBuildError("Enter a title for the page.", field="title")
    with transaction.atomic():
        consultation = _lock_for_questions(consultation)
        last = consultation.pages.aggregate(last=Max("position"))["last"] or 0
        page = Page.objects.create(
            consultation=consultation, position=last + 1, title=title.strip()
        )
        audit_log(
            action="consultations.page.added",
            actor=user,
            target=consultation,
            data={"page_id": page.pk, "title": page.title},
        )
    return page


def question_add(
    *,
    page: Page,
    user: User,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = True,
    options: list[str] = (),
    max_choices: int | None = None,
    max_length: int | None = None,
    has_other: bool = False,
    show_if_options: list[Option] = (),
) -> Question:
    """Add a question at the end of a page. `show_if_options` (all from one question on an
    earlier page) make it appear only when that answer includes any of them."""
    consultation = page.consultation
    require(user, "consultation.manage", consultation.organisation)
    if kind not in Kind.values:
        raise ConsultationBuildError("Choose a type of question.", field="kind")
    if not text.strip():
        raise ConsultationBuildError("Enter the question.", field="text")
    labels = [label.strip() for label in options if label.strip()]
    if kind == Kind.LIKERT and not labels:
        labels = list(LIKERT_LABELS)
    if kind in Question.CHOICE_KINDS:
        if len(labels) < 2:
            raise ConsultationBuildError(
                "Enter at least two options, one on each line.", field="options"
            )
        if len(set(label.lower() for label in labels)) != len(labels):
            raise ConsultationBuildError("Each option must be different.", field="options")
        max_length = None
    else:
        labels, has_other = [], False
        if max_length is not None and max_length < 1:
            raise ConsultationBuildError(
                "The character limit must be at least 1.", field="max_length"
            )
        max_length = max_length or DEFAULT_TEXT_LIMITS[kind]
    if kind == Kind.MULTIPLE_CHOICE:
        if max_choices is not None and not 1 <= max_choices <= len(labels) + has_other:
            raise ConsultationBuildError(
                "The most a person may choose must be between 1 and the number of options.",
                field="max_choices",
            )
    else:
        max_choices = None
    show_if_options = list(show_if_options)
    controlling = None
    if show_if_options:
        controlling_ids = {option.question_id for option in show_if_options}
        if len(controlling_ids) != 1:
            raise ConsultationBuildError(
                "A question can depend on the answer to one earlier question only.",
                field="show_if_options",
            )
        controlling = Question.objects.select_related("page").get(pk=controlling_ids.pop())
        if (
            controlling.consultation_id != consultation.pk
            or controlling.page.position >= page.position
        ):
            raise ConsultationBuildError(
                "A question can depend only on a question from an earlier page, so that it can "
                "be shown or hidden when its page opens.",
                field="show_if_options",
            )

    with transaction.atomic():
        _lock_for_questions(consultation)
        last = page.questions.aggregate(last=Max("position"))["last"] or 0
        question = Question.objects.create(
            consultation=consultation,
            page=page,
            position=last + 1,
            kind=kind,
            text=text.strip(),
            help_text=help_text.strip(),
            required=required,
            max_choices=max_choices,
            max_length=max_length,
            has_other=has_other,
            show_if_question=controlling,
        )
        Option.objects.bulk_create(
            Option(question=question, position=index, label=label)
            for index, label in enumerate(labels, start=1)
        )
        if show_if_options:
            question.show_if_options.set(show_if_options)
        audit_log(
            action="consultations.question.added",
            actor=user,
            target=consultation,
            data={"question_id": question.pk, "page_id": page.pk, "kind": kind},
        )
    return question


def question_delete(*, question: Question, user: User) -> None:
    consultation = question.consultation
    require(user, "consultation.manage", consultation.organisation)
    if question.is_respondent_type:
        raise ConsultationBuildError(
            'The "about you" question is part of every consultation: it lets you compare '
            "answers from workers, employers and the public."
        )
    with transaction.atomic():
        _lock_for_questions(consultation)
        if question.dependants.exists():
            raise ConsultationBuildError(
                "Another question is shown only after this one. Remove that question first."
            )
        question_id = question.pk
        question.delete()
        audit_log(
            action="consultations.question.deleted",
            actor=user,
            target=consultation,
            data={"question_id": question_id},
        )


def page_delete(*, page: Page, user: User) -> None:
    consultation = page.consultation
    require(user, "consultation.manage", consultation.organisation)
    if page.questions.filter(is_respondent_type=True).exists():
        raise ConsultationBuildError('The page with the "about you" question cannot be removed.')
    with transaction.atomic():
        _lock_for_questions(consultation)
        if Question.objects.filter(show_if_question__page=page).exclude(page=page).exists():
            raise ConsultationBuildError(
                "A question on a later page depends on this page. Remove that question first."
            )
        page_id = page.pk
        page.delete()
        audit_log(
            action="consultations.page.deleted",
            actor=user,
            target=consultation,
            data={"page_id": page_id},
        )
