"""The written-answers search has a trigram index on PostgreSQL; elsewhere it scans."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_answer_texts_have_a_trigram_index_the_case_insensitive_search_can_use():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'consultations_answer_text_trgm'"
        )
        (definition,) = cursor.fetchone()

    assert "gin (upper(text) gin_trgm_ops)" in definition
