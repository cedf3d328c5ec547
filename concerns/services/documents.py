"""Evidence files given on a case, by the raiser, the worker or a registrar: checked as every
evidence upload is (register.services.evidence), encrypted with a key of their own, and never
left on disk when the change that stored them fails."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.uploadedfile import UploadedFile

from concerns.models import Case, Document
from register.services.evidence import (
    CheckedUpload,
    EvidenceError,
    evidence_check,
    store_encrypted,
)

MAX_DOCUMENTS = 5


def uploads_checked(uploads: list[UploadedFile]) -> list[tuple[UploadedFile, CheckedUpload]]:
    """Every upload checked before any is stored. EvidenceError says which file failed, or
    that there are too many."""
    if len(uploads) > MAX_DOCUMENTS:
        raise EvidenceError(f"Attach at most {MAX_DOCUMENTS} files.")
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, evidence_check(upload)))
        except EvidenceError as error:
            raise EvidenceError(f"{upload.name}: {error}") from error
    return checked


@contextmanager
def files_removed_on_failure() -> Iterator[list[Document]]:
    """A list to put each stored document in as soon as its file is written: if the block
    fails (its transaction rolls back, a later file cannot be written), every file already
    on disk is deleted, so no file outlives its row."""
    stored: list[Document] = []
    try:
        yield stored
    except BaseException:
        for document in stored:
            document.file.delete(save=False)
        raise


def documents_store(
    case: Case,
    checked: list[tuple[UploadedFile, CheckedUpload]],
    *,
    given_by: str,
    shared: bool,
    stored: list[Document],
) -> list[Document]:
    """Write each checked upload encrypted, with its row; each goes into `stored` (from
    files_removed_on_failure) the moment its file is on disk. Call inside the transaction."""
    added = []
    for upload, check in checked:
        document = Document(
            case=case,
            given_by=given_by,
            shared_with_worker=shared,
            content_type=check.kind,
            original_name=check.name,
            size=check.size,
            sha256=check.sha256,
        )
        store_encrypted(document, upload)
        stored.append(document)
        document.save()
        added.append(document)
    return added
