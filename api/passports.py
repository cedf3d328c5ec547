"""Passport verification over the API: POST /api/v1/passports/verify.

Transport only: the checks are passports.verification's, the same the /verify/ page shows.
"""

from django.core.exceptions import RequestDataTooBig
from django.core.validators import ProhibitNullCharactersValidator
from django.urls import path
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ParseError, Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import ProhibitSurrogateCharactersValidator
from rest_framework.views import APIView

from api.auth import ANYONE, KEY_ONLY, ApiKeyThrottle
from api.serializers import KEY_REFUSALS, ErrorSerializer, error_example
from api.throttles import AnonWindowRateThrottle
from core.requests import client_ip
from passports import signing, verification
from passports.forms import PDF_MAX_BYTES


class PassportVerifyThrottle(AnonWindowRateThrottle):
    # Generous: an employer's system may check a whole workforce at once. It exists to slow a
    # runaway client, not to ration honest use.
    scope = "passport_verify"
    rate = "6000/min"


class TokenField(serializers.CharField):
    """A CharField without DRF's character-by-character checks for null and surrogate
    characters, which took a millisecond on a 5 KB token. A null character is still refused,
    by a search in C; a lone surrogate simply fails verification as malformed."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(
                validator, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator
            )
        ]

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if "\x00" in value:
            raise serializers.ValidationError("Null characters are not allowed.")
        return value


@extend_schema_serializer(component_name="PassportTrainingRecordCheck")
class TrainingRecordCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[verification.PASS, verification.WARN, verification.FAIL],
        help_text="warn: expired; fail: no longer verified by the register (revoked since).",
    )
    message = serializers.CharField(help_text='Like "Expired on 1 March 2026."')
    completedOn = serializers.DateField(allow_null=True)
    expiresOn = serializers.DateField(allow_null=True)


@extend_schema_serializer(component_name="PassportCheck")
class VerificationCheckSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="In order: " + ", ".join(verification.CHECK_NAMES) + ".")
    status = serializers.ChoiceField(
        choices=[verification.PASS, verification.WARN, verification.FAIL, verification.SKIP],
        help_text="skip: not checked, because an earlier check failed or, offline, because "
        "only the register's database knows.",
    )
    message = serializers.CharField()
    records = TrainingRecordCheckSerializer(
        many=True, required=False, help_text="Only on training."
    )


@extend_schema_serializer(component_name="PassportSummary")
class PassportSummarySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    registrationNumber = serializers.CharField()
    registrationStatusAtIssue = serializers.CharField()
    issuedAt = serializers.DateTimeField()
    issuedOn = serializers.CharField()
    key = serializers.CharField(help_text="The id of the key that signed it, like key-2026-11.")


@extend_schema_serializer(component_name="BadgeSummary")
class BadgeSummarySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    registrationNumber = serializers.CharField()
    training = serializers.CharField(help_text="The training standard the badge is for.")
    completedOn = serializers.DateField(allow_null=True)
    expiresOn = serializers.DateField(allow_null=True)
    key = serializers.CharField(help_text="The id of the key that signed it, like key-2026-11.")


class PassportVerifyApi(APIView):
    """Verify a passport token or a passport PDF. Every answer that reaches a verdict is a 200
    with `valid` and the named checks; only a request that carries nothing to verify is a 400."""

    permission_classes = ANYONE
    # Open to anyone and changes nothing, so no session: a signed-in browser would otherwise
    # need a CSRF token just to ask a question. An API key may be sent, with the scope.
    authentication_classes = KEY_ONLY
    throttle_classes = [PassportVerifyThrottle, ApiKeyThrottle]
    required_scope = "passports:verify"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="PassportVerifyRequest")
    class InputSerializer(serializers.Serializer):
        token = TokenField(
            required=False,
            max_length=signing.MAX_TOKEN_LENGTH,
            help_text="The passport or badge as a compact JWS, or its verification link.",
        )
        file = serializers.FileField(
            required=False, help_text="A passport PDF (multipart/form-data), up to 5 MB."
        )

        def validate(self, data):
            if bool(data.get("token")) == bool(data.get("file")):
                raise serializers.ValidationError(
                    {"token": ["Send either a passport token or a PDF file, not both or neither."]}
                )
            if data.get("file") and data["file"].size > PDF_MAX_BYTES:
                raise serializers.ValidationError({"file": ["The PDF must be smaller than 5 MB."]})
            return data

    @extend_schema_serializer(component_name="PassportVerification")
    class OutputSerializer(serializers.Serializer):
        valid = serializers.BooleanField(
            help_text="Authentic, neither revoked, suspended nor superseded, and carrying no "
            "training record the register has since revoked. Expired training and the "
            "registration status are reported as checks but never decide it."
        )
        kind = serializers.ChoiceField(
            choices=verification.CREDENTIAL_KINDS,
            allow_null=True,
            help_text="passport, or badge for a single-record Open Badges 3.0 credential; null "
            "unless it is authentic.",
        )
        checks = VerificationCheckSerializer(many=True)
        passport = PassportSummarySerializer(
            allow_null=True, help_text="What the passport says; null unless it is authentic."
        )
        badge = BadgeSummarySerializer(
            allow_null=True, help_text="What the badge says; null unless it is an authentic badge."
        )

    @extend_schema(
        operation_id="passport_verify",
        summary="Verify a training passport or a training badge",
        description="Send the passport's token (or its verification link) as JSON, or the "
        "passport PDF as multipart/form-data. A single-record badge (an Open Badges 3.0 JWT, "
        'or its verification link) is checked the same way, with `kind` "badge". Every '
        "request that reaches a verdict is a 200 with `valid` and the named checks, in order; "
        "only a request with nothing to verify is a 400. Open to anyone, with no session, so "
        "no CSRF token is needed; an API key may be sent, with the `passports:verify` scope.",
        request={
            "application/json": InputSerializer,
            "multipart/form-data": InputSerializer,
        },
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Neither a token nor a file, or both, or too large."
            ),
            **KEY_REFUSALS,
            429: OpenApiResponse(ErrorSerializer, description="Too many requests."),
        },
        examples=[
            OpenApiExample("A token", value={"token": "eyJhbGciOiJFZERTQSIs…"}, request_only=True),
            OpenApiExample(
                "A passport that is not authentic",
                value={
                    "valid": False,
                    "kind": None,
                    "checks": [
                        {
                            "name": verification.CHECK_NAMES[0],
                            "status": verification.FAIL,
                            "message": "This is not a Care Register passport token.",
                        }
                    ],
                    "passport": None,
                    "badge": None,
                },
                response_only=True,
            ),
            error_example(
                "Nothing to verify",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={
                    "token": ["Send either a passport token or a PDF file, not both or neither."]
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        try:
            data = request.data
        except RequestDataTooBig as error:
            # Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE; say so in our format.
            raise ParseError(
                "The request is too large to hold a passport. Send the token, or the PDF as a file."
            ) from error
        given = self.InputSerializer(data=data)
        given.is_valid(raise_exception=True)
        upload = given.validated_data.get("file")
        if upload is not None:
            # A PDF is parsed, so it counts again, against the limit the /verify/ form shares.
            hit = verification.PDF_UPLOAD_LIMIT.hit(client_ip(request) or "unknown")
            if not hit.allowed:
                raise Throttled(wait=hit.retry_after, detail=verification.TOO_MANY_CHECKS)
            try:
                result = verification.verify_pdf(upload.read())
            except verification.PdfUploadUnavailable as error:
                raise serializers.ValidationError({"file": [str(error)]}) from error
        else:
            result = verification.verify_text(given.validated_data["token"])
        # The verification's own dictionary is the documented shape: serializing it again
        # would cost time on the register's busiest endpoint and change nothing.
        return Response(result.as_dict())


urlpatterns = [
    path("passports/verify", PassportVerifyApi.as_view(), name="passports-verify"),
]
