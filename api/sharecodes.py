"""Share codes over the API: POST /api/v1/share-codes/check.

Transport only: the rules, the rate limit and the record of every check are
employers.services.sharecodes', the same the employer's check page uses.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, Throttled
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import KEY_ONLY, SIGNED_IN, ApiKeyThrottle
from api.serializers import KEY_AUTHENTICATION_ERRORS, ErrorSerializer, error_example
from employers.services import sharecodes
from employers.services.verification import EmployerNotVerified
from passports.selectors import TrainingStates
from register.models import RegisterEntry


class ShareCodeNotAcceptedError(APIException):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "share_code_not_accepted"
    default_detail = sharecodes.NOT_ACCEPTED_MESSAGE


@extend_schema_serializer(component_name="SharedTrainingRecord")
class SharedTrainingRecordSerializer(serializers.Serializer):
    standard = serializers.CharField(source="record.standard.code")
    title = serializers.CharField(source="record.standard.title")
    completed_on = serializers.DateField(source="record.completed_on")
    expires_on = serializers.DateField(source="record.expires_on", allow_null=True)
    state = serializers.ChoiceField(choices=["valid", "due", "expired"])
    label = serializers.CharField(help_text='Like "Expired on 1 March 2026".')


@extend_schema_serializer(component_name="SharedIdentityCheck")
class SharedIdentityCheckSerializer(serializers.Serializer):
    check_type = serializers.CharField()
    outcome = serializers.CharField()
    checked_on = serializers.DateField()


def shared_training(training: TrainingStates) -> dict:
    return {
        "records": SharedTrainingRecordSerializer(training.counted, many=True).data,
        "needed": [
            {"standard": item.standard.code, "title": item.standard.title, "reason": item.reason}
            for item in training.needed
        ],
    }


class ShareCodeCheckApi(APIView):
    """Open a worker's record with the share code and date of birth they gave you.

    Unknown, expired and revoked codes and wrong dates of birth all get the same 404, so the
    answer never says whether a code exists. Ten of those an hour, per key's user and per
    address, and further checks get a 429 for the rest of the hour.
    """

    authentication_classes = KEY_ONLY
    permission_classes = SIGNED_IN
    required_scope = "sharecodes:check"
    throttle_classes = [ApiKeyThrottle]

    @extend_schema_serializer(component_name="ShareCodeCheckRequest")
    class InputSerializer(serializers.Serializer):
        code = serializers.CharField(
            max_length=20, help_text="Like ABC-DEF-GHJ; spaces, dashes and case are ignored."
        )
        date_of_birth = serializers.DateField(help_text="The worker's, as YYYY-MM-DD.")

    @extend_schema_serializer(component_name="ShareCodeCheckResult")
    class OutputSerializer(serializers.Serializer):
        check_id = serializers.IntegerField(
            help_text="Send this to POST /api/v1/staff/ to add the worker to your staff list."
        )
        registration_number = serializers.CharField()
        full_name = serializers.CharField()
        status = serializers.ChoiceField(choices=RegisterEntry.Status.choices)
        status_label = serializers.CharField()
        may_practise = serializers.BooleanField()
        renewal_due = serializers.DateField()
        training = serializers.DictField(
            help_text="records: verified training with its state today; needed: what the "
            "worker's role requires and they do not hold today."
        )
        identity_checks = SharedIdentityCheckSerializer(
            many=True,
            allow_null=True,
            help_text="Only when the worker chose to share them; never documents or numbers.",
        )

    @extend_schema(
        operation_id="share_code_check",
        summary="Check a worker's share code",
        description="With an API key holding `sharecodes:check`. Opens the record of the "
        "worker who gave you the code, if the code is live and the date of birth matches: "
        "their registration, the training they hold today and what their role still needs, "
        "and identity checks if they chose to share them. Unknown, expired and revoked codes "
        "and wrong dates of birth all get the same 404. Ten refused checks an hour, and "
        "further checks get a 429 for the rest of the hour. An employer a registrar has not "
        "verified gets a 403 and no code is tried. Keys only: no session.",
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: ErrorSerializer,
            **KEY_AUTHENTICATION_ERRORS,
            404: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "A code and date of birth",
                value={"code": "ABC-DEF-GHJ", "date_of_birth": "1990-05-17"},
                request_only=True,
            ),
            OpenApiExample(
                "A worker's record",
                value={
                    "check_id": 1234,
                    "registration_number": "CR1000001H",
                    "full_name": "Amira Care-Worker",
                    "status": "registered",
                    "status_label": "Registered",
                    "may_practise": True,
                    "renewal_due": "2027-01-05",
                    "training": {
                        "records": [
                            {
                                "standard": "fire-safety",
                                "title": "Fire safety",
                                "completed_on": "2026-11-02",
                                "expires_on": "2027-11-02",
                                "state": "valid",
                                "label": "Valid",
                            }
                        ],
                        "needed": [
                            {
                                "standard": "safeguarding-adults",
                                "title": "Safeguarding adults",
                                "reason": "Not recorded yet",
                            }
                        ],
                    },
                    "identity_checks": None,
                },
                response_only=True,
                status_codes=["200"],
            ),
            error_example(
                "A wrong value",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={"date_of_birth": ["Date has wrong format. Use YYYY-MM-DD."]},
            ),
            error_example(
                "Not accepted", 404, "share_code_not_accepted", sharecodes.NOT_ACCEPTED_MESSAGE
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        given = self.InputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            shared = sharecodes.share_code_check(
                organisation=request.auth.organisation,
                user=request.user,
                code=given.validated_data["code"],
                date_of_birth=given.validated_data["date_of_birth"],
                api_key=request.auth,
            )
        except sharecodes.ShareCodeRateLimited as error:
            raise Throttled(wait=3600, detail=str(error)) from error
        except sharecodes.ShareCodeNotAccepted as error:
            raise ShareCodeNotAcceptedError() from error
        except EmployerNotVerified as error:
            raise ApiPermissionDenied(str(error)) from error
        entry = shared.entry
        output = self.OutputSerializer(
            {
                "check_id": shared.check.pk,
                "registration_number": entry.registration_number,
                "full_name": entry.full_name,
                "status": entry.status,
                "status_label": entry.get_status_display(),
                "may_practise": entry.may_practise,
                "renewal_due": entry.renewal_due,
                "training": shared_training(shared.training),
                "identity_checks": shared.identity_checks,
            }
        )
        return Response(output.data)


urlpatterns = [
    path("share-codes/check", ShareCodeCheckApi.as_view(), name="share-codes-check"),
]
