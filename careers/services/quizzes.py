"""Writing the quizzes and keeping what people chose to keep of them.

Associations write a quiz as versions: a draft is edited, then published, and a published
version is never changed again. People take a quiz anonymously; a completion is counted with
nobody's name on it. A signed-in person may save their result, delete it, and share chosen
reflections with the employer of one of their own open applications, and stop sharing.
Every change is audited as `careers.quiz_<thing>.<verb>`."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can
from careers.models import Quiz, QuizCompletion, QuizResult, QuizShare, QuizVersion
from careers.quizzes_content import content_parse
from core.audit import audit_log
from core.errors import ApplicationError
from core.ratelimit import RateLimit
from jobs.models import Application

Status = QuizVersion.Status
MAX_WRITTEN_WITH = 300
# Completions counted from one address in an hour: a class taking the quiz together behind one
# address stays within it; a script finishing it over and over makes no more rows than this.
COMPLETIONS_PER_ADDRESS_PER_HOUR = 60


class QuizError(ApplicationError):
    pass


def _require_manager(user: User, quiz: Quiz) -> None:
    if not can(user, "quiz.manage", quiz):
        raise PermissionDenied


def _clean_words(*, title: str, written_with: str) -> tuple[str, str]:
    title = (title or "").strip()
    written_with = (written_with or "").strip()
    if not title:
        raise QuizError("Give the quiz a title.", field="title")
    if not written_with:
        # The credit is part of the content: people who draw on care helped write the words,
        # and the page says so.
        raise QuizError("Say who the words were written with.", field="written_with")
    if len(written_with) > MAX_WRITTEN_WITH:
        raise QuizError(
            f"Say who it was written with in {MAX_WRITTEN_WITH} characters or fewer.",
            field="written_with",
        )
    return title, written_with


def quiz_version_draft_start(
    *,
    quiz: Quiz,
    user: User,
    title: str | None = None,
    content: dict | None = None,
    written_with: str | None = None,
) -> QuizVersion:
    """A new draft of a quiz: a copy of its newest version unless words are given."""
    _require_manager(user, quiz)
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if quiz.versions.filter(status=Status.DRAFT).exists():
            raise QuizError("This quiz already has a draft. Edit that one.")
        newest = quiz.versions.order_by("-number").first()
        if newest is None and content is None:
            raise QuizError("The first version of a quiz needs its words.")
        title, written_with = _clean_words(
            title=title if title is not None else newest.title,
            written_with=written_with if written_with is not None else newest.written_with,
        )
        content = content if content is not None else newest.content
        content_parse(content, scenarios=quiz.kind == Quiz.Kind.SCENARIOS)
        number = (quiz.versions.aggregate(Max("number"))["number__max"] or 0) + 1
        version = QuizVersion.objects.create(
            quiz=quiz,
            number=number,
            title=title,
            content=content,
            written_with=written_with,
            created_by=user,
        )
        audit_log(
            action="careers.quiz_version.draft_started",
            actor=user,
            target=version,
            new_status=Status.DRAFT,
            data={"quiz": quiz.slug, "number": number},
        )
    return version


def _locked_version(version: QuizVersion) -> QuizVersion:
    return QuizVersion.objects.select_for_update().select_related("quiz").get(pk=version.pk)


def quiz_version_draft_update(
    *, version: QuizVersion, user: User, title: str, content: dict, written_with: str
) -> QuizVersion:
    """Change a draft's words. A published version is never changed."""
    _require_manager(user, version.quiz)
    with transaction.atomic():
        version = _locked_version(version)
        if version.status != Status.DRAFT:
            raise QuizError(
                "A published version is never changed: start a new draft to change the words."
            )
        title, written_with = _clean_words(title=title, written_with=written_with)
        content_parse(content, scenarios=version.quiz.kind == Quiz.Kind.SCENARIOS)
        version.title, version.content, version.written_with = title, content, written_with
        version.save(update_fields=["title", "content", "written_with"])
        audit_log(
            action="careers.quiz_version.draft_changed",
            actor=user,
            target=version,
            data={"quiz": version.quiz.slug, "number": version.number},
        )
    return version


def quiz_version_publish(*, version: QuizVersion, user: User) -> QuizVersion:
    """Make a draft the version people take. Results of earlier versions keep theirs."""
    from careers.selectors.quizzes import quiz_current_forget

    _require_manager(user, version.quiz)
    with transaction.atomic():
        version = _locked_version(version)
        if version.status != Status.DRAFT:
            raise QuizError("This version is already published.")
        content_parse(version.content, scenarios=version.quiz.kind == Quiz.Kind.SCENARIOS)
        version.status = Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        audit_log(
            action="careers.quiz_version.published",
            actor=user,
            target=version,
            old_status=Status.DRAFT,
            new_status=Status.PUBLISHED,
            data={"quiz": version.quiz.slug, "number": version.number},
        )
        # Forgotten again once committed: a page read in between may have kept the old one.
        quiz_current_forget(version.quiz.slug)
        transaction.on_commit(lambda: quiz_current_forget(version.quiz.slug))
    return version


def _completions_limit() -> RateLimit:
    return RateLimit(
        "careers-quiz-completions", limit=COMPLETIONS_PER_ADDRESS_PER_HOUR, period=3600, slices=6
    )


def quiz_completion_record(
    *, version: QuizVersion, client_ip: str | None = None
) -> QuizCompletion | None:
    """Count that someone finished a quiz. It names nobody, so it is not audited as a person's
    act; the association's figures are the record. None, and nothing counted, beyond
    COMPLETIONS_PER_ADDRESS_PER_HOUR from the address: the person still sees their result."""
    if version.status != Status.PUBLISHED:
        raise QuizError("This version of the quiz is not published.")
    if not _completions_limit().hit(f"ip:{client_ip or 'unknown'}").allowed:
        return None
    return QuizCompletion.objects.create(version=version)


def quiz_completions_went_on(*, completion_ids: list[int], viewed_jobs: bool, applied: bool) -> int:
    """Set where people went after a quiz, for the figures: flags only, never who."""
    changed = 0
    if viewed_jobs:
        changed += QuizCompletion.objects.filter(pk__in=completion_ids, viewed_jobs=False).update(
            viewed_jobs=True
        )
    if applied:
        changed += QuizCompletion.objects.filter(pk__in=completion_ids, applied=False).update(
            applied=True, viewed_jobs=True
        )
    return changed


def _check_answers(version: QuizVersion, answers: dict) -> dict:
    content = content_parse(version.content, scenarios=version.quiz.kind == Quiz.Kind.SCENARIOS)
    clean = {}
    for question in content.questions:
        option = question.option(str(answers.get(question.key, "")))
        if option is None:
            raise QuizError("Answer every question before you save the result.")
        clean[question.key] = option.key
    return clean


def quiz_result_save(*, version: QuizVersion, user: User, answers: dict) -> QuizResult:
    """Keep a finished quiz's answers in the person's account, with the version they took."""
    if version.status != Status.PUBLISHED:
        raise QuizError("This version of the quiz is not published.")
    answers = _check_answers(version, answers)
    with transaction.atomic():
        result = QuizResult.objects.create(version=version, user=user, answers=answers)
        audit_log(
            action="careers.quiz_result.saved",
            actor=user,
            target=result,
            data={"quiz": version.quiz.slug, "number": version.number},
        )
    return result


def _require_owner(result: QuizResult, user: User) -> None:
    if result.user_id != user.pk:
        raise PermissionDenied


def quiz_result_delete(*, result: QuizResult, user: User) -> None:
    """Delete a saved result, and with it every share of its reflections."""
    _require_owner(result, user)
    with transaction.atomic():
        result = QuizResult.objects.select_for_update().get(pk=result.pk)
        shares = list(result.shares.values_list("application_id", flat=True))
        audit_log(
            action="careers.quiz_result.deleted",
            actor=user,
            target=result,
            data={"stopped_sharing_with_applications": shares},
        )
        result.delete()


def quiz_reflections_share(
    *, result: QuizResult, user: User, application: Application, question_keys: list[str]
) -> QuizShare:
    """Show chosen reflections of a saved result to the employer of one of the person's own
    open applications. Sharing again with the same application replaces the choice."""
    _require_owner(result, user)
    if application.applicant_id != user.pk:
        raise PermissionDenied
    if not application.is_open:
        raise QuizError("That application has ended, so there is no one to share with.")
    content = content_parse(
        result.version.content, scenarios=result.version.quiz.kind == Quiz.Kind.SCENARIOS
    )
    chosen = [q.key for q in content.questions if q.key in set(question_keys)]
    if not chosen:
        raise QuizError("Choose at least one reflection to share.", field="question_keys")
    with transaction.atomic():
        share, created = QuizShare.objects.select_for_update().update_or_create(
            result=result,
            application=application,
            defaults={"question_keys": chosen, "shared_at": timezone.now()},
        )
        audit_log(
            action="careers.quiz_share.shared" if created else "careers.quiz_share.changed",
            actor=user,
            target=share,
            data={"application": application.reference, "questions": chosen},
        )
    return share


def quiz_share_stop(*, share: QuizShare, user: User) -> None:
    """The employer no longer sees these reflections, from the next page it opens."""
    _require_owner(share.result, user)
    with transaction.atomic():
        share = QuizShare.objects.select_for_update().select_related("application").get(pk=share.pk)
        audit_log(
            action="careers.quiz_share.stopped",
            actor=user,
            target=share,
            data={"application": share.application.reference},
        )
        share.delete()
