"""Sector consultations: an association asks the sector questions, people answer, the
association publishes what it heard and what it will do ("you said, we did").

Who answered is kept out of the analysis tables: a `Response` has no user and no email. While
a consultation is open, a signed-in person is recognised only by a keyed hash of their user id,
so they answer once; the hashes are erased when it closes (docs/decisions/0018).
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from core.encryption import EncryptedTextField
from core.references import reference_new

SUMMARY_MAX_WORDS = 100
DEFAULT_ANONYMOUS_ANSWERS_PER_HOUR = 20


def validate_summary_length(value: str) -> None:
    words = len(value.split())
    if words > SUMMARY_MAX_WORDS:
        raise ValidationError(
            f"The summary must be {SUMMARY_MAX_WORDS} words or fewer. It has {words}."
        )


def _new_salt() -> str:
    return secrets.token_hex(32)


class Consultation(models.Model):
    """A consultation run by an association.

    draft: being written, nobody can see it; scheduled: ready, with fixed questions, waiting for
    `opens_at`; open: taking answers (from `opens_at` until just before `closes_at`); closed:
    no more answers, results not yet looked at; analysing: the association is reading and
    tagging the answers; published: the outcome ("you said, we did") is public.

    Opening and closing follow the clock without anybody acting: `effective_status()` reads the
    clock, and `manage.py advance_consultations` stores what it says. `closes_at` is the first
    instant at which the consultation is closed: an answer submitted at `closes_at` exactly is
    refused, one at the microsecond before is accepted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ANALYSING = "analysing", "Analysing"
        PUBLISHED = "published", "Outcome published"

    TRANSITIONS = {
        Status.DRAFT: {Status.SCHEDULED},
        # Back to draft to change the questions before anybody could answer.
        Status.SCHEDULED: {Status.DRAFT, Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.ANALYSING},
        Status.ANALYSING: {Status.PUBLISHED},
        Status.PUBLISHED: set(),
    }

    class Audience(models.TextChoices):
        ANYONE = "anyone", "Anyone"
        REGISTERED_WORKERS = "registered_workers", "Registered care workers only"
        ORGANISATION_MEMBERS = "organisation_members", "Members of chosen organisations"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consultations",
        limit_choices_to={"kind": Organisation.Kind.ASSOCIATION},
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(validators=[validate_summary_length])
    body = models.TextField(blank=True)
    privacy_notice = models.TextField()
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    audience = models.CharField(max_length=32, choices=Audience.choices, default=Audience.ANYONE)
    audience_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="consultations_open_to"
    )
    allow_anonymous = models.BooleanField(
        default=True,
        help_text="Only for the audience 'anyone': people may answer without signing in.",
    )
    allow_edit_until_close = models.BooleanField(default=False)
    # Past this many answers in any hour from one connection (people not signed in), answers
    # are kept and flagged `many_from_one_connection`, not refused: a care home's staff on its
    # one Wi-Fi, or a day centre's visitors, answer together (issue 18: 11).
    anonymous_answers_per_hour = models.PositiveIntegerField(
        default=DEFAULT_ANONYMOUS_ANSWERS_PER_HOUR,
        db_default=DEFAULT_ANONYMOUS_ANSWERS_PER_HOUR,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    # Whether the results, the exports and the published outcome count the flagged answers.
    # Counted unless the association decides otherwise: they are most often real people who
    # share a connection, the very people a limit would silence.
    count_many_from_one_connection = models.BooleanField(default=True, db_default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    # With CONSULTATION_RESPONDENT_KEY, which is in no database, makes this consultation's own
    # key for its respondent hashes: the same user gets unrelated hashes in two consultations.
    salt = models.CharField(max_length=64, default=_new_salt, editable=False)
    outcome_summary = models.TextField(blank=True, help_text="You said, we did.")
    outcome_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [
            models.Index(fields=["status", "opens_at"]),
            models.Index(fields=["status", "closes_at"]),
        ]

    def __str__(self):
        return self.title

    def effective_status(self, now=None) -> str:
        """The status the clock says, whether or not the row has caught up yet."""
        now = now or timezone.now()
        status = self.status
        if status == self.Status.SCHEDULED and self.opens_at and now >= self.opens_at:
            status = self.Status.OPEN
        if status == self.Status.OPEN and self.closes_at and now >= self.closes_at:
            status = self.Status.CLOSED
        return status

    def is_open(self, now=None) -> bool:
        return self.effective_status(now) == self.Status.OPEN

    def get_effective_status_display(self, now=None) -> str:
        """The clock's status as people read it: every page shows this, never the stored
        status, so no two lists disagree in the minute before `advance_consultations` runs."""
        return self.Status(self.effective_status(now)).label


class Page(models.Model):
    """One page of questions, shown to the respondent as one step."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="pages")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """A question on a page. `show_if_question` and `show_if_options` make it conditional: it
    is shown (and may be required) only when the earlier answer includes any of the options."""

    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", "Choose one"
        MULTIPLE_CHOICE = "multiple_choice", "Choose any"
        LIKERT = "likert", "Agree or disagree scale"
        SHORT_TEXT = "short_text", "Short text"
        LONG_TEXT = "long_text", "Long text"

    CHOICE_KINDS = {Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.LIKERT}
    TEXT_KINDS = {Kind.SHORT_TEXT, Kind.LONG_TEXT}

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="questions")
    # Denormalised from the page, so answers and questions filter by consultation directly.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    max_choices = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For 'choose any': the most a person may choose."
    )
    max_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="For free text: the most characters allowed."
    )
    has_other = models.BooleanField(default=False, help_text='Add "Other, please specify".')
    show_if_question = models.ForeignKey(
        # RESTRICT, not PROTECT: deleting a whole page (or consultation) with both questions in
        # it is fine; deleting only the question another one depends on is refused.
        "self",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="dependants",
    )
    show_if_options = models.ManyToManyField("Option", blank=True, related_name="shows_questions")
    is_respondent_type = models.BooleanField(
        default=False, help_text='The built-in "about you" question.'
    )

    class Meta:
        ordering = ["page__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation"],
                condition=models.Q(is_respondent_type=True),
                name="one_respondent_type_question",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE_KINDS

    @property
    def is_conditional(self) -> bool:
        return self.show_if_question_id is not None


class Option(models.Model):
    """One answer a person can choose. For the respondent-type question, `value` holds the
    `Response.RespondentType` it stands for."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    value = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.label


def _new_reference() -> str:
    # Kept by this name because the migrations call it; the generator is core's, shared with
    # applications' references.
    return reference_new()


class Response(models.Model):
    """One person's submitted answers. No user and no email: while the consultation is open,
    `respondent_hash` (an HMAC of the user id under the consultation's own key) recognises a
    signed-in person without naming them. Closing erases it, and the idempotency key."""

    class RespondentType(models.TextChoices):
        CARE_WORKER = "care_worker", "A care worker"
        EMPLOYER = "employer", "An employer or manager of a care service"
        PERSON_RECEIVING_CARE = "person_receiving_care", "A person receiving care"
        FAMILY_OR_UNPAID_CARER = "family_or_unpaid_carer", "A family member or unpaid carer"
        OTHER = "other", "Someone else"

    consultation = models.ForeignKey(
        # No index of its own: the unique constraints and indexes below start with it.
        Consultation,
        on_delete=models.PROTECT,
        related_name="responses",
        db_index=False,
    )
    reference = models.CharField(max_length=12, unique=True, default=_new_reference)
    respondent_type = models.CharField(max_length=32, choices=RespondentType.choices, blank=True)
    verified = models.BooleanField(
        default=False,
        help_text="Sent by a signed-in worker whose register entry lets them practise.",
    )
    register_status = models.CharField(max_length=32, blank=True)
    # NULL, not "", for people not signed in and once the consultation has closed: the unique
    # constraint ignores NULLs, so those responses never collide with each other.
    respondent_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    idempotency_key = models.CharField(max_length=64)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Whether the reference has been emailed: once per response. Not when, nor to whom.
    receipt_sent = models.BooleanField(default=False, db_default=False)
    # Sent without signing in after the consultation's `anonymous_answers_per_hour` had come
    # from the same connection in the last hour. Only the flag: no address is stored.
    many_from_one_connection = models.BooleanField(default=False, db_default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "respondent_hash"], name="one_response_per_respondent"
            ),
            models.UniqueConstraint(
                fields=["consultation", "idempotency_key"], name="one_response_per_submission"
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "submitted_at"]),
            # The analysis: responses counted by who answered, and the median time to answer,
            # each read from the index alone at 100,000 responses.
            models.Index(
                fields=["consultation", "respondent_type", "verified"],
                name="response_counting",
            ),
            models.Index(fields=["consultation", "duration_seconds"], name="response_duration"),
        ]

    def __str__(self):
        return f"Response {self.reference}"


class Theme(models.Model):
    """A theme the association tags free-text answers with while analysing."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="one_theme_per_name")
        ]

    def __str__(self):
        return self.name


def answers_copy_from_response(answers: list["Answer"]) -> None:
    """Fill in the fields an answer copies from its response, before it is written.

    `respondent_type` and `verified` are the response's, so the results count answers without
    joining 700,000 of them to their responses. `first_for_question` marks one row per
    response and question, so counting those rows counts the people who answered a "choose
    any" question in the same pass that counts the ticks.
    """
    seen: set[tuple] = set()
    for answer in answers:
        response = answer.response
        answer.respondent_type = response.respondent_type
        answer.verified = response.verified
        key = (response.pk, answer.question_id)
        answer.first_for_question = key not in seen
        seen.add(key)


class AnswerManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        # Every way answers are written (the answering service, an edit, the demo seeder, the
        # tests) goes through here, so the copied fields cannot be forgotten.
        objs = list(objs)
        answers_copy_from_response(objs)
        return super().bulk_create(objs, *args, **kwargs)


class Answer(models.Model):
    """One row per chosen option (choice and Likert questions) or one row of text. The "Other,
    please specify" text sits in `text` with `option` empty on a choice question.

    `respondent_type` and `verified` are copies of the response's, set when the answer is
    written and never changed on their own: a response whose type changes (an edit before the
    close) has its answers deleted and written again. `first_for_question` is true on exactly
    one of a response's rows for each question it answered.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # No index of its own: every index below starts with the question.
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    option = models.ForeignKey(
        Option, null=True, blank=True, on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True)
    respondent_type = models.CharField(
        max_length=32, choices=Response.RespondentType.choices, blank=True, editable=False
    )
    verified = models.BooleanField(default=False, editable=False)
    first_for_question = models.BooleanField(default=True, editable=False)
    themes = models.ManyToManyField(
        Theme, through="AnswerTheme", blank=True, related_name="answers"
    )

    objects = AnswerManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=models.Q(first_for_question=True),
                name="one_first_answer_per_question",
            ),
        ]
        indexes = [
            # The results: every count of ticks and of people, by respondent type and verified
            # or not, is one index-only scan of this index at 100,000 responses, with no join.
            models.Index(
                fields=["question", "option", "respondent_type", "verified", "first_for_question"],
                name="answer_counting",
            ),
        ]

    def __str__(self):
        return f"Answer to {self.question_id}"

    def save(self, *args, **kwargs):
        if self._state.adding:
            answers_copy_from_response([self])
            self.first_for_question = not Answer.objects.filter(
                response_id=self.response_id, question_id=self.question_id
            ).exists()
        super().save(*args, **kwargs)


class AnswerTheme(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    tagged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "theme"], name="one_tag_per_answer_theme")
        ]
        indexes = [models.Index(fields=["theme", "answer"])]

    def __str__(self):
        return f"{self.theme_id} on answer {self.answer_id}"


class ResponseDraft(models.Model):
    """Answers saved part way, to come back to by an emailed link until the consultation
    closes. Only the SHA-256 of the link's token is stored."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="drafts")
    token_hash = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict, blank=True)
    page_reached = models.PositiveSmallIntegerField(default=1)
    # Kept only so the link can be sent again; removed with the draft.
    email = EncryptedTextField(blank=True)
    # The blind indexes (responding.recipient_index) of the addresses the link went to: one
    # email per draft and address.
    emailed_to = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"Saved answers for {self.consultation}"


class OutcomeSubscription(models.Model):
    """Someone who asked to be emailed when the outcome is published. Kept apart from the
    responses so an answer can never be tied to an address."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="outcome_subscriptions"
    )
    email = EncryptedTextField()
    # blind_index(email, purpose="consultation-outcome-email"), to refuse a second
    # subscription for the same address without decrypting them all.
    email_index = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "email_index"],
                condition=~models.Q(email_index=""),
                name="one_outcome_subscription_per_email",
            )
        ]

    def __str__(self):
        return f"Outcome subscription for {self.consultation}"
