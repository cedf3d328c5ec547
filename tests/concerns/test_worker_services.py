"""The services the worker's pages call: responding, with evidence, and appealing."""

from datetime import timedelta

import pytest

from concerns.models import Appeal, Document, WorkerResponse
from concerns.services import cases as case_services
from concerns.services import documents as stored_documents
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


def test_a_response_sent_twice_at_once_is_kept_once(subject, registrars, clock):
    case = investigating_case(subject, registrars)
    first = case_services.case_respond(
        case=case, worker=subject.worker, text="The chart was late.", documents=[pdf("a.pdf")]
    )

    again = case_services.case_respond(
        case=case, worker=subject.worker, text="The chart was late.", documents=[pdf("a.pdf")]
    )

    assert again == first
    assert WorkerResponse.objects.count() == 1
    assert case.documents.filter(given_by=Document.From.WORKER).count() == 1
    assert AuditEvent.objects.filter(action="concerns.case.worker_responded").count() == 1
    # The same words later, or other words, add to the response.
    clock.advance(timedelta(hours=1))
    case_services.case_respond(case=case, worker=subject.worker, text="The chart was late.")
    case_services.case_respond(case=case, worker=subject.worker, text="And the rota.")
    assert WorkerResponse.objects.count() == 3


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


def test_a_file_that_cannot_be_written_leaves_no_other_file_behind(
    subject, registrars, settings, monkeypatch
):
    # The disk fails on the second file (here, a stand-in for a full disk): the first, already
    # written, must not be left on disk without its row.
    case = investigating_case(subject, registrars)
    folder = settings.MEDIA_ROOT / "concerns"
    before = {path.name for path in folder.iterdir()}
    real_store = stored_documents.store_encrypted
    calls = []

    def store_then_fail(document, upload):
        calls.append(upload.name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        real_store(document, upload)

    monkeypatch.setattr(stored_documents, "store_encrypted", store_then_fail)

    with pytest.raises(OSError):
        case_services.case_respond(
            case=case,
            worker=subject.worker,
            text="Mine.",
            documents=[pdf("first.pdf"), pdf("second.pdf")],
        )

    assert calls == ["first.pdf", "second.pdf"]
    assert not WorkerResponse.objects.exists()
    assert {path.name for path in folder.iterdir()} == before
