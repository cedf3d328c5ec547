"""Consultations over the API: list them by status, read one with its questions, and submit a
whole response in one request.

Transport only. Who may see and answer, the clock, answering once, show-if, limits and the
rate limit for people not signed in are consultations.services.responding's and
consultations.answers', the same the answering pages use.

No API key may answer (required_scope None): a key speaks for an organisation, and an
organisation's system sending answers for people would make one person's answers many, or
many people's one. People answer for themselves, signed in or not. See docs/api.md.
"""

import re

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import (
    APIException,
    PermissionDenied,
    ValidationError,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import ANYONE, KEY_OR_SESSION
from api.serializers import KEY_REFUSALS, ErrorSerializer, error_example
from consultations import analysis, selectors
from consultations.answers import check_answers, is_answered, questions_for, visible_questions
from consultations.models import Consultation, Question
from consultations.services import responding as services
from consultations.services.building import completion_estimate, completion_estimates
from core.audit import current_request

SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Like pay-and-conditions-2027."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="A value you make once per response, such as a UUID: 8 to 60 letters, digits, "
    "dashes or underscores. Signed in, sending it again with the same body gives back the same "
    "response (200); with a different body, a 409. Not signed in, a key is bound to your "
    "address and your answers: the same key, body and address give back the same response "
    "(200); anything else is a new response, whoever else chose the same key.",
)
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,60}$")
# Kept apart from the answering pages' own keys, which are stored in the same column.
IDEMPOTENCY_PREFIX = "api:"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "That conflicts with what is stored."


class Refused(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "refused"


@extend_schema_serializer(component_name="ConsultationSummary")
class ConsultationSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name", help_text="Who asks.")
    # Text rather than a choice field: the schema already has a status enum of that name.
    status = serializers.CharField(
        source="effective_status",
        help_text="By the clock: one of " + ", ".join(Consultation.Status.values) + ". Open from "
        "opens_at until just before closes_at.",
    )
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(
        allow_null=True, help_text="The first instant at which answers are refused."
    )
    audience = serializers.ChoiceField(choices=Consultation.Audience.choices)
    allow_anonymous = serializers.BooleanField(
        help_text="Whether people may answer without signing in (audience 'anyone' only)."
    )
    estimated_minutes = serializers.IntegerField(
        help_text="How long answering takes, in whole minutes, as the consultation's page says "
        '("about 3 minutes"): worked out from its questions, by type (see docs/api.md).'
    )


@extend_schema_serializer(component_name="ConsultationOption")
class OptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


@extend_schema_serializer(component_name="ConsultationShowIf")
class ShowIfSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text="An earlier question's id.")
    options = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The question is asked only if the answer to that one includes any of these.",
    )


@extend_schema_serializer(component_name="ConsultationQuestion")
class QuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Answers are keyed by this id.")
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    text = serializers.CharField()
    help_text = serializers.CharField(allow_blank=True)
    required = serializers.BooleanField(help_text="Required when it is asked.")
    max_choices = serializers.IntegerField(
        allow_null=True, help_text="For multiple_choice: the most answers one may choose."
    )
    max_length = serializers.IntegerField(
        allow_null=True, help_text="For free text: the most characters."
    )
    has_other = serializers.BooleanField(
        help_text='Offers "Other, please specify": send other_text (500 characters at most).'
    )
    show_if = ShowIfSerializer(allow_null=True, help_text="Null if it is always asked.")
    options = OptionSerializer(many=True)


@extend_schema_serializer(component_name="ConsultationPage")
class PageSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 for the first page, as the pages show it.")
    title = serializers.CharField()
    questions = QuestionSerializer(many=True)


def _question(question: Question) -> dict:
    return {
        "id": question.pk,
        "kind": question.kind,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "max_choices": question.max_choices,
        "max_length": question.max_length,
        "has_other": question.has_other,
        "show_if": (
            {
                "question": question.show_if_question_id,
                "options": [option.pk for option in question.show_if_options.all()],
            }
            if question.is_conditional
            else None
        ),
        "options": [{"id": o.pk, "label": o.label} for o in question.options.all()],
    }


CONSULTATION_EXAMPLE = {
    "slug": "pay-and-conditions-2027",
    "title": "Pay and conditions in 2027",
    "summary": "Tell us what would make the most difference to your working life.",
    "organisation": "Care Workers' Association",
    "status": "open",
    "opens_at": "2026-11-01T09:00:00Z",
    "closes_at": "2027-01-31T17:00:00Z",
    "audience": "anyone",
    "allow_anonymous": True,
    "estimated_minutes": 4,
}

DETAIL_EXAMPLE = {
    **CONSULTATION_EXAMPLE,
    "body": "",
    "privacy_notice": "We keep your answers apart from who you are.",
    "allow_edit_until_close": False,
    "pages": [
        {
            "number": 1,
            "title": "About you",
            "questions": [
                {
                    "id": 12,
                    "kind": "single_choice",
                    "text": "Which best describes you?",
                    "help_text": "",
                    "required": True,
                    "max_choices": None,
                    "max_length": None,
                    "has_other": True,
                    "show_if": None,
                    "options": [
                        {"id": 40, "label": "A care worker"},
                        {"id": 41, "label": "An employer"},
                    ],
                },
                {
                    "id": 13,
                    "kind": "long_text",
                    "text": "What would help you most at work?",
                    "help_text": "",
                    "required": False,
                    "max_choices": None,
                    "max_length": 2000,
                    "has_other": False,
                    "show_if": {"question": 12, "options": [40]},
                    "options": [],
                },
            ],
        }
    ],
}


STATUS_FILTER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(selectors.LISTED_STATUSES),
    default="open",
    description="By the clock: `open` (the default), `scheduled` (not open yet), `closed`, "
    "`analysing`, `published` (the outcome is out), or `all` (every one that is not a draft). "
    "`draft` lists the drafts of the associations you belong to (signed in), nobody else's. "
    "Any other value is a 400.",
)


class ConsultationListApi(APIView):
    """The consultations with one status, open ones unless asked otherwise."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    required_scope = None

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=selectors.LISTED_STATUSES,
            required=False,
            default="open",
            error_messages={
                "invalid_choice": "There is no status “{input}”. Use one of: "
                + ", ".join(selectors.LISTED_STATUSES)
                + "."
            },
        )

    @extend_schema_serializer(component_name="ConsultationList")
    class OutputSerializer(serializers.Serializer):
        results = ConsultationSummarySerializer(many=True)

    @extend_schema(
        operation_id="consultations_list",
        summary="Consultations, by status",
        description="The consultations with the status asked for (`?status=`, by the clock), "
        "open ones when none is asked for, the one closing latest first. Those open to anyone "
        "are listed to anyone; one limited to registered workers, or to members of chosen "
        "organisations, is listed only to a signed-in person it is open to. Drafts are listed "
        "only with `?status=draft`, and only to people in the association writing them. Each "
        "comes with `estimated_minutes`. API keys are refused (403): people answer for "
        "themselves.",
        parameters=[STATUS_FILTER],
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(ErrorSerializer, description="An unknown status."),
            **KEY_REFUSALS,
        },
        examples=[
            OpenApiExample(
                "Open consultations", value={"results": [CONSULTATION_EXAMPLE]}, response_only=True
            ),
            error_example(
                "Unknown status",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={
                    "status": [
                        "There is no status “finished”. Use one of: "
                        + ", ".join(selectors.LISTED_STATUSES)
                        + "."
                    ]
                },
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        # `?status=` with no value is the default, as leaving it out is.
        filters = self.FilterSerializer(
            data={"status": request.query_params.get("status") or "open"}
        )
        filters.is_valid(raise_exception=True)
        consultations = selectors.consultations_listed_for(
            user=request.user, status=filters.validated_data["status"]
        )
        estimates = completion_estimates(consultations=consultations)
        for consultation in consultations:
            consultation.estimated_minutes = estimates[consultation.pk].minutes
        return Response(self.OutputSerializer({"results": consultations}).data)


class ConsultationDetailApi(APIView):
    """One consultation with its pages, questions, options and show-if conditions."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    required_scope = None

    @extend_schema_serializer(component_name="Consultation")
    class OutputSerializer(ConsultationSummarySerializer):
        body = serializers.CharField(allow_blank=True)
        privacy_notice = serializers.CharField()
        allow_edit_until_close = serializers.BooleanField(
            help_text="A signed-in person may send new answers, replacing theirs, until the close."
        )
        pages = PageSerializer(many=True)

    @extend_schema(
        operation_id="consultation_detail",
        summary="A consultation and its questions",
        description="Any consultation that is not a draft, open or not, with its pages in "
        "order. A question with `show_if` is asked only when the answer to the earlier "
        "question includes any of those options; answer it only then. A consultation limited "
        "to an audience you are not in is a 404, as one that does not exist.",
        parameters=[SLUG],
        responses={
            200: OutputSerializer,
            **KEY_REFUSALS,
            404: OpenApiResponse(ErrorSerializer, description="No such consultation."),
        },
        examples=[
            OpenApiExample("A consultation", value=DETAIL_EXAMPLE, response_only=True),
            error_example("Unknown", 404, "not_found", "No such consultation."),
        ],
    )
    def get(self, request: Request, slug: str) -> Response:
        consultation = selectors.consultation_get_visible(slug=slug, user=request.user)
        pages = selectors.consultation_pages_with_questions(consultation=consultation)
        consultation.estimated_minutes = completion_estimate(consultation=consultation).minutes
        output = {
            **ConsultationSummarySerializer(consultation).data,
            "body": consultation.body,
            "privacy_notice": consultation.privacy_notice,
            "allow_edit_until_close": consultation.allow_edit_until_close,
            "pages": [
                {
                    "number": number,
                    "title": page.title,
                    "questions": [_question(question) for question in page.questions.all()],
                }
                for number, page in enumerate(pages, start=1)
            ],
        }
        # Built from serializers' data already; OutputSerializer documents its shape.
        return Response(output)


@extend_schema_serializer(component_name="ConsultationAnswer")
class AnswerSerializer(serializers.Serializer):
    options = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        default=list,
        max_length=100,
        help_text="For choice and scale questions: the ids of the chosen options.",
    )
    other_text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=10_000,
        help_text='"Other, please specify": sending text chooses Other.',
    )
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=100_000,
        help_text="For free-text questions: the answer.",
    )


class ConsultationResponseApi(APIView):
    """Submit a whole response to an open consultation, exactly once."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    # Closed to keys: see the module docstring.
    required_scope = None

    @extend_schema_serializer(component_name="ConsultationResponseRequest")
    class InputSerializer(serializers.Serializer):
        answers = serializers.DictField(
            child=AnswerSerializer(),
            allow_empty=True,
            help_text="Keyed by question id. Answer the questions that are asked given your "
            "other answers (see show_if), and no others.",
        )
        started_at = serializers.DateTimeField(
            required=False, help_text="When the person began, to learn how long answering takes."
        )

    @extend_schema_serializer(component_name="ConsultationResponseReceipt")
    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField(help_text="The response's reference, to quote.")
        consultation = serializers.SlugField()
        submitted_at = serializers.DateTimeField()
        edited = serializers.BooleanField(
            help_text="True when this replaced the signed-in person's earlier answers."
        )

    @extend_schema(
        operation_id="consultation_response_submit",
        summary="Answer a consultation",
        description="Sends every answer in one request. Needs an `Idempotency-Key` header: the "
        "same key with the same body gives back the same reference with 200 (not a second "
        "response). Signed in, the same key with a different body is a 409. Not signed in, "
        "the key is bound to your address and your answers, so nobody else's key ever gives "
        "back their reference: a different body, or another address, is a new response.\n\n"
        "- Only while the consultation is open: at `closes_at` or later (the clock is read at "
        "the moment of submit), or before it opens, a response with valid answers is a 409.\n"
        "- A consultation limited to an audience you are not in is a 404; one that needs you "
        "to sign in is a 403.\n"
        "- Signed in, you answer once (a second response is a 409) unless the consultation "
        "lets you change your answers until the close: then it replaces them (200, edited).\n"
        "- Not signed in, past the consultation's limit of responses an hour from one "
        "address (20 unless its association set another), a response is still stored, and "
        "flagged for the association as one of many from one connection.\n"
        "- Answers that are missing, not among the options, too long, or to questions not "
        "asked given the other answers are a 400, with a message for each question in "
        "`fields` under `answers.<question id>`.\n\n"
        "API keys are refused (403): a key speaks for an organisation, and each person "
        "answers for themselves. With a session, send the CSRF token.",
        parameters=[SLUG, IDEMPOTENCY_KEY],
        request=InputSerializer,
        responses={
            201: OutputSerializer,
            200: OpenApiResponse(
                OutputSerializer, description="A repeat of a response already stored, or edited."
            ),
            400: OpenApiResponse(ErrorSerializer, description="An answer needs correcting."),
            **KEY_REFUSALS,
            404: OpenApiResponse(ErrorSerializer, description="No such consultation."),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Not open (closed, or not yet open), already answered, or, signed "
                "in, the Idempotency-Key was used with a different body or by someone else.",
            ),
        },
        examples=[
            OpenApiExample(
                "Answers",
                value={
                    "answers": {
                        "12": {"options": [40]},
                        "13": {"text": "Paid time to train."},
                    }
                },
                request_only=True,
            ),
            OpenApiExample(
                "Stored",
                value={
                    "reference": "K7M2QX9PTA",
                    "consultation": "pay-and-conditions-2027",
                    "submitted_at": "2026-12-01T10:15:00Z",
                    "edited": False,
                },
                response_only=True,
                status_codes=["201", "200"],
            ),
            error_example(
                "An answer to correct",
                400,
                "invalid",
                "Some answers need correcting.",
                fields={"answers.12": ["Select an answer to “Which best describes you?”"]},
            ),
            error_example(
                "Closed",
                409,
                "refused",
                "This consultation closed at 17:00 on 31 January 2027. Answers can no longer "
                "be accepted.",
            ),
        ],
    )
    def post(self, request: Request, slug: str) -> Response:
        consultation = selectors.consultation_get_visible(slug=slug, user=request.user)
        idempotency_key = request.headers.get("Idempotency-Key", "")
        if not IDEMPOTENCY_KEY_PATTERN.match(idempotency_key):
            raise ValidationError(
                {
                    "Idempotency-Key": [
                        "Send an Idempotency-Key header: 8 to 60 letters, digits, dashes or "
                        "underscores, made once for this response (a UUID will do)."
                    ]
                }
            )
        validated = plain_answers_validated(request.data)
        if validated is None:
            given = self.InputSerializer(data=request.data)
            if not given.is_valid():
                raise ValidationError(_flat(given.errors))
            validated = given.validated_data
        questions = questions_for(consultation)
        answers = _service_answers(questions, validated["answers"])
        client_ip = _client_ip()
        if not request.user.is_authenticated:
            # Anyone can send any key: bound to this client and these answers, a key another
            # client chose too finds nothing of theirs (a signed-in person's key is bound to
            # them by their respondent hash).
            idempotency_key = services.client_bound_key(
                consultation=consultation, key=idempotency_key, client_ip=client_ip, answers=answers
            )
        try:
            submitted = services.response_submit(
                consultation=consultation,
                answers=answers,
                user=request.user,
                idempotency_key=IDEMPOTENCY_PREFIX + idempotency_key,
                started_at=validated.get("started_at"),
                client_ip=client_ip,
                questions=questions,
            )
        except services.AnswersInvalid as error:
            raise ValidationError(
                {f"answers.{question}": [message] for question, message in error.errors.items()}
            ) from error
        except services.AudienceRefused as error:
            raise PermissionDenied(str(error)) from error
        except services.SubmissionKeyUsed as error:
            raise Conflict(
                "This Idempotency-Key was already used for someone else's response. Make a new "
                "key for a new response."
            ) from error
        except services.ResponseRefused as error:
            # Not open, or already answered: the request is fine, the state refuses it.
            raise Refused(str(error)) from error
        response = submitted.response
        if not submitted.created and not submitted.edited:
            stored = services.response_answers_as_dict(response=response)
            if _comparable(stored) != _comparable(check_answers(questions, answers).answers):
                raise Conflict(
                    "This Idempotency-Key was used for a response with different answers. "
                    "Make a new key for a new response."
                )
        # OutputSerializer documents this shape; building it costs more than the fields do.
        output = {
            "reference": response.reference,
            "consultation": consultation.slug,
            "submitted_at": _DATETIME.to_representation(response.submitted_at),
            "edited": submitted.edited,
        }
        return Response(output, status=201 if submitted.created else 200)


_DATETIME = serializers.DateTimeField()


def plain_answers_validated(data) -> dict | None:
    """A body of answers alone, each in exactly the usual shape, validated as
    `ConsultationResponseApi.InputSerializer` would validate it; None for anything else, which
    the serializer then judges, with its own messages. Every submit comes through here, and
    the serializer's nested fields cost more CPU than storing the answers. The limits are read
    from AnswerSerializer's fields, so they are written once."""
    if not isinstance(data, dict) or data.keys() != {"answers"}:
        return None
    given = data["answers"]
    if not isinstance(given, dict):
        return None
    fields = AnswerSerializer._declared_fields
    options_field, option_field = fields["options"], fields["options"].child
    answers = {}
    for key, answer in given.items():
        if not isinstance(answer, dict) or answer.keys() - fields.keys():
            return None
        options = answer.get("options", [])
        if type(options) is not list or len(options) > options_field.max_length:
            return None
        for option in options:
            if type(option) is not int or not (
                option_field.min_value <= option <= option_field.max_value
            ):
                return None
        texts = {}
        for name in ("other_text", "text"):
            text = answer.get(name, "")
            if type(text) is not str or "\x00" in text:
                return None
            text = text.strip()
            if len(text) > fields[name].max_length:
                return None
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate, which the serializer refuses
                return None
            texts[name] = text
        answers[key] = {"options": options, **texts}
    return {"answers": answers}


def _service_answers(questions: list[Question], given: dict) -> dict:
    """The body's answers in the shape consultations.answers uses, refusing answers to
    questions that are not in the consultation, or not asked given the other answers."""
    by_id = {str(question.pk): question for question in questions}
    errors = {}
    answers = {}
    for key, answer in given.items():
        if key not in by_id:
            errors[f"answers.{key}"] = ["There is no question with this id in the consultation."]
            continue
        answers[key] = {
            "options": answer["options"],
            "other": bool(answer["other_text"]),
            "other_text": answer["other_text"],
            "text": answer["text"],
        }
    if errors:
        raise ValidationError(errors)
    asked = {str(question.pk) for question in visible_questions(questions, answers)}
    for key, answer in list(answers.items()):
        if key in asked:
            continue
        if is_answered(by_id[key], answer):
            errors[f"answers.{key}"] = [
                f"“{by_id[key].text}” is not asked given your other answers: leave it out."
            ]
        else:
            del answers[key]
    if errors:
        raise ValidationError(errors)
    return answers


def _flat(detail, prefix: str = "") -> dict[str, list[str]]:
    """Nested field errors (an answer inside answers) as the one error format's flat
    fields: {"answers.12.options": ["…"]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and all(not isinstance(item, dict | list) for item in detail):
        return {prefix or "non_field_errors": [str(item) for item in detail]}
    if isinstance(detail, list):
        flat = {}
        for index, value in enumerate(detail):
            flat.update(_flat(value, f"{prefix}.{index}"))
        return flat
    return {prefix or "non_field_errors": [str(detail)]}


def _comparable(answers: dict) -> dict:
    return {
        key: (sorted(value["options"]), value["other"], value["other_text"], value["text"])
        for key, value in answers.items()
    }


def _client_ip() -> str | None:
    context = current_request.get()
    return context.ip_address if context else None


@extend_schema_serializer(component_name="ResultCell")
class CellSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True, help_text="Null when withheld: small numbers are not published."
    )
    text = serializers.CharField(help_text='The number as shown, or like "fewer than 5".')
    percent = serializers.IntegerField(allow_null=True)


def _cell(cell) -> dict:
    return {"count": cell.count, "text": cell.text, "percent": cell.percent}


@extend_schema_serializer(component_name="ResultColumn")
class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


@extend_schema_serializer(component_name="ResultRow")
class ResultRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    is_other = serializers.BooleanField()
    cells = CellSerializer(many=True, help_text="One per column, in the columns' order.")


@extend_schema_serializer(component_name="QuestionResult")
class QuestionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    question_id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    rows = ResultRowSerializer(many=True)
    answered = CellSerializer(many=True, help_text="How many answered, per column.")


@extend_schema_serializer(component_name="ThemeCount")
class ThemeCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    answers = CellSerializer()


RESULTS_EXAMPLE_CELL = {"count": 120, "text": "120", "percent": 60}


class ConsultationResultsApi(APIView):
    """The published outcome of a consultation, with the numbers as the outcome page shows."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    required_scope = None

    @extend_schema_serializer(component_name="ConsultationResults")
    class OutputSerializer(serializers.Serializer):
        slug = serializers.SlugField()
        title = serializers.CharField()
        organisation = serializers.CharField()
        opens_at = serializers.DateTimeField(allow_null=True)
        closes_at = serializers.DateTimeField(allow_null=True)
        outcome_summary = serializers.CharField(help_text="You said, we did.")
        outcome_published_at = serializers.DateTimeField(allow_null=True)
        columns = ColumnSerializer(many=True, help_text="All, then each kind of respondent.")
        responses = CellSerializer(many=True, help_text="How many responded, per column.")
        questions = QuestionResultSerializer(many=True)
        themes = ThemeCountSerializer(many=True)

    @extend_schema(
        operation_id="consultation_results",
        summary="A consultation's published results",
        description="Only once the outcome is published; before that, a 404. The numbers are "
        "exactly those of the public outcome page (consultations.analysis, published): any "
        "count below 5 is withheld, and so is whatever would let one be worked out, each "
        "shown as `count: null` with the reason in `text`. Free-text answers are not "
        "published.",
        parameters=[SLUG],
        responses={
            200: OutputSerializer,
            **KEY_REFUSALS,
            404: OpenApiResponse(ErrorSerializer, description="No published outcome."),
        },
        examples=[
            OpenApiExample(
                "Published results",
                value={
                    "slug": "pay-and-conditions-2027",
                    "title": "Pay and conditions in 2027",
                    "organisation": "Care Workers' Association",
                    "opens_at": "2026-11-01T09:00:00Z",
                    "closes_at": "2027-01-31T17:00:00Z",
                    "outcome_summary": "You said pay matters most; we will ask for it.",
                    "outcome_published_at": "2027-03-01T09:00:00Z",
                    "columns": [{"key": "all", "label": "All"}],
                    "responses": [{"count": 200, "text": "200", "percent": None}],
                    "questions": [
                        {
                            "number": 1,
                            "question_id": 12,
                            "text": "Would you join?",
                            "kind": "single_choice",
                            "rows": [
                                {
                                    "label": "Yes",
                                    "is_other": False,
                                    "cells": [RESULTS_EXAMPLE_CELL],
                                },
                                {
                                    "label": "No",
                                    "is_other": False,
                                    "cells": [
                                        {"count": None, "text": "fewer than 5", "percent": None}
                                    ],
                                },
                            ],
                            "answered": [{"count": 200, "text": "200", "percent": None}],
                        }
                    ],
                    "themes": [],
                },
                response_only=True,
            ),
            error_example(
                "Not published yet",
                404,
                "not_found",
                "No outcome has been published for this consultation.",
            ),
        ],
    )
    def get(self, request: Request, slug: str) -> Response:
        consultation = analysis.consultation_get_published(slug=slug)
        results = analysis.consultation_results(consultation=consultation, published=True)
        output = {
            "slug": consultation.slug,
            "title": consultation.title,
            "organisation": consultation.organisation.name,
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "outcome_summary": consultation.outcome_summary,
            "outcome_published_at": consultation.outcome_published_at,
            "columns": [{"key": c.key, "label": c.label} for c in results.columns],
            "responses": [_cell(cell) for cell in results.responses],
            "questions": [
                {
                    "number": q.number,
                    "question_id": q.question_id,
                    "text": q.text,
                    "kind": q.kind,
                    "rows": [
                        {
                            "label": row.label,
                            "is_other": row.is_other,
                            "cells": [_cell(cell) for cell in row.cells],
                        }
                        for row in q.rows
                    ],
                    "answered": [_cell(cell) for cell in q.answered],
                }
                for q in results.questions
            ],
            "themes": [{"name": name, "answers": _cell(cell)} for name, cell in results.themes],
        }
        return Response(self.OutputSerializer(output).data)


urlpatterns = [
    path("consultations/", ConsultationListApi.as_view(), name="consultations"),
    path(
        "consultations/<slug:slug>/",
        ConsultationDetailApi.as_view(),
        name="consultation-detail",
    ),
    path(
        "consultations/<slug:slug>/responses",
        ConsultationResponseApi.as_view(),
        name="consultation-responses",
    ),
    path(
        "consultations/<slug:slug>/results",
        ConsultationResultsApi.as_view(),
        name="consultation-results",
    ),
]
