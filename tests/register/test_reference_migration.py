"""Register migration 0007 gives every application made before it a random reference."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.references import REFERENCE_ALPHABET

BEFORE = ("register", "0006_check_resolutions_and_sent_back")
AFTER = ("register", "0007_application_references_and_referees")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_existing_applications_each_get_a_reference_of_their_own():
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Application = old.get_model("register", "Application")
    for number in range(3):
        user = User.objects.create(email=f"old{number}@example.org", full_name="Old", password="!")
        Application.objects.create(worker=user, status="withdrawn")

    new = _migrate(AFTER)
    # Then on to the newest migrations, as the test database expects.
    executor = MigrationExecutor(connection)
    references = list(
        new.get_model("register", "Application").objects.values_list("reference", flat=True)
    )
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert len(references) == 3 and len(set(references)) == 3
    assert all(len(item) == 10 and set(item) <= set(REFERENCE_ALPHABET) for item in references)
