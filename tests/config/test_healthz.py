import pytest
from django.db import connection


@pytest.mark.django_db
def test_it_answers_200_with_the_database_state(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db(transaction=True)
def test_it_answers_503_when_the_database_is_gone_and_recovers_after(client):
    real = dict(connection.settings_dict)
    connection.close()
    # Point the live connection at a database that cannot be reached: a port nothing listens on
    # for PostgreSQL, a file in a missing folder for SQLite.
    if connection.vendor == "postgresql":
        connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    else:
        connection.settings_dict["NAME"] = "/nonexistent-folder/care-register.sqlite3"
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(real)

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}
    assert client.get("/healthz").status_code == 200
