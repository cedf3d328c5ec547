"""A consultation's results over the API: only once published, with small numbers withheld
exactly as on the public outcome page."""

import pytest
from django.urls import reverse

from consultations import analysis
from consultations.services.outcome import consultation_publish_outcome
from tests.api.conftest import error_of
from tests.factories import (
    JOIN,
    ConsultationFactory,
    ResponseFactory,
    close_by_the_clock,
    start_analysis,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysing(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for _ in range(7):
        ResponseFactory(consultation=consultation, join="Yes")
    for _ in range(2):
        ResponseFactory(consultation=consultation, join="No", stop=["Cost"])
    return start_analysis(close_by_the_clock(consultation), association_admin)


def results_of(client, consultation):
    return client.get(reverse("api:consultation-results", args=[consultation.slug]))


def test_results_are_a_404_until_the_outcome_is_published(client, analysing):
    response = results_of(client, analysing)

    assert response.status_code == 404
    assert error_of(response)["message"] == "No outcome has been published for this consultation."


def test_results_of_an_open_consultation_are_a_404(client, consultation):
    assert results_of(client, consultation).status_code == 404


def test_published_results_withhold_small_numbers_as_the_outcome_page_does(
    client, analysing, association_admin
):
    consultation_publish_outcome(
        consultation=analysing, user=association_admin, outcome_summary="We heard you."
    )

    response = results_of(client, analysing)

    assert response.status_code == 200
    data = response.json()
    assert data["outcome_summary"] == "We heard you."
    join = next(q for q in data["questions"] if q["text"] == JOIN)
    overall = {row["label"]: row["cells"][0] for row in join["rows"]}
    assert overall["No"] == {"count": None, "text": analysis.FEWER_THAN, "percent": None}
    # Otherwise 9 responses less 7 would give the 2 away.
    assert data["responses"][0]["count"] == 9
    assert overall["Yes"]["count"] is None
    # Every number is the published selector's, the one the outcome page renders.
    expected = analysis.consultation_results(consultation=analysing, published=True)
    assert [cell["text"] for cell in data["responses"]] == [c.text for c in expected.responses]
    for got, want in zip(data["questions"], expected.questions, strict=True):
        assert [[cell["text"] for cell in row["cells"]] for row in got["rows"]] == [
            [cell.text for cell in row.cells] for row in want.rows
        ]
    outcome_page = client.get(reverse("consultations:outcome", args=[analysing.slug]))
    assert outcome_page.status_code == 200
