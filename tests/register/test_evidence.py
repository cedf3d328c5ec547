import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from register.models import EvidenceFile
from register.services.evidence import EvidenceError, evidence_upload

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("passport.pdf", PDF, "application/pdf"),
        ("scan.PNG", PNG, "image/png"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("photo.jpg", JPEG, "image/jpeg"),
    ],
)
def test_it_accepts_pdf_jpeg_and_png_typed_from_their_content(worker, name, content, kind):
    evidence = evidence_upload(owner=worker, uploaded_by=worker, upload=upload(name, content))

    assert evidence.content_type == kind
    assert evidence.original_name == name
    assert evidence.read() == content
    assert AuditEvent.objects.filter(action="register.evidence.uploaded").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", EXE, "must be a PDF, JPG or PNG"),
        ("notes.txt", b"plain text", "must be a PDF, JPG or PNG"),
        ("passport.pdf", PNG, "does not match what is inside"),
        ("photo.png", PDF, "does not match what is inside"),
        ("document.exe", PDF, "does not match what is inside"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_it_refuses_the_wrong_type_or_a_disguised_file(worker, name, content, message):
    with pytest.raises(EvidenceError, match=message):
        evidence_upload(owner=worker, uploaded_by=worker, upload=upload(name, content))

    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_size_limit(worker, settings):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = PDF + b"0" * (1024 * 1024)

    with pytest.raises(EvidenceError, match="smaller than 1 MB"):
        evidence_upload(owner=worker, uploaded_by=worker, upload=upload("big.pdf", big))

    assert not EvidenceFile.objects.exists()


@pytest.mark.django_db
def test_files_are_stored_outside_the_static_and_web_roots(client, worker, settings):
    evidence = evidence_upload(owner=worker, uploaded_by=worker, upload=upload("a.pdf", PDF))

    path = evidence.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert "a.pdf" not in path  # the stored name never comes from the uploader
    # No URL serves the storage folder directly; only the checked view does.
    assert client.get("/" + evidence.file.name).status_code == 404
    assert client.get("/media/" + evidence.file.name).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 302),
        ("worker", 200),
        ("outsider", 404),
        ("employer", 404),
        ("registrar_without_mfa", 404),
        ("registrar", 200),
    ],
)
def test_evidence_is_served_only_to_its_owner_and_registrars(
    client, request, worker, persona, expected
):
    evidence = evidence_upload(owner=worker, uploaded_by=worker, upload=upload("id.pdf", PDF))
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("register:evidence-download", args=[evidence.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
