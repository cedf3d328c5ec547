"""The services the worker's pages call: responding, with evidence, and appealing."""

import pytest

from concerns.models import Appeal, Document, WorkerResponse
from concerns.services import cases as case_services
from concerns.services.cases import CaseError
from core.audit import AuditEvent
from tests.concerns.conftest import decide, investigating_case, pdf, ready_to_decide

pytestmark = pytest.mark.django_db


def test_a_response_is_kept_with_its_evidence_shared_and_audited(subject, registrars):
    case = investigating_case(subject, registrars)

    response = case_services.case_respond(
        case=case, worker=subject.worker, text="The chart was late.", documents=[pdf("chart.pdf")]
    )

    assert response.text == "The chart was late."
    document = case.documents.get(given_by=Document.From.WORKER)
    assert document.shared_with_worker
    assert document.read().startswith(b"%PDF")
    event = AuditEvent.objects.get(action="concerns.case.worker_responded")
    assert event.data["documents"] == 1
    assert case.steps.filter(note="The worker responded").exists()


def test_a_response_with_more_than_five_files_is_refused_and_nothing_is_kept(subject, registrars):
    case = investigating_case(subject, registrars)
    before = Document.objects.count()

    with pytest.raises(CaseError, match="Attach at most 5 files."):
        case_services.case_respond(
            case=case,
            worker=subject.worker,
            text="Mine.",
            documents=[pdf(f"{n}.pdf") for n in range(6)],
        )

    assert not WorkerResponse.objects.exists()
    assert Document.objects.count() == before


def test_an_appeal_with_more_than_five_files_is_refused_and_nothing_is_kept(subject, registrars):
    case = ready_to_decide(investigating_case(subject, registrars), registrars)
    decide(case, registrars, "advice")
    before = Document.objects.count()

    with pytest.raises(CaseError, match="Attach at most 5 files."):
        case_services.appeal_lodge(
            case=case,
            worker=subject.worker,
            grounds="Wrong.",
            documents=[pdf(f"{n}.pdf") for n in range(6)],
        )

    assert not Appeal.objects.exists()
    assert Document.objects.count() == before
    case.refresh_from_db()
    assert case.status == "appeal_window"
