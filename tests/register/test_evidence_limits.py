"""Evidence files are bounded while they are read: the size an upload declares is not trusted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from register.models import EvidenceFile
from register.services.evidence import EvidenceError, evidence_upload

PDF_HEAD = b"%PDF-1.7\n"


class CountedUpload(SimpleUploadedFile):
    """An upload that under-declares its size, and counts the bytes read from it."""

    def __init__(self, content: bytes, *, declared: int):
        super().__init__("scan.pdf", content, "application/pdf")
        self.size = declared
        self.bytes_read = 0

    def chunks(self, chunk_size=None):
        # In pieces, as a file Django spooled to disk is read (an in-memory one comes whole).
        self.file.seek(0)
        while chunk := self.file.read(64 * 1024):
            self.bytes_read += len(chunk)
            yield chunk


@pytest.mark.django_db
def test_a_file_larger_than_it_declares_is_refused_while_it_is_read(worker, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    content = PDF_HEAD + b"0" * (20 * 1024 * 1024)
    upload = CountedUpload(content, declared=1000)

    with pytest.raises(EvidenceError, match="must be smaller than 1 MB"):
        evidence_upload(owner=worker, uploaded_by=worker, upload=upload)

    # Reading stopped one chunk past the limit, not at the end of the 20 MB.
    assert upload.bytes_read <= settings.EVIDENCE_MAX_BYTES + 64 * 1024
    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_the_stored_size_is_the_bytes_received_not_the_declared_size(worker, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    content = PDF_HEAD + b"0" * 5000

    evidence = evidence_upload(
        owner=worker, uploaded_by=worker, upload=CountedUpload(content, declared=10)
    )

    assert evidence.size == len(content)
