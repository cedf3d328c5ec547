"""Reading the quizzes: the published words people take (kept per process, since a
published version never changes), a person's own saved results and shares, what an employer
is shown, and the association's figures with small numbers suppressed."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404

from accounts.models import Organisation, User
from accounts.permissions import can
from careers.models import Quiz, QuizCompletion, QuizResult, QuizShare, QuizVersion
from careers.quizzes_content import VALUES, Content, content_parse
from consultations.analysis.suppression import SUPPRESSION_THRESHOLD
from core.suppression import suppress
from jobs.models import Application

# Which version of a quiz is current, kept in the shared cache so that every process sees a
# newly published version at once; the words themselves are kept per process by version id.
CURRENT_KEY = "careers:quiz-current:{slug}"
CURRENT_SECONDS = 3600


@dataclass(frozen=True)
class QuizPage:
    """A published version, as the pages read it."""

    slug: str
    kind: str
    version_id: int
    key: tuple[int, str]
    number: int
    title: str
    written_with: str
    content: Content

    @property
    def scenarios(self) -> bool:
        return self.kind == Quiz.Kind.SCENARIOS

    @property
    def question_count(self) -> int:
        return len(self.content.questions)


# Keyed by the version's id and when it was published, so that a database rebuilt with the
# same ids (a restore, a flushed test database) can never show another version's words.
_PAGES: dict[tuple[int, str], QuizPage] = {}


def _key(version: QuizVersion) -> tuple[int, str]:
    return (version.pk, version.published_at.isoformat() if version.published_at else "")


def _page(version: QuizVersion) -> QuizPage:
    return QuizPage(
        slug=version.quiz.slug,
        kind=version.quiz.kind,
        version_id=version.pk,
        key=_key(version),
        number=version.number,
        title=version.title,
        written_with=version.written_with,
        content=content_parse(version.content, scenarios=version.quiz.kind == Quiz.Kind.SCENARIOS),
    )


def quiz_version_page(version: QuizVersion) -> QuizPage:
    """A published version's words, parsed once per process."""
    if version.status != QuizVersion.Status.PUBLISHED:
        return _page(version)
    key = _key(version)
    page = _PAGES.get(key)
    if page is None:
        page = _PAGES[key] = _page(version)
    return page


def quiz_version_page_by_key(key) -> QuizPage:
    """The published version a page or a session names by its key, read from the database
    once per process; a key that names no published version is not found."""
    key = (int(key[0]), str(key[1]))
    page = _PAGES.get(key)
    if page is None:
        version = (
            QuizVersion.objects.select_related("quiz")
            .filter(pk=key[0], status=QuizVersion.Status.PUBLISHED)
            .first()
        )
        if version is None or _key(version) != key:
            raise Http404
        page = _PAGES[key] = _page(version)
    return page


def quiz_version_model(version_id: int) -> QuizVersion:
    """The published version row behind a page, for a service to record against."""
    version = QuizVersion.objects.select_related("quiz").filter(pk=version_id).first()
    if version is None:
        raise Http404
    return version


def quiz_current(slug: str) -> QuizPage:
    """The version of a quiz people take now: its newest published one."""
    cache_key = CURRENT_KEY.format(slug=slug)
    key = cache.get(cache_key)
    if key is None:
        version = (
            QuizVersion.objects.select_related("quiz")
            .filter(quiz__slug=slug, status=QuizVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )
        if version is None:
            raise Http404
        cache.set(cache_key, _key(version), CURRENT_SECONDS)
        return quiz_version_page(version)
    return quiz_version_page_by_key(key)


def quiz_current_forget(slug: str) -> None:
    cache.delete(CURRENT_KEY.format(slug=slug))


def quizzes_published() -> list[QuizPage]:
    slugs = Quiz.objects.filter(versions__status=QuizVersion.Status.PUBLISHED).distinct()
    return [quiz_current(slug) for slug in slugs.values_list("slug", flat=True)]


# --- A person's own results and shares --------------------------------------------------------


@dataclass(frozen=True)
class Reflection:
    question: object
    option: object


def reflections(page: QuizPage, answers: dict) -> list[Reflection]:
    """Each question with the option chosen, in the quiz's order; unanswered ones left out."""
    found = []
    for question in page.content.questions:
        option = question.option(str(answers.get(question.key, "")))
        if option is not None:
            found.append(Reflection(question=question, option=option))
    return found


def strengths(page: QuizPage, answers: dict) -> list[dict]:
    """For a scenarios quiz: the values the person reflected on, each with what to talk about
    at interview. A list of strengths, never a score."""
    if not page.scenarios:
        return []
    by_value: dict[str, dict] = {}
    for reflection in reflections(page, answers):
        value = reflection.question.value
        name, description = VALUES[value]
        entry = by_value.setdefault(
            value, {"name": name, "description": description, "prompts": []}
        )
        entry["prompts"].append(reflection.question.interview)
    return [by_value[value] for value in VALUES if value in by_value]


def quiz_results_of(user: User) -> list[QuizResult]:
    return list(QuizResult.objects.filter(user=user).select_related("version__quiz"))


def quiz_result_get(*, user: User, pk: int) -> QuizResult:
    """One of the person's own saved results; anyone else's is not found."""
    result = QuizResult.objects.select_related("version__quiz").filter(pk=pk, user=user).first()
    if result is None:
        raise Http404
    return result


def quiz_result_shares(result: QuizResult) -> list[QuizShare]:
    return list(
        result.shares.select_related("application__vacancy__organisation").order_by("shared_at")
    )


def quiz_share_get(*, user: User, pk: int) -> QuizShare:
    share = QuizShare.objects.select_related("result").filter(pk=pk, result__user=user).first()
    if share is None:
        raise Http404
    return share


def applications_to_share_with(user: User) -> list[Application]:
    """The person's own applications that are still open: the only ones they may share with."""
    return list(
        Application.objects.filter(applicant=user)
        .exclude(stage__in=Application.FINAL)
        .select_related("vacancy__organisation")
    )


def quiz_shares_for_employer(*, application: Application, user: User) -> list[dict]:
    """What the employer of an application is shown: each quiz the applicant shared, as
    "completed", with the reflections they chose. Nothing for anyone who may not manage it."""
    if not can(user, "application.manage", application):
        return []
    shown = []
    shares = QuizShare.objects.filter(application=application).select_related(
        "result__version__quiz"
    )
    for share in shares:
        page = quiz_version_page(share.result.version)
        chosen = set(share.question_keys)
        shown.append(
            {
                "title": page.title,
                "completed_on": share.result.saved_at,
                "reflections": [
                    reflection
                    for reflection in reflections(page, share.result.answers)
                    if reflection.question.key in chosen
                ],
            }
        )
    return shown


# --- The association's side ---------------------------------------------------------------------


def quizzes_managed(user: User) -> list[Quiz]:
    """The quizzes of the associations the person is a member of."""
    quizzes = list(
        Quiz.objects.filter(
            organisation__kind=Organisation.Kind.ASSOCIATION,
            organisation__memberships__user=user,
        )
        .select_related("organisation")
        .distinct()
    )
    if (
        not quizzes
        and not user.memberships.filter(organisation__kind=Organisation.Kind.ASSOCIATION).exists()
    ):
        raise PermissionDenied
    return quizzes


def quiz_to_manage(*, user: User, slug: str) -> Quiz:
    quiz = Quiz.objects.select_related("organisation").filter(slug=slug).first()
    if quiz is None:
        raise Http404
    if not can(user, "quiz.manage", quiz):
        raise PermissionDenied
    return quiz


def quiz_version_to_manage(*, user: User, slug: str, number: int) -> QuizVersion:
    quiz = quiz_to_manage(user=user, slug=slug)
    version = quiz.versions.filter(number=number).first()
    if version is None:
        raise Http404
    version.quiz = quiz
    return version


@dataclass(frozen=True)
class FiguresRow:
    label: str
    completions: int | str
    viewed_jobs: int | str
    applied: int | str


def quiz_figures(*, user: User, quiz: Quiz) -> list[FiguresRow]:
    """Completions of each published version and where people went next, with every count
    below the consultations' threshold withheld, and enough others that none can be worked
    out from the totals (core/suppression.py)."""
    if not can(user, "quiz.figures", quiz):
        raise PermissionDenied
    versions = list(quiz.versions.filter(status=QuizVersion.Status.PUBLISHED).order_by("number"))
    counts = {
        version.pk: {"completions": 0, "viewed_jobs": 0, "applied": 0} for version in versions
    }
    for row in (
        QuizCompletion.objects.filter(version__quiz=quiz)
        .values("version_id")
        .annotate(
            completions=Count("pk"),
            viewed_jobs=Count("pk", filter=Q(viewed_jobs=True)),
            applied=Count("pk", filter=Q(applied=True)),
        )
        .order_by()
    ):
        counts.setdefault(row.pop("version_id"), {}).update(row)
    keys = [*[version.pk for version in versions], "all"]
    counts["all"] = {
        column: sum(counts[version.pk][column] for version in versions)
        for column in ("completions", "viewed_jobs", "applied")
    }
    values: dict = {}
    lines: list[list] = []
    for key in keys:
        row = counts[key]
        for column in ("completions", "viewed_jobs", "applied"):
            values[(key, column)] = row[column]
        # Those who did not go on are cells too, so that "completed minus viewed" cannot
        # uncover a withheld count.
        values[(key, "not_viewed")] = row["completions"] - row["viewed_jobs"]
        values[(key, "not_applied")] = row["completions"] - row["applied"]
        lines.append([(key, "viewed_jobs"), (key, "not_viewed"), (key, "completions")])
        lines.append([(key, "applied"), (key, "not_applied"), (key, "completions")])
    for column in ("completions", "viewed_jobs", "applied", "not_viewed", "not_applied"):
        lines.append([(key, column) for key in keys])
    withheld = suppress(values, lines, threshold=SUPPRESSION_THRESHOLD)
    labels = {version.pk: f"Version {version.number}" for version in versions}
    labels["all"] = "All versions"
    return [
        FiguresRow(
            label=labels[key],
            **{
                column: withheld.get((key, column), values[(key, column)])
                for column in ("completions", "viewed_jobs", "applied")
            },
        )
        for key in keys
    ]
