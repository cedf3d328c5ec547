"""Vacancies over the API: the same search as /jobs/ (GET /api/v1/vacancies/), one advertised
vacancy (GET /api/v1/vacancies/<reference>/), and, with an employer's key holding
`vacancies:write`, a draft created (POST), changed (PATCH) and published (POST …/publish).

Transport only: jobs.search reads the search's parameters and runs it, jobs.selectors.search
finds one vacancy for the caller, and jobs.services.vacancies holds every rule for writing one.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api.auth import KEY_OR_SESSION, ApiKeyThrottle
from api.errors import raise_service_error
from api.scopes import ApiKeyScopePermission
from api.serializers import KEY_AUTHENTICATION_ERRORS, KEY_REFUSALS, ErrorSerializer, error_example
from api.throttles import PUBLIC_VACANCIES_THROTTLES
from core.errors import ApplicationError
from core.pagination import page_with_count
from employers.models import ApiKey
from employers.services.verification import EmployerNotVerified
from jobs.models import Vacancy
from jobs.search import FLAGS, MILES, Hours, Sort, VacancySearchForm, vacancy_search
from jobs.selectors.search import vacancy_for_organisation_get, vacancy_public_get
from jobs.services import vacancies as services
from register.models import PathwayRole

RESULTS_PER_PAGE = 20
SCOPE = "vacancies:write"

REFERENCE = OpenApiParameter(
    "reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The vacancy's reference, like PCBPMPDPDN; lower case is read as upper.",
)


class WritesNeedAnApiKey(permissions.BasePermission):
    """Reading is open to anyone; writing is done with an employer's API key, which speaks for
    its organisation (a person writes vacancies on the pages)."""

    message = (
        "Vacancies are written over the API with an employer's API key holding "
        f"{SCOPE}; a person signed in writes them on the jobs pages."
    )

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        # Without credentials this is a 401 with its challenge; with a session, a 403.
        return isinstance(request.auth, ApiKey)


PERMISSIONS = [WritesNeedAnApiKey, ApiKeyScopePermission]


def _place(vacancy: Vacancy) -> dict:
    return {
        "name": vacancy.workplace_name,
        "address_line": vacancy.address_line,
        "town": vacancy.town,
        "postcode": vacancy.postcode,
        "latitude": vacancy.latitude,
        "longitude": vacancy.longitude,
    }


@extend_schema_serializer(component_name="VacancyWorkplace")
class WorkplaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    address_line = serializers.CharField()
    town = serializers.CharField()
    postcode = serializers.CharField()
    latitude = serializers.FloatField(
        allow_null=True, help_text="Of the postcode (or its district, or the town)."
    )
    longitude = serializers.FloatField(allow_null=True)


@extend_schema_serializer(component_name="VacancyPay")
class PaySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        source="pay_kind", choices=Vacancy.PayKind.choices, allow_blank=True
    )
    amount = serializers.DecimalField(
        source="pay_amount",
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="The hourly rate, a band's lowest hourly rate, or the (lowest) annual pay.",
    )
    amount_to = serializers.DecimalField(
        source="pay_amount_to",
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="A band's highest hourly rate, or the top of an annual range.",
    )
    hourly_rate = serializers.DecimalField(
        source="search_hourly_pay",
        max_digits=9,
        decimal_places=2,
        allow_null=True,
        help_text="What a worker can count on for each hour they give, in pounds: the effective "
        "rate after unpaid travel between home care visits, a band's lowest rate, or annual pay "
        "over the typical hours × 52.14 weeks. `min_pay` and `sort=pay` use it.",
    )
    travel_time_paid = serializers.BooleanField(
        allow_null=True, help_text="Home care only: is travel between visits paid?"
    )
    unpaid_travel_minutes_per_hour = serializers.IntegerField(allow_null=True)


@extend_schema_serializer(component_name="VacancyRole")
class RoleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


@extend_schema_serializer(component_name="Vacancy")
class VacancySerializer(serializers.Serializer):
    """A vacancy's structured terms, as its page shows them."""

    reference = serializers.CharField()
    page = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Vacancy.Status.choices)
    title = serializers.CharField()
    employer = serializers.CharField(source="organisation.name")
    role = RoleSerializer(source="pathway_role", allow_null=True)
    setting = serializers.ChoiceField(choices=Vacancy.Setting.choices, allow_blank=True)
    workplace = serializers.SerializerMethodField()
    distance_miles = serializers.FloatField(
        allow_null=True,
        default=None,
        help_text="From the place searched from, in miles; null without a place.",
    )
    pay = PaySerializer(source="*")
    contract = serializers.ChoiceField(choices=Vacancy.Contract.choices, allow_blank=True)
    contract_label = serializers.CharField(source="get_contract_display")
    guaranteed_hours = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    typical_hours = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    works_days = serializers.BooleanField()
    works_nights = serializers.BooleanField()
    works_weekends = serializers.BooleanField()
    shift_length_hours = serializers.DecimalField(max_digits=3, decimal_places=1, allow_null=True)
    driving_needed = serializers.BooleanField(allow_null=True)
    mileage_pence_per_mile = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True
    )
    sick_pay_beyond_statutory = serializers.BooleanField(allow_null=True)
    sick_pay_details = serializers.CharField(allow_blank=True)
    dbs_paid_by = serializers.ChoiceField(choices=Vacancy.DbsPaidBy.choices, allow_blank=True)
    dbs_stay_months = serializers.IntegerField(allow_null=True)
    dbs_terms = serializers.CharField(allow_blank=True)
    visa_sponsorship = serializers.ChoiceField(
        choices=Vacancy.VisaSponsorship.choices, allow_blank=True
    )
    paid_trial_offered = serializers.BooleanField(allow_null=True)
    closing_date = serializers.DateField(allow_null=True)
    start_date = serializers.DateField(allow_null=True)
    description = serializers.CharField(allow_blank=True)
    safeguarding_commitment = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, vacancy) -> str:
        return self.context["request"].build_absolute_uri(f"/jobs/{vacancy.reference}/")

    @extend_schema_field(WorkplaceSerializer)
    def get_workplace(self, vacancy) -> dict:
        return WorkplaceSerializer(_place(vacancy)).data


@extend_schema_serializer(component_name="VacancyWrite")
class VacancyWriteSerializer(serializers.ModelSerializer):
    """The terms an employer writes, every one optional on a draft: publishing names what is
    still missing. The model's own limits apply (jobs.models.Vacancy)."""

    pathway_role = serializers.SlugRelatedField(
        slug_field="code",
        queryset=PathwayRole.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="The Care Workforce Pathway role's code, like care-worker.",
    )

    class Meta:
        model = Vacancy
        fields = services.EDITABLE_FIELDS


SEARCH_PARAMETERS = [
    OpenApiParameter("keyword", OpenApiTypes.STR, description="Words to find, in any case."),
    OpenApiParameter(
        "where",
        OpenApiTypes.STR,
        description="A full postcode, a postcode district (LS1) or a town.",
    ),
    OpenApiParameter(
        "miles", OpenApiTypes.INT, enum=list(MILES), description="10 when `where` is given."
    ),
    OpenApiParameter("role", OpenApiTypes.STR, description="A role's code (or its id)."),
    OpenApiParameter("setting", OpenApiTypes.STR, enum=Vacancy.Setting.values),
    OpenApiParameter(
        "contract",
        {"type": "array", "items": {"type": "string", "enum": Vacancy.Contract.values}},
        explode=True,
        description="Repeat for more than one.",
    ),
    OpenApiParameter(
        "min_pay", OpenApiTypes.STR, description="The lowest hourly pay in pounds, like 12.50."
    ),
    OpenApiParameter(
        "hours",
        OpenApiTypes.STR,
        enum=[value for value, _ in Hours.CHOICES],
        description="; ".join(f"{value}: {label}" for value, label in Hours.CHOICES),
    ),
    *[
        OpenApiParameter(flag, OpenApiTypes.BOOL, description=label)
        for flag, label in FLAGS.items()
    ],
    OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=[value for value, _ in Sort.CHOICES],
        description="distance (the default with `where`), newest (the default) or pay.",
    ),
    OpenApiParameter("page", OpenApiTypes.INT, description="From 1; 20 results a page."),
]

VACANCY_EXAMPLE = {
    "reference": "PCBPMPDPDN",
    "page": "https://register.example.org/jobs/PCBPMPDPDN/",
    "status": "published",
    "title": "Home care worker",
    "employer": "Sunrise Care Ltd",
    "role": {"code": "care-worker", "title": "Care or support worker"},
    "setting": "home_care",
    "workplace": {
        "name": "Sunrise Care Leeds",
        "address_line": "1 High Street",
        "town": "Leeds",
        "postcode": "LS1 4AP",
        "latitude": 53.7969,
        "longitude": -1.547,
    },
    "distance_miles": 2.4,
    "pay": {
        "kind": "hourly",
        "amount": "15.00",
        "amount_to": None,
        "hourly_rate": "12.85",
        "travel_time_paid": False,
        "unpaid_travel_minutes_per_hour": 10,
    },
    "contract": "permanent",
    "contract_label": "Permanent",
    "guaranteed_hours": "30.0",
    "typical_hours": "37.5",
    "works_days": True,
    "works_nights": False,
    "works_weekends": True,
    "shift_length_hours": "8.0",
    "driving_needed": True,
    "mileage_pence_per_mile": "30.0",
    "sick_pay_beyond_statutory": False,
    "sick_pay_details": "",
    "dbs_paid_by": "employer",
    "dbs_stay_months": None,
    "dbs_terms": "The employer pays for your DBS check.",
    "visa_sponsorship": "none",
    "paid_trial_offered": True,
    "closing_date": "2027-01-31",
    "start_date": "2027-02-15",
    "description": "Visit people in their homes across north Leeds.",
    "safeguarding_commitment": "We are committed to safeguarding the adults we support.",
    "published_at": "2026-12-07T09:00:00Z",
}

NOT_FOUND = error_example("No such vacancy", 404, "not_found", "No vacancy with that reference.")
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests: 120 a minute.")
# A key's writes: no key (401), a key without the scope or a person signed in (403).
WRITE_REFUSALS = {
    401: KEY_AUTHENTICATION_ERRORS[401],
    403: OpenApiResponse(
        ErrorSerializer,
        description="The API key lacks vacancies:write, its organisation is not a verified "
        "employer, or the caller is a person signed in (who writes vacancies on the pages).",
    ),
}


def _refused(error: services.VacancyError):
    if isinstance(error, services.VacancyInvalid):
        raise serializers.ValidationError(
            {field: [message] for field, message in error.problems.items()}
        ) from error
    if isinstance(error, services.VacancyStatusError):
        raise_service_error(error, status=409)
    raise_service_error(error)


def _write(action, **kwargs) -> Vacancy:
    """Call a vacancy service, its refusals in the API's error format."""
    try:
        return action(**kwargs)
    except EmployerNotVerified as error:
        raise ApiPermissionDenied(str(error)) from error
    except services.VacancyError as error:
        _refused(error)
    except ApplicationError as error:
        # Such as no pay floor recorded for today: said in words, for the employer to pass on.
        raise_service_error(error)


def _previous_page_url(url: str, page: int) -> str:
    if page - 1 == 1:
        return remove_query_param(url, "page")
    return replace_query_param(url, "page", page - 1)


class VacanciesApi(APIView):
    """Search the advertised vacancies (anyone), or create a draft (an employer's key)."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = PERMISSIONS
    throttle_classes = [*PUBLIC_VACANCIES_THROTTLES, ApiKeyThrottle]
    # Open to anyone without a key; a key reads and writes with vacancies:write.
    required_scope = SCOPE

    @extend_schema_serializer(component_name="VacancySearchResult")
    class OutputSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        next = serializers.URLField(allow_null=True)
        previous = serializers.URLField(allow_null=True)
        results = VacancySerializer(many=True)

    @extend_schema(
        operation_id="vacancies_search",
        summary="Search the advertised vacancies",
        description="The search of /jobs/, with the same parameters: vacancies published and "
        "not past their closing date, within a distance of a postcode, a postcode district or a "
        "town, filtered by their terms and sorted by distance, newest or hourly pay. 20 a page; "
        "follow `next` and `previous`. Open to anyone; a key needs vacancies:write.",
        parameters=SEARCH_PARAMETERS,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="A parameter that cannot be read, a place that cannot be found, "
                "or a page past the last.",
            ),
            **KEY_REFUSALS,
            429: THROTTLED,
        },
        examples=[
            OpenApiExample(
                "Home care near Leeds",
                value={"count": 1, "next": None, "previous": None, "results": [VACANCY_EXAMPLE]},
                response_only=True,
            ),
            error_example(
                "A place not found",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={
                    "where": ["We could not find Atlantis. Try a full postcode or a town name."]
                },
            ),
        ],
    )
    def get(self, request: Request) -> Response:
        form = VacancySearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    name: [str(message) for message in messages]
                    for name, messages in form.errors.items()
                }
            )
        raw_page = request.query_params.get("page", "1")
        page_number = int(raw_page) if raw_page.isdigit() and len(raw_page) < 9 else 0
        # The page and the count of all in one query (core.pagination), as /jobs/ reads them.
        page = page_with_count(
            vacancy_search(criteria=form.criteria()), page_number, RESULTS_PER_PAGE
        )
        paginator = page.paginator
        if page.number != page_number:
            raise serializers.ValidationError(
                {"page": [f"Choose a page from 1 to {max(paginator.num_pages, 1)}."]}
            )
        url = request.build_absolute_uri()
        output = self.OutputSerializer(
            {
                "count": paginator.count,
                "next": replace_query_param(url, "page", page_number + 1)
                if page.has_next()
                else None,
                "previous": _previous_page_url(url, page_number) if page.has_previous() else None,
                "results": page.object_list,
            },
            context={"request": request},
        )
        return Response(output.data)

    @extend_schema(
        operation_id="vacancies_create",
        summary="Create a draft vacancy",
        description="With an API key of a verified employer holding vacancies:write: a draft "
        "of the key's organisation, with whichever terms are sent so far. Terms that do not "
        "fit together are refused, each next to its field. Publish it with "
        "POST /api/v1/vacancies/{reference}/publish.",
        request=VacancyWriteSerializer,
        responses={
            201: VacancySerializer,
            400: ErrorSerializer,
            **WRITE_REFUSALS,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "A draft",
                value={"title": "Home care worker", "setting": "home_care", "postcode": "LS1 4AP"},
                request_only=True,
            ),
            OpenApiExample(
                "Created", value={**VACANCY_EXAMPLE, "status": "draft"}, response_only=True
            ),
            error_example(
                "Terms that do not fit",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={
                    "guaranteed_hours": [
                        "The guaranteed hours cannot be more than the typical hours a week."
                    ]
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        given = VacancyWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        vacancy = _write(
            services.vacancy_create,
            organisation=request.auth.organisation,
            user=request.user,
            data=dict(given.validated_data),
        )
        return Response(
            VacancySerializer(vacancy, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class VacancyApi(APIView):
    """One vacancy: read an advertised one (anyone; a key also its organisation's drafts), or
    change one of the key's organisation's (an employer's key)."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = PERMISSIONS
    throttle_classes = [*PUBLIC_VACANCIES_THROTTLES, ApiKeyThrottle]
    required_scope = SCOPE

    @extend_schema(
        operation_id="vacancy",
        summary="One vacancy",
        description="A published, closed or filled vacancy, open to anyone. With the API key "
        "of the vacancy's employer, its drafts and withdrawn vacancies too. Anything else is a "
        "404.",
        parameters=[REFERENCE],
        responses={200: VacancySerializer, 404: ErrorSerializer, **KEY_REFUSALS, 429: THROTTLED},
        examples=[
            OpenApiExample("A vacancy", value=VACANCY_EXAMPLE, response_only=True),
            NOT_FOUND,
        ],
    )
    def get(self, request: Request, reference: str) -> Response:
        if isinstance(request.auth, ApiKey):
            try:
                vacancy = vacancy_for_organisation_get(
                    user=request.user, organisation=request.auth.organisation, reference=reference
                )
            except (Http404, PermissionDenied):
                # Not one of the key's own: read as anyone may.
                vacancy = vacancy_public_get(reference=reference)
        else:
            vacancy = vacancy_public_get(reference=reference)
        return Response(VacancySerializer(vacancy, context={"request": request}).data)

    @extend_schema(
        operation_id="vacancy_update",
        summary="Change a vacancy",
        description="With an API key of the vacancy's employer holding vacancies:write: send "
        "only the terms that change. A draft may stay incomplete; a published vacancy must "
        "still meet every rule for publishing, with the pay floor in force today. A closed, "
        "filled or withdrawn vacancy cannot be changed (409). Another organisation's vacancy "
        "is a 404.",
        parameters=[REFERENCE],
        request=VacancyWriteSerializer,
        responses={
            200: VacancySerializer,
            400: ErrorSerializer,
            **WRITE_REFUSALS,
            404: ErrorSerializer,
            409: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample(
                "A new closing date", value={"closing_date": "2027-02-28"}, request_only=True
            ),
            OpenApiExample("Changed", value=VACANCY_EXAMPLE, response_only=True),
            NOT_FOUND,
        ],
    )
    def patch(self, request: Request, reference: str) -> Response:
        vacancy = vacancy_for_organisation_get(
            user=request.user, organisation=request.auth.organisation, reference=reference
        )
        given = VacancyWriteSerializer(vacancy, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        vacancy = _write(
            services.vacancy_update,
            vacancy=vacancy,
            user=request.user,
            data=dict(given.validated_data),
        )
        return Response(VacancySerializer(vacancy, context={"request": request}).data)


class VacancyPublishApi(APIView):
    """Publish a draft (an employer's key)."""

    authentication_classes = KEY_OR_SESSION
    permission_classes = PERMISSIONS
    throttle_classes = [ApiKeyThrottle]
    required_scope = {"POST": SCOPE}

    @extend_schema(
        operation_id="vacancy_publish",
        summary="Publish a draft vacancy",
        description="With an API key of the vacancy's employer holding vacancies:write. Every "
        "term must be given, the workplace's postcode found on a map, and the pay (after unpaid "
        "travel, for home care) at least the National Living Wage in force today; what is "
        "missing or wrong is named field by field. Only a draft can be published (409). "
        "Another organisation's vacancy is a 404.",
        parameters=[REFERENCE],
        request=None,
        responses={
            200: VacancySerializer,
            400: ErrorSerializer,
            **WRITE_REFUSALS,
            404: ErrorSerializer,
            409: ErrorSerializer,
            429: ErrorSerializer,
        },
        examples=[
            OpenApiExample("Published", value=VACANCY_EXAMPLE, response_only=True),
            error_example(
                "Pay below the floor",
                400,
                "invalid",
                "Some of the values sent are not valid.",
                fields={
                    "pay_amount": [
                        "The pay of £11.00 an hour is below the National Living Wage of £12.71 "
                        "an hour in force on 7 December 2026. Pay at least £12.71 an hour."
                    ]
                },
            ),
            NOT_FOUND,
        ],
    )
    def post(self, request: Request, reference: str) -> Response:
        vacancy = vacancy_for_organisation_get(
            user=request.user, organisation=request.auth.organisation, reference=reference
        )
        vacancy = _write(services.vacancy_publish, vacancy=vacancy, user=request.user)
        return Response(VacancySerializer(vacancy, context={"request": request}).data)


urlpatterns = [
    path("vacancies/", VacanciesApi.as_view(), name="vacancies"),
    path("vacancies/<str:reference>/", VacancyApi.as_view(), name="vacancy"),
    path("vacancies/<str:reference>/publish", VacancyPublishApi.as_view(), name="vacancy-publish"),
]
