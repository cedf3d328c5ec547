"""Uploaded evidence: identity documents, DBS certificates, proof of a change of name."""

import hashlib
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from core.audit import audit_log
from core.encryption import file_encrypt, file_key_new
from core.errors import ApplicationError
from register.models import EvidenceFile

# The first bytes of each accepted format. The type is decided from the content alone: a name
# ending in .pdf proves nothing about what is inside.
SIGNATURES = {
    b"%PDF-": EvidenceFile.Kind.PDF,
    b"\xff\xd8\xff": EvidenceFile.Kind.JPEG,
    b"\x89PNG\r\n\x1a\n": EvidenceFile.Kind.PNG,
}
EXTENSIONS = {
    EvidenceFile.Kind.PDF: {".pdf"},
    EvidenceFile.Kind.JPEG: {".jpg", ".jpeg"},
    EvidenceFile.Kind.PNG: {".png"},
}


class EvidenceError(ApplicationError):
    pass


def detect_kind(head: bytes) -> str | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def _store_encrypted(evidence: EvidenceFile, upload: UploadedFile) -> None:
    """Write the upload to storage encrypted with a new key of its own, kept on the row.
    Read it back with `EvidenceFile.read()`."""
    upload.seek(0)
    evidence.data_key = file_key_new()
    sealed = file_encrypt(upload.read(), key=evidence.data_key)
    upload.seek(0)
    evidence.file.save("upload", ContentFile(sealed), save=False)


def evidence_upload(*, owner: User, uploaded_by: User, upload: UploadedFile) -> EvidenceFile:
    """Store one file as evidence about `owner`, after checking its size, content and name."""
    limit_mb = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
    if upload.size is None or upload.size == 0:
        raise EvidenceError("The selected file is empty.")
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise EvidenceError(f"The selected file must be smaller than {limit_mb} MB.")
    upload.seek(0)
    kind = detect_kind(upload.read(16))
    if kind is None:
        raise EvidenceError("The selected file must be a PDF, JPG or PNG.")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in EXTENSIONS[kind]:
        raise EvidenceError(
            "The file's name does not match what is inside it. Upload the original PDF, JPG "
            "or PNG file."
        )
    # The size is counted again as the file is read, and reading stops past the limit: the
    # declared size is only what the upload object says, and a caller may hand over any file.
    digest = hashlib.sha256()
    received = 0
    for chunk in upload.chunks():
        received += len(chunk)
        if received > settings.EVIDENCE_MAX_BYTES:
            raise EvidenceError(f"The selected file must be smaller than {limit_mb} MB.")
        digest.update(chunk)
    upload.seek(0)
    evidence = EvidenceFile(
        owner=owner,
        uploaded_by=uploaded_by,
        content_type=kind,
        original_name=PurePath(upload.name).name[:200],
        size=received,
        sha256=digest.hexdigest(),
    )
    _store_encrypted(evidence, upload)
    try:
        with transaction.atomic():
            evidence.save()
            audit_log(
                action="register.evidence.uploaded",
                actor=uploaded_by,
                target=evidence,
                data={"owner_id": owner.pk, "content_type": kind, "size": received},
            )
    except Exception:
        # The row was not stored, so the file must not stay behind on disk either.
        evidence.file.delete(save=False)
        raise
    return evidence
