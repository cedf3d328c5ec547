"""Serializers shared by several API views. A view's own input and output serializers are
nested in the view, as the HackSoft styleguide does."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema_serializer
from rest_framework import serializers

from core.errors import api_error_body
from register.models import RegisterEntry


class PublicTextSerializer(serializers.Serializer):
    text = serializers.CharField()


@extend_schema_serializer(component_name="PublicOutcome")
class PublicOutcomeSerializer(serializers.Serializer):
    """A condition or a warning as the public register shows it."""

    text = serializers.CharField()
    until = serializers.DateField(
        allow_null=True,
        help_text="The last day it applies (a warning always has one; a condition may).",
    )
    category = serializers.CharField(
        allow_null=True,
        help_text="What the concern was about: Poor practice, Dishonesty, Theft, Abuse or "
        "neglect, or Other. Never health: an outcome about health is not shown at all.",
    )


@extend_schema_serializer(component_name="RegisterEntry")
class RegisterEntryPublicSerializer(serializers.Serializer):
    """What the public register shows about one entry: the keys of
    register.selectors.public.entry_public_representation, and nothing else."""

    registration_number = serializers.CharField()
    full_name = serializers.CharField()
    status = serializers.ChoiceField(choices=RegisterEntry.Status.choices)
    status_label = serializers.CharField()
    registered_from = serializers.DateField()
    renewal_due = serializers.DateField()
    role = serializers.CharField(
        allow_null=True, help_text="The Care Workforce Pathway role category."
    )
    suspended_until = serializers.DateField(
        allow_null=True, help_text="Set only while the entry is suspended."
    )
    suspension_kind = serializers.CharField(
        allow_null=True, help_text="Interim order or sanction; set only while suspended."
    )
    removal_kind = serializers.CharField(
        allow_null=True, help_text="Why the entry was removed; set only when removed."
    )
    sanction_category = serializers.CharField(
        allow_null=True,
        help_text="What the concern behind a sanction suspension or a removal on fitness to "
        "practise grounds was about (Poor practice, Dishonesty, Theft, Abuse or neglect, "
        "Other); null otherwise, and never health.",
    )
    conditions = PublicOutcomeSerializer(
        many=True, help_text="Conditions the worker must keep to while they practise."
    )
    warnings = PublicOutcomeSerializer(
        many=True, help_text="Warnings about the worker's practice, each shown until its day."
    )
    annotations = PublicTextSerializer(many=True)


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(
        help_text="For programs: invalid, refused, conflict, not_found, not_authenticated, "
        "authentication_failed, permission_denied, method_not_allowed, throttled, parse_error, "
        "bad_request, server_error, unavailable, …"
    )
    message = serializers.CharField(help_text="For people: what went wrong, in plain English.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For invalid values: the messages for each field sent; empty otherwise.",
    )


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    """The one error format: core.errors.api_error_body, used by api/errors.py."""

    error = ErrorDetailSerializer()


def error_example(
    name: str, status: int, code: str, message: str, *, fields: dict | None = None
) -> OpenApiExample:
    """An example of the error format, for an endpoint's documentation."""
    return OpenApiExample(
        name,
        value=api_error_body(status=status, code=code, message=message, fields=fields),
        response_only=True,
        status_codes=[str(status)],
    )


# Every view takes API keys first (api/auth.py), so a caller who is not authenticated, or whose
# key is not valid or was revoked, gets a 401 with `WWW-Authenticate: Bearer`; a 403 is a known
# caller who may not do this.
AUTHENTICATION_ERRORS = {
    401: OpenApiResponse(
        ErrorSerializer,
        description="Not signed in and no API key, or the key is not valid or was revoked. "
        "Comes with `WWW-Authenticate: Bearer`.",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Not allowed: the API key lacks the scope this needs (or keys cannot be "
        "used here), or, with a session, a missing CSRF token or a person who may not.",
    ),
}

KEY_AUTHENTICATION_ERRORS = {
    401: OpenApiResponse(
        ErrorSerializer,
        description="No API key, or the key is not valid, was revoked or has expired. Comes with "
        "`WWW-Authenticate: Bearer`. Sessions are not accepted here.",
    ),
    403: OpenApiResponse(
        ErrorSerializer, description="The API key lacks the scope this needs, or may not."
    ),
}

# For endpoints open to anyone: only a key that is not valid, or lacks the scope, is refused.
KEY_REFUSALS = {
    401: OpenApiResponse(
        ErrorSerializer,
        description="An API key was sent that is not valid or was revoked (send none, or a "
        "live one). Comes with `WWW-Authenticate: Bearer`.",
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="An API key was sent that lacks the scope this needs, or keys cannot be "
        "used here.",
    ),
}
