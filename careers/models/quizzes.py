"""The quizzes part's models: two quizzes for people considering care work, each edited as
versions by an association, and what people did with them.

Nothing here holds a score: a quiz has no right answers, only reflections (issue 21)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation

__all__ = ["Quiz", "QuizCompletion", "QuizResult", "QuizShare", "QuizVersion"]


class Quiz(models.Model):
    """One of the quizzes at /careers/, looked after by one association, whose members write
    its versions. `slug` is its address: /careers/quizzes/<slug>/."""

    class Kind(models.TextChoices):
        # "Is care for me?": a realistic preview of the work, question by question.
        PREVIEW = "preview", "A realistic preview of the work"
        # "What would you do?": scenarios, each on one of the Care Workforce Pathway's values.
        SCENARIOS = "scenarios", "Scenarios on the values of care"

    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="quizzes",
        limit_choices_to={"kind": Organisation.Kind.ASSOCIATION},
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.slug


class QuizVersion(models.Model):
    """One version of a quiz's words. A draft is edited; publishing makes it the version people
    take, and it is never changed again: the next change is a new draft (careers/quizzes_content.py
    says what `content` holds).

    draft: being written; only the association sees it.
    published: live, or was; the newest published version is the one people take.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=120)
    content = models.JSONField(default=dict)
    # The people and groups the words were written with, said on every page of the quiz.
    written_with = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["quiz", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "number"], name="one_quiz_version_number"),
            # One draft at a time, so two people editing cannot fork the words.
            models.UniqueConstraint(
                fields=["quiz"],
                condition=models.Q(status="draft"),
                name="one_draft_per_quiz",
            ),
        ]

    def __str__(self):
        return f"{self.quiz.slug} version {self.number}"


class QuizCompletion(models.Model):
    """That someone finished a version of a quiz, and where they went next, counted for the
    association's figures. It names nobody: no user, no answers and no session key; the
    person's own session holds its id for a while, so that opening /jobs/ or applying for a
    job afterwards can set its flags (careers/quizzes_middleware.py)."""

    version = models.ForeignKey(QuizVersion, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(default=timezone.localdate)
    viewed_jobs = models.BooleanField(default=False)
    applied = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["version", "completed_on"])]

    def __str__(self):
        return f"{self.version} completed on {self.completed_on}"


class QuizResult(models.Model):
    """A person's answers to one version of a quiz, saved to their account because they chose
    to. Only they see it, and they may delete it."""

    version = models.ForeignKey(QuizVersion, on_delete=models.PROTECT, related_name="results")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_results"
    )
    # {question key: option key}, in the order the questions were asked.
    answers = models.JSONField(default=dict)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-saved_at", "-id"]

    def __str__(self):
        return f"{self.version} result {self.pk}"


class QuizShare(models.Model):
    """Reflections a person chose from a saved result to show the employer of one of their own
    applications. The employer sees "completed" and these reflections, never a number.
    Stopping the share deletes the row."""

    result = models.ForeignKey(QuizResult, on_delete=models.CASCADE, related_name="shares")
    application = models.ForeignKey(
        "jobs.Application", on_delete=models.CASCADE, related_name="quiz_shares"
    )
    # The keys of the questions whose reflections are shown, in the quiz's order.
    question_keys = models.JSONField(default=list)
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["result", "application"], name="one_quiz_share_per_application"
            )
        ]

    def __str__(self):
        return f"{self.result} shared with application {self.application_id}"
