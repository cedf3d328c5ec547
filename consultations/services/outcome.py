"""After a consultation closes: tagging free-text answers with themes while analysing, then
publishing the outcome ("you said, we did") and telling the people who asked to hear."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import require
from consultations.analysis.free_text import free_text_answers
from consultations.models import Answer, AnswerTheme, Consultation, OutcomeSubscription, Theme
from consultations.services.lifecycle import ConsultationStatusError
from core.audit import audit_log
from core.errors import ApplicationError
from core.notifications import email_from_template

Status = Consultation.Status
THEME_NAME_MAX = Theme._meta.get_field("name").max_length


class ThemeError(ApplicationError):
    pass


class OutcomeError(ConsultationStatusError):
    pass


def _refuse_unless_analysing(consultation: Consultation) -> None:
    if consultation.status == Status.ANALYSING:
        return
    if consultation.status == Status.PUBLISHED:
        raise ThemeError(
            "The outcome has been published, so the themes can no longer change: they are "
            "what the published counts are made of."
        )
    raise ThemeError("Start the analysis before tagging answers with themes.")


def _clean_name(consultation: Consultation, name: str, *, exclude: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ThemeError("Enter a name for the theme.", field="name")
    if len(name) > THEME_NAME_MAX:
        raise ThemeError(
            f"The theme's name must be {THEME_NAME_MAX} characters or fewer.", field="name"
        )
    clash = (
        Theme.objects.filter(consultation=consultation)
        .annotate(lower=Lower("name"))
        .filter(lower=name.lower())
        .exclude(pk=exclude)
    )
    if clash.exists():
        raise ThemeError(f"There is already a theme called “{name}”.", field="name")
    return name


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def theme_create(*, consultation: Consultation, user: User, name: str) -> Theme:
    """A new theme to tag this consultation's free-text answers with."""
    require(user, "consultation.analyse", consultation)
    with transaction.atomic():
        consultation = _locked(consultation)
        _refuse_unless_analysing(consultation)
        name = _clean_name(consultation, name)
        try:
            with transaction.atomic():
                theme = Theme.objects.create(consultation=consultation, name=name)
        except IntegrityError:
            raise ThemeError(f"There is already a theme called “{name}”.", field="name") from None
        audit_log(
            action="consultations.theme.created",
            actor=user,
            target=theme,
            data={"consultation": consultation.pk, "name": name},
        )
    return theme


def theme_rename(*, theme: Theme, user: User, name: str) -> Theme:
    require(user, "consultation.analyse", theme.consultation)
    with transaction.atomic():
        consultation = _locked(theme.consultation)
        _refuse_unless_analysing(consultation)
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        old = theme.name
        name = _clean_name(consultation, name, exclude=theme.pk)
        theme.name = name
        theme.save(update_fields=["name"])
        audit_log(
            action="consultations.theme.renamed",
            actor=user,
            target=theme,
            data={"consultation": consultation.pk, "old_name": old, "name": name},
        )
    return theme


def theme_delete(*, theme: Theme, user: User) -> None:
    """Remove a theme and its tags; the answers themselves stay."""
    require(user, "consultation.analyse", theme.consultation)
    with transaction.atomic():
        consultation = _locked(theme.consultation)
        _refuse_unless_analysing(consultation)
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        tagged = AnswerTheme.objects.filter(theme=theme).count()
        audit_log(
            action="consultations.theme.deleted",
            actor=user,
            target=theme,
            data={"consultation": consultation.pk, "name": theme.name, "answers_tagged": tagged},
        )
        theme.delete()


def _check_answer_and_theme(answer: Answer, theme: Theme) -> None:
    if answer.question.consultation_id != theme.consultation_id:
        raise ThemeError("That theme belongs to another consultation.")
    if answer.option_id is not None or not answer.text:
        raise ThemeError("Only free-text answers can be tagged with themes.")


def answer_tag(*, answer: Answer, theme: Theme, user: User) -> bool:
    """Tag a free-text answer with a theme; False if it already had it (nothing changes)."""
    consultation = theme.consultation
    require(user, "consultation.analyse", consultation)
    _check_answer_and_theme(answer, theme)
    with transaction.atomic():
        consultation = _locked(consultation)
        _refuse_unless_analysing(consultation)
        if AnswerTheme.objects.filter(answer=answer, theme=theme).exists():
            return False
        try:
            with transaction.atomic():
                AnswerTheme.objects.create(answer=answer, theme=theme)
        except IntegrityError:
            return False
        audit_log(
            action="consultations.answer.tagged",
            actor=user,
            target=answer,
            data={"consultation": consultation.pk, "theme": theme.pk, "theme_name": theme.name},
        )
    return True


def answer_untag(*, answer: Answer, theme: Theme, user: User) -> bool:
    """Take a theme off an answer; False if it did not have it."""
    consultation = theme.consultation
    require(user, "consultation.analyse", consultation)
    _check_answer_and_theme(answer, theme)
    with transaction.atomic():
        consultation = _locked(consultation)
        _refuse_unless_analysing(consultation)
        deleted, _ = AnswerTheme.objects.filter(answer=answer, theme=theme).delete()
        if not deleted:
            return False
        audit_log(
            action="consultations.answer.untagged",
            actor=user,
            target=answer,
            data={"consultation": consultation.pk, "theme": theme.pk, "theme_name": theme.name},
        )
    return True


def consultation_outcome_draft_save(
    *, consultation: Consultation, user: User, outcome_summary: str
) -> Consultation:
    """Keep the "you said, we did" text, to read over on the confirm page before publishing.
    Nothing is public until `consultation_publish_outcome`."""
    require(user, "consultation.publish", consultation)
    outcome_summary = (outcome_summary or "").strip()
    with transaction.atomic():
        consultation = _locked(consultation)
        _refuse_unless_publishable(consultation)
        if not outcome_summary:
            raise OutcomeError(
                "Write what you heard and what you will do about it before publishing.",
                field="outcome_summary",
            )
        if consultation.outcome_summary == outcome_summary:
            return consultation
        consultation.outcome_summary = outcome_summary
        consultation.updated_at = timezone.now()
        consultation.save(update_fields=["outcome_summary", "updated_at"])
        audit_log(
            action="consultations.outcome.drafted",
            actor=user,
            target=consultation,
            data={"characters": len(outcome_summary)},
        )
    return consultation


def _refuse_unless_publishable(consultation: Consultation) -> None:
    if consultation.status == Status.PUBLISHED:
        raise OutcomeError("The outcome has already been published.")
    if consultation.status == Status.CLOSED:
        raise OutcomeError("Start the analysis before publishing the outcome.")
    if consultation.status != Status.ANALYSING:
        raise OutcomeError(
            "The outcome can be published only after the consultation has closed and its "
            "analysis has started."
        )


@dataclass(frozen=True)
class TaggedMatching:
    matched: int  # answers that match the search
    tagged: int  # of those, how many were tagged now (the rest had the theme already)


def answers_tag_matching(
    *,
    consultation: Consultation,
    theme: Theme,
    user: User,
    search: str = "",
    question_id: int | None = None,
    theme_id: int | None = None,
) -> TaggedMatching:
    """Tag every written answer that matches the answers page's search (the same selector, so
    the same answers) with a theme, in one transaction and one audit event. Answers that have
    the theme already are left as they are, so doing it again changes nothing."""
    require(user, "consultation.analyse", consultation)
    if theme.consultation_id != consultation.pk:
        raise ThemeError("That theme belongs to another consultation.")
    search = " ".join((search or "").split())
    if not (search or question_id or theme_id):
        # Every written answer at once is almost never meant: a search narrows it first.
        raise ThemeError(
            "Search the answers, or choose a question or a theme, before tagging every answer "
            "that matches."
        )
    with transaction.atomic():
        consultation = _locked(consultation)
        _refuse_unless_analysing(consultation)
        matching = free_text_answers(
            consultation=consultation, search=search, question_id=question_id, theme_id=theme_id
        )
        matched = matching.count()
        untagged = list(
            matching.exclude(pk__in=AnswerTheme.objects.filter(theme=theme).values("answer_id"))
            .order_by()
            .values_list("pk", flat=True)
        )
        # ignore_conflicts: a tag another admin added a moment ago is not an error.
        AnswerTheme.objects.bulk_create(
            [AnswerTheme(answer_id=answer_id, theme=theme) for answer_id in untagged],
            batch_size=1000,
            ignore_conflicts=True,
        )
        if untagged:
            audit_log(
                action="consultations.answers.tagged",
                actor=user,
                target=theme,
                data={
                    "consultation": consultation.pk,
                    "theme": theme.pk,
                    "theme_name": theme.name,
                    "search": search,
                    "question": question_id,
                    "with_theme": theme_id,
                    "matched": matched,
                    "tagged": len(untagged),
                },
            )
    return TaggedMatching(matched=matched, tagged=len(untagged))


def consultation_publish_outcome(
    *, consultation: Consultation, user: User, outcome_summary: str
) -> Consultation:
    """Analysing to published: the outcome page goes up with the suppressed results and the
    association's "you said, we did", and everyone who asked is emailed once."""
    require(user, "consultation.publish", consultation)
    outcome_summary = (outcome_summary or "").strip()
    with transaction.atomic():
        consultation = _locked(consultation)
        _refuse_unless_publishable(consultation)
        if not outcome_summary:
            raise OutcomeError(
                "Write what you heard and what you will do about it before publishing.",
                field="outcome_summary",
            )
        now = timezone.now()
        old = consultation.status
        consultation.status = Status.PUBLISHED
        consultation.outcome_summary = outcome_summary
        consultation.outcome_published_at = now
        consultation.updated_at = now
        consultation.save(
            update_fields=["status", "outcome_summary", "outcome_published_at", "updated_at"]
        )
        subscribers = OutcomeSubscription.objects.filter(
            consultation=consultation, notified_at__isnull=True
        ).count()
        audit_log(
            action="consultations.consultation.published",
            actor=user,
            target=consultation,
            old_status=old,
            new_status=Status.PUBLISHED,
            data={"subscribers_to_tell": subscribers},
        )
        consultation_id = consultation.pk
        transaction.on_commit(
            lambda: outcome_subscribers_notify(
                consultation=Consultation.objects.get(pk=consultation_id)
            )
        )
    return consultation


def outcome_subscribers_notify(*, consultation: Consultation) -> int:
    """Email everyone who asked and has not been told yet; how many were emailed.

    Safe to run again: each subscription is marked as told in the same transaction that
    queues its email, and the email goes only once that commits, so nobody hears twice."""
    if consultation.status != Status.PUBLISHED:
        return 0
    url = settings.SITE_URL.rstrip("/") + reverse("consultations:outcome", args=[consultation.slug])
    with transaction.atomic():
        waiting = list(
            OutcomeSubscription.objects.select_for_update(skip_locked=True)
            .filter(consultation=consultation, notified_at__isnull=True)
            .order_by("pk")
        )
        for subscription in waiting:
            email_from_template(
                to=[subscription.email],
                template="consultation_outcome_published",
                context={"consultation": consultation, "outcome_url": url},
            )
        OutcomeSubscription.objects.filter(pk__in=[s.pk for s in waiting]).update(
            notified_at=timezone.now()
        )
    return len(waiting)
