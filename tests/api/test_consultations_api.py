"""Consultations over the API: the open list, one consultation's questions, and a whole
response in one request, exactly once."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.consultations import ConsultationResponseApi, plain_answers_validated
from consultations.models import Consultation, Response
from employers.services import api_keys
from tests.api.conftest import error_of
from tests.factories import ConsultationFactory, answers, option_id, question

pytestmark = pytest.mark.django_db


def body(consultation, **choices) -> dict:
    """The service's answers in the API's shape."""
    result = {}
    for key, value in answers(consultation, **choices).items():
        item = {}
        if value["options"]:
            item["options"] = value["options"]
        if value["other"]:
            item["other_text"] = value["other_text"]
        if value["text"]:
            item["text"] = value["text"]
        result[key] = item
    return {"answers": result}


def submit(client, consultation, data, *, key=None, **headers):
    return client.post(
        reverse("api:consultation-responses", args=[consultation.slug]),
        data,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
        **headers,
    )


def limited(association_admin, association, **details):
    return ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        title="Workers only",
        audience=Consultation.Audience.REGISTERED_WORKERS,
        allow_anonymous=False,
        status="open",
        **details,
    )


def test_anyone_lists_the_open_consultations_but_not_drafts_or_limited_ones(
    client, consultation, association_admin, association
):
    workers_only = limited(association_admin, association)
    ConsultationFactory(
        created_by=association_admin, organisation=association, title="Still a draft"
    )

    response = client.get(reverse("api:consultations"))

    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == [consultation.slug]
    assert workers_only.slug not in response.content.decode()


def test_a_registered_worker_also_sees_the_consultations_limited_to_them(
    client, consultation, association_admin, association, registered_worker
):
    workers_only = limited(association_admin, association)
    client.force_login(registered_worker)

    response = client.get(reverse("api:consultations"))

    assert {item["slug"] for item in response.json()["results"]} == {
        consultation.slug,
        workers_only.slug,
    }


def test_a_consultation_comes_with_its_pages_questions_options_and_conditions(client, consultation):
    response = client.get(reverse("api:consultation-detail", args=[consultation.slug]))

    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "open"
    assert data["estimated_minutes"] >= 1
    assert [page["number"] for page in data["pages"]] == [1, 2, 3]
    questions = {q["text"]: q for page in data["pages"] for q in page["questions"]}
    stop = questions["What would stop you?"]
    assert stop["show_if"] == {
        "question": question(consultation, "Would you join?").pk,
        "options": [option_id(consultation, "Would you join?", "No")],
    }
    assert stop["max_choices"] == 2
    assert stop["has_other"] is True
    assert [o["label"] for o in stop["options"]] == ["Cost", "Time", "Data"]
    assert questions["Anything else?"]["max_length"] == 50


def test_a_limited_consultation_is_a_404_outside_its_audience(
    client, association_admin, association
):
    workers_only = limited(association_admin, association)

    detail = client.get(reverse("api:consultation-detail", args=[workers_only.slug]))
    posted = submit(client, workers_only, body(workers_only))

    assert detail.status_code == 404
    assert posted.status_code == 404
    assert not Response.objects.exists()


def test_a_whole_response_is_stored_once_and_a_replay_gives_the_same_reference(
    client, consultation
):
    key = str(uuid.uuid4())

    first = submit(client, consultation, body(consultation, comment="Yes please"), key=key)
    again = submit(client, consultation, body(consultation, comment="Yes please"), key=key)

    assert first.status_code == 201, first.json()
    assert again.status_code == 200
    assert first.json()["reference"] == again.json()["reference"]
    stored = Response.objects.get()
    assert stored.reference == first.json()["reference"]
    assert stored.answers.filter(text="Yes please").exists()


def test_the_same_key_with_different_answers_is_a_409_and_stores_nothing_more(
    client, consultation, registered_worker
):
    # Signed in: a key is this person's own. (Not signed in, see
    # test_consultation_idempotency_keys.py: a different body is a new response.)
    client.force_login(registered_worker)
    key = str(uuid.uuid4())
    submit(client, consultation, body(consultation), key=key)

    response = submit(client, consultation, body(consultation, comment="Changed"), key=key)

    assert response.status_code == 409
    assert "different answers" in error_of(response)["message"]
    assert Response.objects.count() == 1
    assert not Response.objects.get().answers.filter(text="Changed").exists()


def test_a_key_someone_else_used_is_a_409_not_their_reference(
    client, consultation, registered_worker, worker
):
    key = "response-00000001"  # a client's counter, not a UUID: two clients can pick it
    client.force_login(worker)
    stranger = submit(client, consultation, body(consultation), key=key)
    client.force_login(registered_worker)

    response = submit(client, consultation, body(consultation), key=key)

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert stranger.json()["reference"] not in response.content.decode()
    assert Response.objects.count() == 1


@pytest.mark.parametrize("key", ["", "short", "x" * 61, "spaces are not allowed"])
def test_a_missing_or_malformed_idempotency_key_is_a_400(client, consultation, key):
    response = client.post(
        reverse("api:consultation-responses", args=[consultation.slug]),
        body(consultation),
        content_type="application/json",
        **({"HTTP_IDEMPOTENCY_KEY": key} if key else {}),
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in error_of(response)["fields"]
    assert not Response.objects.exists()


def test_answers_are_checked_by_the_same_rules_as_the_pages(client, consultation):
    join = str(question(consultation, "Would you join?").pk)
    comment = str(question(consultation, "Anything else?").pk)
    data = body(consultation, comment="x" * 51)
    del data["answers"][join]

    response = submit(client, consultation, data)

    assert response.status_code == 400
    fields = error_of(response)["fields"]
    assert fields[f"answers.{join}"] == ["Select an answer to “Would you join?”"]
    assert fields[f"answers.{comment}"] == [
        "Your answer to “Anything else?” must be 50 characters or fewer. It has 51."
    ]
    assert not Response.objects.exists()


def test_a_question_asked_only_on_no_needs_an_answer_then_and_none_otherwise(client, consultation):
    stop = str(question(consultation, "What would stop you?").pk)
    cost = option_id(consultation, "What would stop you?", "Cost")

    missing = submit(client, consultation, body(consultation, join="No"))
    not_asked = submit(client, consultation, body(consultation, join="Yes", stop=["Cost"]))
    answered = submit(client, consultation, body(consultation, join="No", stop=["Cost"]))

    assert missing.status_code == 400
    assert list(error_of(missing)["fields"]) == [f"answers.{stop}"]
    assert not_asked.status_code == 400
    assert (
        "is not asked given your other answers"
        in error_of(not_asked)["fields"][f"answers.{stop}"][0]
    )
    assert answered.status_code == 201
    assert Response.objects.get().answers.filter(option_id=cost).exists()


def test_other_text_chooses_other(client, consultation):
    response = submit(client, consultation, body(consultation, join="No", other="Childcare"))

    assert response.status_code == 201
    assert Response.objects.get().answers.filter(text="Childcare", option=None).exists()


def test_unknown_questions_and_options_are_field_errors(client, consultation):
    data = body(consultation)
    join = str(question(consultation, "Would you join?").pk)
    data["answers"][join] = {"options": [999999]}
    data["answers"]["424242"] = {"text": "?"}

    unknown_question = submit(client, consultation, data)
    del data["answers"]["424242"]
    unknown_option = submit(client, consultation, data)

    assert error_of(unknown_question)["fields"] == {
        "answers.424242": ["There is no question with this id in the consultation."]
    }
    assert error_of(unknown_option)["fields"] == {
        f"answers.{join}": ["Select from the answers given for “Would you join?”"]
    }


def test_a_badly_shaped_answer_is_a_flat_field_error(client, consultation):
    join = str(question(consultation, "Would you join?").pk)
    data = body(consultation)
    data["answers"][join] = {"options": ["one"]}

    response = submit(client, consultation, data)

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [f"answers.{join}.options.0"]


SERIALIZER_JUDGES = [
    pytest.param({"answers": {"1": {"options": [True]}}}, id="a boolean for an option"),
    pytest.param({"answers": {"1": {"options": ["3"]}}}, id="an option id as a string"),
    pytest.param({"answers": {"1": {"options": [3.0]}}}, id="an option id as a float"),
    pytest.param({"answers": {"1": {"options": [0]}}}, id="an option id below one"),
    pytest.param({"answers": {"1": {"options": [2**31]}}}, id="an option id too big"),
    pytest.param({"answers": {"1": {"options": list(range(1, 102))}}}, id="101 options"),
    pytest.param({"answers": {"1": {"options": 3}}}, id="options not a list"),
    pytest.param({"answers": {"1": {"text": "a\x00b"}}}, id="a NUL character"),
    pytest.param({"answers": {"1": {"text": "\ud800"}}}, id="a lone surrogate"),
    pytest.param({"answers": {"1": {"text": 12}}}, id="a number for text"),
    pytest.param({"answers": {"1": {"text": "x" * 100_001}}}, id="text too long"),
    pytest.param({"answers": {"1": {"other_text": "x" * 10_001}}}, id="other text too long"),
    pytest.param({"answers": {"1": {"text": "ok", "colour": "red"}}}, id="an unknown field"),
    pytest.param({"answers": {"1": "yes"}}, id="an answer not an object"),
    pytest.param({"answers": []}, id="answers not an object"),
    pytest.param({"answers": {}, "started_at": "2026-12-01T10:00:00Z"}, id="with started_at"),
    pytest.param({"answers": {}, "extra": 1}, id="another top-level field"),
    pytest.param([], id="a list for a body"),
]
PLAIN = [
    pytest.param({"answers": {}}, id="no answers"),
    pytest.param({"answers": {"1": {"options": [3, 4]}, "2": {"text": "  Pay  "}}}, id="usual"),
    pytest.param({"answers": {"1": {"options": [], "other_text": " Other "}}}, id="other"),
    pytest.param({"answers": {"1": {"text": "x" * 100_000 + "   "}}}, id="longest text"),
    pytest.param({"answers": {"1": {"options": list(range(1, 101))}}}, id="100 options"),
    pytest.param({"answers": {"1": {"text": "Zoë’s <b>view</b>"}}}, id="non-ASCII text"),
]


@pytest.mark.parametrize("data", PLAIN)
def test_a_plain_body_is_validated_without_the_serializer_exactly_as_it_would_be(data):
    serializer = ConsultationResponseApi.InputSerializer(data=data)
    assert serializer.is_valid(), serializer.errors

    assert plain_answers_validated(data) == serializer.validated_data


@pytest.mark.parametrize("data", SERIALIZER_JUDGES)
def test_any_other_body_is_left_to_the_serializer(data):
    assert plain_answers_validated(data) is None


def test_text_sent_through_the_quick_check_is_trimmed_and_a_nul_is_still_refused(
    client, consultation
):
    comment = str(question(consultation, "Anything else?").pk)
    data = body(consultation)
    data["answers"][comment] = {"text": "  Paid training time  "}
    assert plain_answers_validated(data) is not None

    stored = submit(client, consultation, data)
    data["answers"][comment] = {"text": "Paid\x00training"}
    refused = submit(client, consultation, data)

    assert stored.status_code == 201, stored.json()
    assert Response.objects.get().answers.filter(text="Paid training time").exists()
    assert refused.status_code == 400
    assert list(error_of(refused)["fields"]) == [f"answers.{comment}.text"]
    assert Response.objects.count() == 1


def test_at_the_closing_instant_a_response_is_a_409(client, consultation, clock):
    clock.set(consultation.closes_at)

    response = submit(client, consultation, body(consultation))

    assert response.status_code == 409
    assert "Answers can no longer be accepted" in error_of(response)["message"]
    assert not Response.objects.exists()


def test_a_microsecond_before_the_close_a_response_is_stored(client, consultation, clock):
    clock.set(consultation.closes_at - timedelta(microseconds=1))

    response = submit(client, consultation, body(consultation))

    assert response.status_code == 201


def test_a_signed_in_worker_answers_once(client, consultation, registered_worker):
    client.force_login(registered_worker)

    first = submit(client, consultation, body(consultation))
    second = submit(client, consultation, body(consultation))

    assert first.status_code == 201
    assert second.status_code == 409
    assert error_of(second)["message"] == (
        "You have already answered this consultation. Each person answers once."
    )
    assert Response.objects.get().verified is True


def test_where_allowed_a_signed_in_worker_replaces_their_answers(
    client, association_admin, association, registered_worker
):
    editable = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        title="Editable",
        allow_edit_until_close=True,
        status="open",
    )
    client.force_login(registered_worker)

    first = submit(client, editable, body(editable))
    second = submit(client, editable, body(editable, comment="Second thoughts"))

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json() | {"submitted_at": None} == {
        "reference": first.json()["reference"],
        "consultation": editable.slug,
        "submitted_at": None,
        "edited": True,
    }
    assert Response.objects.get().answers.filter(text="Second thoughts").exists()


def test_past_the_limit_from_one_address_answers_are_stored_and_flagged(client, consultation):
    for _ in range(consultation.anonymous_answers_per_hour):
        assert submit(client, consultation, body(consultation)).status_code == 201

    response = submit(client, consultation, body(consultation))

    assert response.status_code == 201
    assert list(
        Response.objects.order_by("id").values_list("many_from_one_connection", flat=True)
    ) == [False] * consultation.anonymous_answers_per_hour + [True]


def test_sign_in_is_asked_where_anonymous_answers_are_not_allowed(
    client, association_admin, association
):
    signed_in_only = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        title="Sign in",
        allow_anonymous=False,
        status="open",
    )

    response = submit(client, signed_in_only, body(signed_in_only))

    assert response.status_code == 403
    assert error_of(response)["message"] == "Sign in to answer this consultation."


def test_no_api_key_may_answer_even_one_made_by_a_registered_worker(
    client, consultation, registered_worker, employer_organisation
):
    # A key speaks for an organisation: answering with it would not be one person's answer.
    employer_organisation.memberships.create(user=registered_worker, role="owner")
    _api_key, key = api_keys.api_key_create(
        organisation=employer_organisation,
        user=registered_worker,
        name="HR",
        scopes=list(api_keys.ApiKey.Scope.values),
    )

    response = submit(client, consultation, body(consultation), HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 403
    assert "API keys cannot be used here" in error_of(response)["message"]
    assert not Response.objects.exists()


def test_a_session_submit_needs_the_csrf_token(consultation, registered_worker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(registered_worker)

    response = submit(client, consultation, body(consultation))

    assert response.status_code == 403
    assert not Response.objects.exists()


def test_answers_submitted_through_the_api_are_not_told_apart_from_the_pages(client, consultation):
    submit(client, consultation, body(consultation))

    stored = Response.objects.get()
    assert stored.respondent_hash is None
    assert stored.submitted_at <= timezone.now()
