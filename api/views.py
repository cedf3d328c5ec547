"""API views: one per action, each parsing its input, calling one selector and shaping the
output. The rules live in the register app; nothing here reads the database itself."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.auth import ANYONE, KEY_OR_SESSION, ApiKeyThrottle
from api.serializers import (
    KEY_REFUSALS,
    ErrorSerializer,
    RegisterEntryPublicSerializer,
    error_example,
)
from api.throttles import PUBLIC_REGISTER_THROTTLES
from register import registration_numbers
from register.selectors import public as public_register

ENTRY_EXAMPLE = {
    "registration_number": "CR1000001H",
    "full_name": "Amira Care-Worker",
    "status": "registered",
    "status_label": "Registered",
    "registered_from": "2026-01-05",
    "renewal_due": "2027-01-05",
    "role": "Care or support worker",
    "suspended_until": None,
    "suspension_kind": None,
    "removal_kind": None,
    "sanction_category": None,
    "conditions": [],
    "warnings": [],
    "annotations": [],
}

# A worker with fitness to practise outcomes: a condition and a warning, each with the category
# of the concern. One about health would not be shown at all.
ENTRY_WITH_OUTCOMES_EXAMPLE = {
    **ENTRY_EXAMPLE,
    "status": "registered_with_conditions",
    "status_label": "Registered with conditions",
    "conditions": [
        {
            "text": "Must not give medicines without supervision.",
            "until": "2027-06-30",
            "category": "Poor practice",
        }
    ],
    "warnings": [
        {
            "text": "Recorded visits that did not take place.",
            "until": "2027-03-31",
            "category": "Dishonesty",
        }
    ],
}

THROTTLED = OpenApiResponse(
    ErrorSerializer, description="Too many requests: 120 a minute. Retry-After says when to retry."
)
THROTTLED_EXAMPLE = error_example(
    "Too many requests",
    429,
    "throttled",
    "Request was throttled. Expected available in 42 seconds.",
)


class RegisterSearchApi(APIView):
    """Search the public register by registration number, or by name with an optional town."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    throttle_classes = [*PUBLIC_REGISTER_THROTTLES, ApiKeyThrottle]
    # Open to anyone without a key; a key needs the scope.
    required_scope = "register:read"

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(
            max_length=200,
            help_text=(
                "A registration number, or a name: each word must be the start of a word of "
                "the name, so 'jan smi' finds Jane Smith."
            ),
        )
        town = serializers.CharField(
            max_length=100, required=False, allow_blank=True, default="", help_text="Optional."
        )
        page = serializers.IntegerField(min_value=1, required=False, default=1)

    @extend_schema_serializer(component_name="RegisterSearchResult")
    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField(
            help_text=f"Matches, counted up to {public_register.COUNT_LIMIT:,}."
        )
        count_is_capped = serializers.BooleanField(
            help_text=f"True when more than {public_register.COUNT_LIMIT:,} entries match; "
            "only those are paged through. Add a town or more of the name to narrow it."
        )
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = RegisterEntryPublicSerializer(many=True)

    @extend_schema(
        operation_id="register_search",
        summary="Search the public register",
        description="By registration number (looked up exactly, after checking its check "
        "letter), or by name: every word typed must appear in the name, so `jo smi` finds "
        "Joanne Smithson. Results come in name order, 20 a page; follow `next` and `previous`. "
        "Open to anyone; the public register shows no dates of birth, addresses or contact "
        "details.",
        parameters=[FilterSerializer],
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="No query, too short a name, or a mistyped number."
            ),
            **KEY_REFUSALS,
            429: THROTTLED,
        },
        examples=[
            OpenApiExample(
                "One match",
                value={
                    "count": 1,
                    "count_is_capped": False,
                    "next": None,
                    "previous": None,
                    "results": [ENTRY_EXAMPLE],
                },
                response_only=True,
            ),
            error_example(
                "A mistyped number",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={
                    "q": ["CR1000001A is not a valid registration number: check it for typos."]
                },
            ),
            THROTTLED_EXAMPLE,
        ],
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        try:
            result = public_register.public_register_search(
                query=filters.validated_data["q"],
                town=filters.validated_data["town"],
                page=filters.validated_data["page"],
            )
        except public_register.PublicSearchError as error:
            raise serializers.ValidationError({"q": [str(error)]}) from error
        url = request.build_absolute_uri()
        output = self.OutputSerializer(
            {
                "count": result.count,
                "count_is_capped": result.count_is_capped,
                "next": replace_query_param(url, "page", result.page + 1)
                if result.has_next
                else None,
                "previous": _previous_page_url(url, result.page) if result.has_previous else None,
                "results": result.results,
            }
        )
        return Response(output.data)


def _previous_page_url(url: str, page: int) -> str:
    # The first page's address has no page parameter, as with DRF's own pagination.
    if page - 1 == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", page - 1)


class RegisterEntryApi(APIView):
    """One entry of the public register. Unknown numbers and entries not on the public
    register are both a 404."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = ANYONE
    throttle_classes = [*PUBLIC_REGISTER_THROTTLES, ApiKeyThrottle]
    # Open to anyone without a key; a key needs the scope.
    required_scope = "register:read"

    # The same shape as each search result, so a client reads both with one model.
    OutputSerializer = RegisterEntryPublicSerializer

    @extend_schema(
        operation_id="register_entry",
        parameters=[
            OpenApiParameter(
                "registration_number",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Like CR1000001H; lower case, spaces and dashes are ignored.",
            )
        ],
        summary="One entry of the public register",
        description="The same shape as each search result. Unknown numbers and entries not on "
        "the public register (such as a worker who left of their own accord) are both a 404, "
        "so nobody learns which. Open to anyone.",
        responses={
            200: OutputSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No such entry on the register."),
            **KEY_REFUSALS,
            429: THROTTLED,
        },
        examples=[
            OpenApiExample("A registered worker", value=ENTRY_EXAMPLE, response_only=True),
            OpenApiExample(
                "A worker with a condition and a warning",
                value=ENTRY_WITH_OUTCOMES_EXAMPLE,
                response_only=True,
            ),
            error_example(
                "Unknown number",
                404,
                "not_found",
                "No entry on the public register has that registration number.",
            ),
            THROTTLED_EXAMPLE,
        ],
    )
    def get(self, request: Request, registration_number: str) -> Response:
        entry = public_register.public_entry_get(
            registration_number=registration_numbers.normalise(registration_number)
        )
        return Response(self.OutputSerializer(entry).data)
