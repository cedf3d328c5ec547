"""Uploaded evidence: identity documents, DBS certificates, proof of a change of name."""

import hashlib
from dataclasses import dataclass
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


def store_encrypted(stored, upload: UploadedFile) -> None:
    """Write the upload to `stored.file` encrypted with a new key of its own, kept on the row
    as `data_key`. Read it back with the row's `read()`."""
    upload.seek(0)
    stored.data_key = file_key_new()
    sealed = file_encrypt(upload.read(), key=stored.data_key)
    upload.seek(0)
    stored.file.save("upload", ContentFile(sealed), save=False)


@dataclass(frozen=True)
class CheckedUpload:
    kind: str
    size: int
    sha256: str
    name: str


def evidence_check(upload: UploadedFile) -> CheckedUpload:
    """Check one uploaded file's size, content and name, as every evidence upload is checked
    (register evidence and documents given on a concern alike); EvidenceError says why not."""
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
    return CheckedUpload(
        kind=kind, size=received, sha256=digest.hexdigest(), name=PurePath(upload.name).name[:200]
    )


def evidence_upload(*, owner: User, uploaded_by: User, upload: UploadedFile) -> EvidenceFile:
    """Store one file as evidence about `owner`, after checking its size, content and name."""
    checked = evidence_check(upload)
    evidence = EvidenceFile(
        owner=owner,
        uploaded_by=uploaded_by,
        content_type=checked.kind,
        original_name=checked.name,
        size=checked.size,
        sha256=checked.sha256,
    )
    store_encrypted(evidence, upload)
    try:
        with transaction.atomic():
            evidence.save()
            audit_log(
                action="register.evidence.uploaded",
                actor=uploaded_by,
                target=evidence,
                data={"owner_id": owner.pk, "content_type": checked.kind, "size": checked.size},
            )
    except Exception:
        # The row was not stored, so the file must not stay behind on disk either.
        evidence.file.delete(save=False)
        raise
    return evidence
