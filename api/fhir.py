"""FHIR R4 read of a registered worker: GET /api/v1/fhir/Practitioner/<registration_number>.

The worker is found through the public register (register.selectors.public), so exactly the
entries the public register shows are served, with what it shows of them. The registration is
a `qualification`, and so, only for a caller who may see the worker's training (the worker
themselves, or a registrar), is each verified training record that is current today: the public
register does not show training, so neither does an anonymous read. See
docs/decisions/0009-api-docs-fuzzing-and-fhir.md.

Errors here are FHIR OperationOutcome resources, not the API's own error format, because a FHIR
client expects them.
"""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import ANYONE, KEY_OR_SESSION, ApiKeyThrottle
from api.throttles import PUBLIC_REGISTER_THROTTLES
from employers import selectors as employer_selectors
from employers.models import ApiKey
from employers.services.verification import employer_is_verified
from passports import selectors as training
from register import registration_numbers
from register.models import RegisterEntry
from register.selectors import public as public_register

FHIR_JSON = "application/fhir+json"


def registration_number_system() -> str:
    """The naming system of registration numbers: a URI of the register's own site, which
    identifies the numbers and need not be fetched."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/sid/registration-number"


def qualification_code_system() -> str:
    """The code system of the register's qualification codes: "registration" for being on the
    register, and each training standard's code for training."""
    return f"{settings.SITE_URL.rstrip('/')}/fhir/CodeSystem/qualification"


# Entries in these statuses may practise: the rest (suspended, lapsed, removed) are shown, as
# the public register shows them, but not active.
ACTIVE_STATUSES = {
    RegisterEntry.Status.REGISTERED,
    RegisterEntry.Status.REGISTERED_WITH_CONDITIONS,
}


class FhirJsonRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"


class FhirContentNegotiation(BaseContentNegotiation):
    """Always FHIR JSON, whatever the Accept header asks: it is the one format served, and a
    client asking for application/json gets JSON all the same."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def operation_outcome(*, code: str, diagnostics: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }


# DRF's error codes as FHIR IssueType codes (http://hl7.org/fhir/issue-type).
_ISSUE_TYPES = {
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    429: "throttled",
    401: "login",
    403: "forbidden",
}


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _practitioner(public: dict[str, Any], current_training: list | None) -> dict[str, Any]:
    number = public["registration_number"]
    identifier = {"system": registration_number_system(), "value": number}
    qualifications = [
        {
            "identifier": [identifier],
            "code": {
                "coding": [
                    {
                        "system": qualification_code_system(),
                        "code": "registration",
                        "display": "Registered adult social care worker",
                    }
                ],
                "text": f"{public['status_label']}"
                + (f": {public['role']}" if public["role"] else ""),
            },
            "period": {
                "start": _date(public["registered_from"]),
                "end": _date(public["renewal_due"]),
            },
            "issuer": {"display": settings.SITE_NAME},
        }
    ]
    for state in current_training or []:
        record = state.record
        issuer = record.provider.name if record.provider_id else record.provider_name
        period = {"start": _date(record.completed_on)}
        if record.expires_on:
            period["end"] = _date(record.expires_on)
        qualifications.append(
            {
                "code": {
                    "coding": [
                        {
                            "system": qualification_code_system(),
                            "code": record.standard.code,
                            "display": record.standard.title,
                        }
                    ],
                    "text": record.standard.title,
                },
                "period": period,
                "issuer": {"display": issuer},
            }
        )
    return {
        "resourceType": "Practitioner",
        "id": number,
        "identifier": [identifier],
        "active": public["status"] in ACTIVE_STATUSES,
        "name": [{"use": "official", "text": public["full_name"]}],
        "qualification": qualifications,
    }


# --- The schema: the part of FHIR's Practitioner this endpoint fills in ----------------------


class CodingSerializer(serializers.Serializer):
    system = serializers.URLField()
    code = serializers.CharField()
    display = serializers.CharField()


class CodeableConceptSerializer(serializers.Serializer):
    coding = CodingSerializer(many=True)
    text = serializers.CharField()


class IdentifierSerializer(serializers.Serializer):
    system = serializers.URLField(help_text="Registration numbers' naming system.")
    value = serializers.CharField(help_text="The registration number, like CR1000001H.")


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField(required=False, help_text="Absent if it never expires.")


class ReferenceSerializer(serializers.Serializer):
    display = serializers.CharField()


class HumanNameSerializer(serializers.Serializer):
    use = serializers.ChoiceField(choices=["official"])
    text = serializers.CharField()


class QualificationSerializer(serializers.Serializer):
    identifier = IdentifierSerializer(many=True, required=False)
    code = CodeableConceptSerializer()
    period = PeriodSerializer()
    issuer = ReferenceSerializer()


@extend_schema_serializer(component_name="FhirPractitioner")
class PractitionerSerializer(serializers.Serializer):
    resourceType = serializers.ChoiceField(choices=["Practitioner"])
    id = serializers.CharField()
    identifier = IdentifierSerializer(many=True)
    active = serializers.BooleanField(
        help_text="True while registered (with or without conditions); false when suspended, "
        "lapsed or removed."
    )
    name = HumanNameSerializer(many=True)
    qualification = QualificationSerializer(many=True)


class IssueSerializer(serializers.Serializer):
    severity = serializers.ChoiceField(choices=["error"])
    code = serializers.CharField()
    diagnostics = serializers.CharField()


@extend_schema_serializer(component_name="FhirOperationOutcome")
class OperationOutcomeSerializer(serializers.Serializer):
    resourceType = serializers.ChoiceField(choices=["OperationOutcome"])
    issue = IssueSerializer(many=True)


PRACTITIONER_EXAMPLE = {
    "resourceType": "Practitioner",
    "id": "CR1000001H",
    "identifier": [
        {"system": "https://register.example/fhir/sid/registration-number", "value": "CR1000001H"}
    ],
    "active": True,
    "name": [{"use": "official", "text": "Amira Care-Worker"}],
    "qualification": [
        {
            "identifier": [
                {
                    "system": "https://register.example/fhir/sid/registration-number",
                    "value": "CR1000001H",
                }
            ],
            "code": {
                "coding": [
                    {
                        "system": "https://register.example/fhir/CodeSystem/qualification",
                        "code": "registration",
                        "display": "Registered adult social care worker",
                    }
                ],
                "text": "Registered: Care or support worker",
            },
            "period": {"start": "2026-01-05", "end": "2027-01-05"},
            "issuer": {"display": "Care Register"},
        }
    ],
}


class FhirPractitionerApi(APIView):
    """A worker on the public register as a FHIR R4 Practitioner."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    throttle_classes = [*PUBLIC_REGISTER_THROTTLES, ApiKeyThrottle]
    renderer_classes = [FhirJsonRenderer]
    content_negotiation_class = FhirContentNegotiation
    # Anyone may read the registration. A key needs this scope, and sees training only for
    # the workers on its organisation's staff list, who consented with a share code.
    required_scope = "fhir:read"

    @extend_schema(
        operation_id="fhir_practitioner_read",
        summary="A registered worker as a FHIR R4 Practitioner",
        description=(
            "The worker with this registration number, if the public register shows them, as "
            "a FHIR R4 `Practitioner` (`application/fhir+json`).\n\n"
            "- `identifier`: the registration number, with the system "
            "`<site>/fhir/sid/registration-number`.\n"
            "- `name`: the name on the register, as text.\n"
            "- `active`: true while registered, with or without conditions; false when "
            "suspended, lapsed or removed.\n"
            "- `qualification`: the registration (code `registration` in the system "
            "`<site>/fhir/CodeSystem/qualification`, period from the registration date to the "
            "renewal date, issued by the register). Training records are **not** public: they "
            "are added, one qualification per verified record that is current today (code: "
            "the training standard's code), only when the caller may see the worker's "
            "training, that is the worker themselves or a registrar, or an employer's API key "
            "(`fhir:read`) for a worker on its staff list. Anyone else, and every "
            "anonymous caller, gets the registration alone.\n\n"
            "An unknown number, or one the public register does not show, is a 404 "
            "`OperationOutcome`; so is every other error, as FHIR clients expect."
        ),
        parameters=[
            OpenApiParameter(
                "registration_number",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Like CR1000001H; lower case, spaces and dashes are ignored.",
            )
        ],
        responses={
            (200, FHIR_JSON): PractitionerSerializer,
            (404, FHIR_JSON): OpenApiResponse(
                OperationOutcomeSerializer, description="No such worker on the public register."
            ),
            (401, FHIR_JSON): OpenApiResponse(
                OperationOutcomeSerializer,
                description="An API key was sent that is not valid or was revoked (send "
                "none, or a live one). Comes with `WWW-Authenticate: Bearer`.",
            ),
            (403, FHIR_JSON): OpenApiResponse(
                OperationOutcomeSerializer,
                description="An API key was sent without the fhir:read scope.",
            ),
            (429, FHIR_JSON): OpenApiResponse(
                OperationOutcomeSerializer, description="Too many requests."
            ),
        },
        examples=[
            OpenApiExample(
                "A registered worker",
                value=PRACTITIONER_EXAMPLE,
                status_codes=["200"],
                media_type=FHIR_JSON,
                response_only=True,
            ),
            OpenApiExample(
                "Unknown number",
                value=operation_outcome(
                    code="not-found",
                    diagnostics="No entry on the public register has that registration number.",
                ),
                status_codes=["404"],
                media_type=FHIR_JSON,
                response_only=True,
            ),
        ],
    )
    def get(self, request: Request, registration_number: str) -> Response:
        number = registration_numbers.normalise(registration_number)
        public = public_register.public_entry_get(registration_number=number)
        if isinstance(request.auth, ApiKey):
            current = _current_training_for_key(request.auth, registration_number=number)
        else:
            current = training.current_training_for_viewer(
                user=request.user, registration_number=number, today=timezone.localdate()
            )
        return Response(_practitioner(public, current), content_type=FHIR_JSON)

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            exc = exceptions.NotFound(str(exc) or "Not found.")
        if not isinstance(exc, exceptions.APIException):
            return super().handle_exception(exc)
        response = super().handle_exception(exc)
        code = _ISSUE_TYPES.get(response.status_code, "processing")
        message = response.data.get("error", {}).get("message") or str(exc.detail)
        response.data = operation_outcome(code=code, diagnostics=message)
        response.content_type = FHIR_JSON
        return response


def _current_training_for_key(api_key: ApiKey, *, registration_number: str) -> list | None:
    """A key is its organisation, never the person who made it: it sees the training of the
    workers on the organisation's staff list (their consent), and nobody else's."""
    if not employer_is_verified(api_key.organisation):
        return None
    try:
        membership = employer_selectors.staff_membership_get(
            user=api_key.created_by,
            organisation=api_key.organisation,
            registration_number=registration_number,
        )
    except (Http404, PermissionDenied):
        return None
    states = training.training_states(entry=membership.entry, today=timezone.localdate())
    return [state for state in states.counted if state.is_current]


urlpatterns = [
    path(
        "fhir/Practitioner/<str:registration_number>",
        FhirPractitionerApi.as_view(),
        name="fhir-practitioner",
    ),
]
