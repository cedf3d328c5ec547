"""The employer's staff list over the API: GET/POST /api/v1/staff/ and
GET/DELETE /api/v1/staff/<registration number>/.

Transport only: employers.services.staff and employers.selectors hold the rules.
"""

from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import can
from api.auth import KEY_ONLY, SIGNED_IN, ApiKeyThrottle
from api.serializers import KEY_AUTHENTICATION_ERRORS, ErrorSerializer, error_example
from core.errors import ApplicationError
from employers import selectors as selectors
from employers.services import staff
from employers.services.verification import EmployerNotVerified, employer_is_verified
from register import registration_numbers
from register.models import RegisterEntry

REGISTRATION_NUMBER = OpenApiParameter(
    "registration_number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="Like CR1000001H; lower case, spaces and dashes are ignored.",
)


@extend_schema_serializer(component_name="TrainingAttention")
class TrainingAttentionSerializer(serializers.Serializer):
    standard = serializers.CharField(source="record.standard.code")
    title = serializers.CharField(source="record.standard.title")
    expires_on = serializers.DateField(source="record.expires_on")
    state = serializers.ChoiceField(choices=["due", "expired"])
    label = serializers.CharField()


@extend_schema_serializer(component_name="StaffMember")
class StaffMemberSerializer(serializers.Serializer):
    registration_number = serializers.CharField(source="entry.registration_number")
    full_name = serializers.CharField(source="entry.full_name")
    status = serializers.ChoiceField(source="entry.status", choices=RegisterEntry.Status.choices)
    status_label = serializers.CharField(source="entry.get_status_display")
    may_practise = serializers.BooleanField(source="entry.may_practise")
    next_expiry = serializers.DateField(
        allow_null=True, help_text="The next expiry still to come; never a date already past."
    )
    expired_on = serializers.DateField(
        allow_null=True,
        help_text="When some training has already expired, the earliest such expiry.",
    )
    training_attention = TrainingAttentionSerializer(
        source="attention", many=True, help_text="Training due within 60 days or expired."
    )
    added_at = serializers.DateTimeField(source="membership.added_at")


STAFF_MEMBER_EXAMPLE = {
    "registration_number": "CR1000001H",
    "full_name": "Amira Care-Worker",
    "status": "registered",
    "status_label": "Registered",
    "may_practise": True,
    "next_expiry": "2027-03-01",
    "expired_on": None,
    "training_attention": [
        {
            "standard": "fire-safety",
            "title": "Fire safety",
            "expires_on": "2027-01-20",
            "state": "due",
            "label": "Due by 20 January 2027",
        }
    ],
    "added_at": "2026-11-03T09:15:00Z",
}


def _organisation(request: Request):
    organisation = request.auth.organisation
    if not can(request.user, "staff.view", organisation):
        raise ApiPermissionDenied("Only an employer's keys have a staff list.")
    if not employer_is_verified(organisation):
        raise ApiPermissionDenied(str(EmployerNotVerified(organisation)))
    return organisation


def _row_for(request: Request, organisation, registration_number: str):
    number = registration_numbers.normalise(registration_number)
    rows = selectors.staff_dashboard(
        user=request.user, organisation=organisation, today=timezone.localdate()
    )
    for row in rows:
        if row.entry.registration_number == number:
            return row
    raise Http404("No such worker on the staff list.")


class StaffListApi(APIView):
    """The staff list (staff:read), or add a worker to it (staff:write) with the check_id of
    an accepted share code check: the worker's consent."""

    authentication_classes = KEY_ONLY
    permission_classes = SIGNED_IN
    throttle_classes = [ApiKeyThrottle]
    required_scope = {"GET": "staff:read", "POST": "staff:write"}

    class FilterSerializer(serializers.Serializer):
        sort = serializers.ChoiceField(
            choices=sorted(selectors.SORTS), required=False, default="name"
        )

    @extend_schema_serializer(component_name="StaffAddRequest")
    class InputSerializer(serializers.Serializer):
        check_id = serializers.IntegerField(
            help_text="From POST /api/v1/share-codes/check, for a code that is still live."
        )

    @extend_schema(
        operation_id="staff_list",
        summary="Your staff list",
        description="With an API key of an employer holding `staff:read`: every worker on "
        "the employer's staff list, with their registration status and the training that is "
        "due within 60 days or expired. A key of an organisation that is not an employer gets "
        "a 403. Keys only: no session.",
        parameters=[FilterSerializer],
        responses={
            200: StaffMemberSerializer(many=True),
            400: ErrorSerializer,
            **KEY_AUTHENTICATION_ERRORS,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample("The staff list", value=[STAFF_MEMBER_EXAMPLE], response_only=True),
            error_example(
                "Not an employer's key",
                403,
                "permission_denied",
                "Only an employer's keys have a staff list.",
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = selectors.staff_dashboard(
            user=request.user,
            organisation=_organisation(request),
            today=timezone.localdate(),
            sort=filters.validated_data["sort"],
        )
        return Response(StaffMemberSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="staff_add",
        summary="Add a worker to your staff list",
        description="With an API key of an employer holding `staff:write`. Send the "
        "`check_id` of an accepted share code check (POST /api/v1/share-codes/check) whose "
        "code is still live: the worker's consent. A check of another organisation is a 404.",
        request=InputSerializer,
        responses={
            201: StaffMemberSerializer,
            400: ErrorSerializer,
            **KEY_AUTHENTICATION_ERRORS,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample("An accepted check", value={"check_id": 1234}, request_only=True),
            OpenApiExample("Added", value=STAFF_MEMBER_EXAMPLE, response_only=True),
            error_example(
                "The code is no longer live",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={"check_id": ["The share code has expired. Ask the worker for a new one."]},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        organisation = _organisation(request)
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        check = selectors.check_get_for_organisation(
            user=request.user, organisation=organisation, pk=given.validated_data["check_id"]
        )
        try:
            membership = staff.staff_add(
                organisation=organisation, user=request.user, check=check, api_key=request.auth
            )
        except ApplicationError as error:
            raise serializers.ValidationError({"check_id": [str(error)]}) from error
        row = _row_for(request, organisation, membership.entry.registration_number)
        return Response(StaffMemberSerializer(row).data, status=status.HTTP_201_CREATED)


class StaffMemberApi(APIView):
    """One worker on the staff list (staff:read), or take them off it (staff:write)."""

    authentication_classes = KEY_ONLY
    permission_classes = SIGNED_IN
    throttle_classes = [ApiKeyThrottle]
    required_scope = {"GET": "staff:read", "DELETE": "staff:write"}

    @extend_schema(
        operation_id="staff_member",
        summary="One worker on your staff list",
        description="With an API key of an employer holding `staff:read`. A worker who is "
        "not on the list (or was removed from it) is a 404.",
        parameters=[REGISTRATION_NUMBER],
        responses={
            200: StaffMemberSerializer,
            **KEY_AUTHENTICATION_ERRORS,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample("A worker", value=STAFF_MEMBER_EXAMPLE, response_only=True),
            error_example("Not on the list", 404, "not_found", "No such worker on the staff list."),
        ],
    )
    def get(self, request: Request, registration_number: str) -> Response:
        row = _row_for(request, _organisation(request), registration_number)
        return Response(StaffMemberSerializer(row).data)

    @extend_schema(
        operation_id="staff_remove",
        summary="Take a worker off your staff list",
        description="With an API key of an employer holding `staff:write`. The worker's "
        "record is no longer shared with the employer from then on.",
        parameters=[REGISTRATION_NUMBER],
        responses={
            204: None,
            **KEY_AUTHENTICATION_ERRORS,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            error_example("Not on the list", 404, "not_found", "No such worker on the staff list."),
        ],
    )
    def delete(self, request: Request, registration_number: str) -> Response:
        organisation = _organisation(request)
        membership = selectors.staff_membership_get(
            user=request.user,
            organisation=organisation,
            registration_number=registration_numbers.normalise(registration_number),
        )
        try:
            staff.staff_remove(membership=membership, user=request.user, api_key=request.auth)
        except ApplicationError as error:
            raise serializers.ValidationError({"registration_number": [str(error)]}) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("staff/", StaffListApi.as_view(), name="staff-list"),
    path("staff/<str:registration_number>/", StaffMemberApi.as_view(), name="staff-member"),
]
