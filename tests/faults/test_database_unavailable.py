"""A database that is down answers 503 with a plain message, on pages and on the API, and the
site recovers by itself once it is back."""

import pytest
from django.db import connection
from django.test import Client

from tests.api.conftest import error_of


def _cut_the_database_off():
    real = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    else:
        connection.settings_dict["NAME"] = "/nonexistent-folder/care-register.sqlite3"
    return real


def _restore(real):
    connection.close()
    connection.settings_dict.clear()
    connection.settings_dict.update(real)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/register/", "/consultations/", "/verify/"])
def test_a_page_answers_503_with_a_plain_message_while_the_database_is_down(worker, path):
    client = Client(raise_request_exception=False)
    client.force_login(worker)
    real = _cut_the_database_off()
    try:
        response = client.get(path)
    finally:
        _restore(real)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Please try again in a minute" in response.content.decode()
    assert client.get(path).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_503_in_its_error_format_while_the_database_is_down():
    client = Client(raise_request_exception=False)
    real = _cut_the_database_off()
    try:
        response = client.get("/api/v1/register/?q=smith")
    finally:
        _restore(real)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert client.get("/api/v1/register/?q=smith").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_apis_503_is_exactly_the_one_error_format_with_retry_after():
    client = Client(raise_request_exception=False)
    real = _cut_the_database_off()
    try:
        response = client.get("/api/v1/register/?q=smith")
    finally:
        _restore(real)

    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == "30"
    assert error_of(response) == {
        "status": 503,
        "code": "unavailable",
        "message": "The service is unavailable for a moment. Please try again in a minute.",
        "fields": {},
    }


@pytest.mark.django_db
def test_any_other_error_is_still_a_500():
    from django.test import RequestFactory

    from core.views import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
