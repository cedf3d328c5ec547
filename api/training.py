"""Training records over the API: a training provider records and revokes training, and a worker
reads their own records with where each stands today.

Transport only. The rules are passports.services.records', the same the provider's pages use:
the worker is matched by registration number and date of birth, and a mismatch of either gets
the same answer. Records are found through passports.selectors, which give a 404 for a record
the caller may not act on.

A training provider's systems may use an API key of the provider (`training:read`,
`training:write`): the provider is then the key's organisation, and naming any other is
answered as it is for a person who does not record for it. With a session, what the signed-in
person may do is decided by accounts.permissions, as on the HTML pages.
"""

from django.http import Http404
from django.urls import path
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
from rest_framework.views import APIView

from api.auth import KEY_OR_SESSION, SIGNED_IN, ApiKeyThrottle
from api.errors import raise_service_error
from api.serializers import AUTHENTICATION_ERRORS, ErrorSerializer, error_example
from api.throttles import TrainingRecordsThrottle
from core.errors import ApplicationError
from employers.models import ApiKey
from passports import selectors
from passports.models import TrainingRecord
from passports.services import records as services
from register.selectors.register import own_entry_get

THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests: 600 a minute.")


@extend_schema_serializer(component_name="TrainingStandardSummary")
class StandardSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Like care-certificate-01.")
    title = serializers.CharField()


@extend_schema_serializer(component_name="ProviderTrainingRecord")
class ProviderRecordSerializer(serializers.Serializer):
    """A record as the provider that made it sees it."""

    id = serializers.IntegerField()
    registration_number = serializers.CharField(source="entry.registration_number")
    standard = StandardSerializer()
    completed_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True, help_text="Null if it never expires.")
    status = serializers.ChoiceField(choices=TrainingRecord.Status.choices)
    status_reason = serializers.CharField(
        allow_blank=True, help_text="Why it was revoked or rejected; blank otherwise."
    )
    provider = serializers.IntegerField(source="provider_id")
    recorded_at = serializers.DateTimeField()


PROVIDER_RECORD_EXAMPLE = {
    "id": 42,
    "registration_number": "CR1000001H",
    "standard": {
        "code": "care-certificate-01",
        "title": "Care Certificate standard 1: Understand your role",
    },
    "completed_on": "2026-11-02",
    "expires_on": None,
    "status": "verified",
    "status_reason": "",
    "provider": 7,
    "recorded_at": "2026-11-03T09:15:00Z",
}


class TrainingRecordsApi(APIView):
    """A training provider's records: list them, or record one more."""

    # Reading the provider's own list needs only the read scope.
    required_scope = {"GET": "training:read", "POST": "training:write"}
    authentication_classes = KEY_OR_SESSION
    permission_classes = SIGNED_IN
    throttle_classes = [TrainingRecordsThrottle, ApiKeyThrottle]

    class FilterSerializer(serializers.Serializer):
        provider = serializers.IntegerField(
            required=False,
            help_text="The id of the training provider organisation you record for. Needed "
            "with a session; with an API key it is the key's organisation if left out.",
        )

    @extend_schema_serializer(component_name="TrainingRecordCreateRequest")
    class InputSerializer(serializers.Serializer):
        provider = serializers.IntegerField(
            required=False,
            help_text="The id of the training provider organisation you record for. Needed "
            "with a session; with an API key it is the key's organisation if left out.",
        )
        registration_number = serializers.CharField(
            max_length=20, help_text="The worker's registration number, like CR1000001H."
        )
        date_of_birth = serializers.DateField(
            help_text="The worker's date of birth. With the number, it must match the register."
        )
        standard = serializers.SlugRelatedField(
            slug_field="code",
            queryset=selectors.standards_active(),
            help_text="The code of an active training standard.",
            error_messages={
                "does_not_exist": "There is no training standard in use with the code {value}.",
            },
        )
        completed_on = serializers.DateField(help_text="Today or earlier.")

    @extend_schema_serializer(component_name="ProviderTrainingRecordList")
    class ListSerializer(serializers.Serializer):
        results = ProviderRecordSerializer(many=True)

    @extend_schema(
        operation_id="training_records_list",
        summary="List a provider's most recent training records",
        description="The 100 records the provider recorded most recently, newest first. Only "
        "members of the provider may list them; to anyone else the provider does not exist "
        "(404). With an API key (`training:read`), the provider is the key's organisation.",
        parameters=[FilterSerializer],
        responses={
            200: ListSerializer,
            400: ErrorSerializer,
            **AUTHENTICATION_ERRORS,
            429: THROTTLED,
            404: OpenApiResponse(ErrorSerializer, description="No such training provider."),
        },
        examples=[
            OpenApiExample(
                "The provider's records",
                value={"results": [PROVIDER_RECORD_EXAMPLE]},
                response_only=True,
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        provider_id = _provider_id(request, filters.validated_data.get("provider"))
        if isinstance(request.auth, ApiKey) and provider_id != request.auth.organisation_id:
            raise Http404("No such training provider.")
        provider = selectors.provider_get(user=request.user, pk=provider_id)
        records = selectors.provider_records(user=request.user, provider=provider)
        return Response(self.ListSerializer({"results": records}).data)

    @extend_schema(
        operation_id="training_record_create",
        summary="Record training a provider delivered",
        description="Records one piece of training for the worker with this registration "
        "number and date of birth; the record is verified at once. Only a provider a registrar "
        "has approved may record (403 until then). If the number and date of birth do not "
        "match a worker on the register, the answer is the same whichever of the two is wrong, "
        "and it counts towards a daily limit of such failures, per provider and per person: "
        "past it, every request is refused (429) until midnight, UK time. "
        "Only members of the provider may record for it; with an API key (`training:write`), "
        "the provider is the key's organisation.",
        request=InputSerializer,
        responses={
            201: ProviderRecordSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="A value is missing or wrong, no worker matches, or the training "
                "is already recorded.",
            ),
            **AUTHENTICATION_ERRORS,
            403: OpenApiResponse(
                ErrorSerializer,
                description="Not allowed: the API key lacks the scope this needs, or, with a "
                "session, a missing CSRF token; or the provider is not approved by a registrar, "
                "so it cannot record.",
            ),
            429: OpenApiResponse(
                ErrorSerializer,
                description="Too many requests (600 a minute), or too many workers who did not "
                "match today: recording is paused until tomorrow.",
            ),
        },
        examples=[
            OpenApiExample(
                "Training to record",
                value={
                    "provider": 7,
                    "registration_number": "CR1000001H",
                    "date_of_birth": "1990-05-17",
                    "standard": "care-certificate-01",
                    "completed_on": "2026-11-02",
                },
                request_only=True,
            ),
            OpenApiExample("Recorded", value=PROVIDER_RECORD_EXAMPLE, response_only=True),
            error_example(
                "No worker matches",
                400,
                "refused",
                "No registered worker matches that registration number and date of birth",
            ),
            error_example(
                "A wrong value",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={"completed_on": ["The completion date must be today or in the past"]},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        provider = _provider_for(request, data.pop("provider", None))
        try:
            record = services.training_record_create_by_provider(
                provider=provider, recorded_by=request.user, **data
            )
        except services.ProviderNotApproved as error:
            raise_service_error(error, status=403)
        except services.MatchLockedOut as error:
            raise_service_error(error, status=429)
        except ApplicationError as error:
            raise_service_error(error)
        return Response(ProviderRecordSerializer(record).data, status=201)


def _provider_id(request: Request, given: int | None) -> int:
    if given is not None:
        return given
    if isinstance(request.auth, ApiKey):
        return request.auth.organisation_id
    raise serializers.ValidationError({"provider": ["This field is required."]})


def _provider_for(request: Request, provider_id: int | None):
    # The provider comes in the body, so a provider the caller does not record for is a
    # refused value, said the same way whether or not it exists. A key records only for its
    # own organisation, whatever else its maker belongs to.
    provider_id = _provider_id(request, provider_id)
    try:
        if isinstance(request.auth, ApiKey) and provider_id != request.auth.organisation_id:
            raise Http404
        return selectors.provider_get(user=request.user, pk=provider_id)
    except Http404:
        raise serializers.ValidationError(
            {"provider": ["You do not record for a training provider with that id."]}
        ) from None


class TrainingRecordRevokeApi(APIView):
    """A provider revokes a verified record it made, giving the reason the worker will see."""

    required_scope = "training:write"
    authentication_classes = KEY_OR_SESSION
    permission_classes = SIGNED_IN
    throttle_classes = [TrainingRecordsThrottle, ApiKeyThrottle]

    @extend_schema_serializer(component_name="TrainingRecordRevokeRequest")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(
            max_length=2000, help_text="Why it is revoked. The worker is told, in these words."
        )

    @extend_schema(
        operation_id="training_record_revoke",
        summary="Revoke a training record",
        description="Only a verified record can be revoked, and only by members of the provider "
        "that recorded it. Any other record, including another provider's, is a 404. With an "
        "API key (`training:write`), only records of the key's organisation.",
        parameters=[
            OpenApiParameter("record_id", OpenApiTypes.INT, OpenApiParameter.PATH),
        ],
        request=InputSerializer,
        responses={
            200: ProviderRecordSerializer,
            400: ErrorSerializer,
            **AUTHENTICATION_ERRORS,
            429: THROTTLED,
            404: OpenApiResponse(ErrorSerializer, description="No such record."),
            409: OpenApiResponse(
                ErrorSerializer, description="The record is not verified, so cannot be revoked."
            ),
        },
        examples=[
            OpenApiExample(
                "A reason",
                value={"reason": "The course was not completed: recorded in error."},
                request_only=True,
            ),
            OpenApiExample(
                "Revoked",
                value={
                    **PROVIDER_RECORD_EXAMPLE,
                    "status": "revoked",
                    "status_reason": "The course was not completed: recorded in error.",
                },
                response_only=True,
            ),
            error_example(
                "Already revoked",
                409,
                "refused",
                "Only a verified record can be revoked, and this one is revoked.",
            ),
        ],
    )
    def post(self, request: Request, record_id: int) -> Response:
        record = selectors.record_get_for_provider_member(user=request.user, pk=record_id)
        if isinstance(request.auth, ApiKey) and record.provider_id != request.auth.organisation_id:
            raise Http404("No such record.")
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            record = services.training_record_revoke(
                record=record, by=request.user, reason=given.validated_data["reason"]
            )
        except services.TrainingRecordError as error:
            raise_service_error(error, status=409)
        return Response(ProviderRecordSerializer(record).data)


@extend_schema_serializer(component_name="OwnTrainingRecord")
class OwnRecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    standard = StandardSerializer()
    completed_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True, help_text="Null if it never expires.")
    status = serializers.ChoiceField(choices=TrainingRecord.Status.choices)
    status_reason = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(
        choices=["valid", "due", "expired"],
        allow_null=True,
        help_text="Where a verified record stands today: valid, due (expires within 60 days) "
        "or expired. Null for records that do not count (unverified, rejected, revoked).",
    )
    state_label = serializers.CharField(
        allow_null=True, help_text='Like "Expired on 1 March 2026".'
    )
    provider_name = serializers.CharField(help_text="Who delivered it.")


@extend_schema_serializer(component_name="NeededTraining")
class NeededSerializer(serializers.Serializer):
    standard = StandardSerializer()
    reason = serializers.CharField(help_text='Like "Not recorded yet".')


def _own_record(record: TrainingRecord, state) -> dict:
    return {
        "id": record.pk,
        "standard": record.standard,
        "completed_on": record.completed_on,
        "expires_on": record.expires_on,
        "status": record.status,
        "status_reason": record.status_reason,
        "state": state.state if state else None,
        "state_label": state.label if state else None,
        "provider_name": record.provider.name if record.provider_id else record.provider_name,
    }


class OwnTrainingRecordsApi(APIView):
    """The signed-in worker's own training records, and where they stand today."""

    # Closed to keys: a key acts for an organisation, which has no training of its own.
    required_scope = None
    authentication_classes = KEY_OR_SESSION
    permission_classes = SIGNED_IN
    throttle_classes = [TrainingRecordsThrottle]

    @extend_schema_serializer(component_name="OwnTraining")
    class OutputSerializer(serializers.Serializer):
        registration_number = serializers.CharField()
        today = serializers.DateField(help_text="The day the states are worked out for.")
        records = OwnRecordSerializer(many=True)
        needed = NeededSerializer(
            many=True,
            help_text="Training the worker's role requires that they do not hold today.",
        )

    @extend_schema(
        operation_id="own_training_records",
        summary="Your own training records",
        description="Every training record of the signed-in worker, verified ones first with "
        "where each stands today, then those that do not count. A person who is not on the "
        "register gets a 404. A person signed in only: API keys are refused (403).",
        responses={
            200: OutputSerializer,
            **AUTHENTICATION_ERRORS,
            429: THROTTLED,
            404: OpenApiResponse(ErrorSerializer, description="You are not on the register."),
        },
        examples=[
            OpenApiExample(
                "A worker's training",
                value={
                    "registration_number": "CR1000001H",
                    "today": "2026-12-01",
                    "records": [
                        {
                            "id": 42,
                            "standard": {
                                "code": "care-certificate-01",
                                "title": "Care Certificate standard 1: Understand your role",
                            },
                            "completed_on": "2026-11-02",
                            "expires_on": None,
                            "status": "verified",
                            "status_reason": "",
                            "state": "valid",
                            "state_label": "Valid",
                            "provider_name": "Skills for Caring Ltd",
                        }
                    ],
                    "needed": [
                        {
                            "standard": {
                                "code": "safeguarding-adults",
                                "title": "Safeguarding adults",
                            },
                            "reason": "Not recorded yet",
                        }
                    ],
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        entry = own_entry_get(user=request.user)
        page = selectors.passport_page(user=request.user, entry=entry)
        training = page.training
        records = [_own_record(state.record, state) for state in training.counted]
        records += [_own_record(record, None) for record in training.not_counted]
        output = self.OutputSerializer(
            {
                "registration_number": entry.registration_number,
                "today": training.today,
                "records": records,
                "needed": [
                    {"standard": needed.standard, "reason": needed.reason}
                    for needed in training.needed
                ],
            }
        )
        return Response(output.data)


urlpatterns = [
    path("training-records/", TrainingRecordsApi.as_view(), name="training-records"),
    path(
        "training-records/<int:record_id>/revoke",
        TrainingRecordRevokeApi.as_view(),
        name="training-record-revoke",
    ),
    path(
        "me/training-records/",
        OwnTrainingRecordsApi.as_view(),
        name="own-training-records",
    ),
]
