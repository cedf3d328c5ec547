"""Fixtures for concerns: five registrars (a case needs a screener, two decision makers and
two more for an appeal), a worker on the register, and cases at each stage, made through the
services as a person would."""

import io
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from accounts.services.organisations import registrars_group
from concerns.models import Case
from concerns.services import cases as case_services
from concerns.services.raising import Raised, concern_confirm, concern_raise
from tests.factories import RegisterEntryFactory, UserFactory


def _blank_pdf() -> bytes:
    """A one-page PDF that a PDF library can open, as a raiser's document given to the worker
    must be (concerns/documents.py takes its metadata out)."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = _blank_pdf()


def make_registrar(email: str, name: str):
    user = UserFactory(email=email, full_name=name, is_registrar=True, is_staff=True)
    user.groups.add(registrars_group())
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(execute=True):` runs what a service queued for after its commit (the
    emails), as the real commit would."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def registrars(db):
    """Sam screens; Dee and Dan decide; Abe and Ada decide appeals."""
    return {
        name: make_registrar(f"{name.lower()}@register.example", name)
        for name in ("Sam", "Dee", "Dan", "Abe", "Ada")
    }


@pytest.fixture
def subject(db):
    """The registered worker the concerns are about."""
    return RegisterEntryFactory(
        application__worker__email="subject@example.org",
        application__legal_name="Łukasz O'Brien",
    )


def pdf(name="statement.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def raised(entry, **changes) -> Raised:
    values = {
        "category": "poor_practice",
        "what_happened": "Left my mother without her medicines for two days.",
        "when_happened": "Early November 2026",
        "registration_number": entry.registration_number,
        "name": "Priya Public",
        "email": "priya@example.org",
        "phone": "07700 900123",
        "identity_withheld": True,
    }
    values.update(changes)
    return Raised(**values)


def received_case(entry, **changes) -> Case:
    case, token = concern_raise(raised=raised(entry, **changes), documents=[pdf()])
    return concern_confirm(token=token)


def investigating_case(entry, registrars, *, risk="serious", **changes) -> Case:
    case = received_case(entry, **changes)
    return case_services.case_screen(
        case=case,
        registrar=registrars["Sam"],
        risk=risk,
        result="investigate",
        reasons="A medicines error with harm is a serious risk.",
        allegation="On two days in November 2026 you did not give a person their medicines.",
    )


def ready_to_decide(case, registrars) -> Case:
    """Both decision makers on the panel and the worker's time to respond over."""
    case_services.panel_join(case=case, registrar=registrars["Dee"], role="decision_maker")
    case_services.panel_join(case=case, registrar=registrars["Dan"], role="decision_maker")
    Case.objects.filter(pk=case.pk).update(response_due=timezone.localdate() - timedelta(days=1))
    case.refresh_from_db()
    return case


def decide(case, registrars, outcome, **fields):
    decision = case_services.decision_propose(
        case=case,
        registrar=registrars["Dee"],
        outcome=outcome,
        reasons="The evidence shows it happened twice.",
        **fields,
    )
    case_services.decision_agree(decision=decision, registrar=registrars["Dan"])
    case.refresh_from_db()
    return decision
