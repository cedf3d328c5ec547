"""What the site writes to its log during the flows that carry secrets and personal data:
signing in (right and wrong password), applying, a registrar recording an identity check with
a document number, an employer checking a share code, an API key in use (right and wrong),
submitting a consultation and saving it for later by email. None of the secrets may appear.

The log is read where it is written: the configured console handler's stream, after its
filters, at DEBUG level for every logger, so anything any library logs is seen."""

import io
import logging
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Response
from core.dates import format_day
from employers.models import ShareCodeCheck
from employers.services import sharecodes
from register.models import Application, IdentityCheck
from tests.dates import typed_date
from tests.factories import ApplicationFactory
from tests.security.world import DATE_OF_BIRTH

PASSWORD = "Correct-Horse-Battery-9931"
WRONG_PASSWORD = "Wrong-Horse-Battery-4417"
DOCUMENT_NUMBER = "925665416"
DBS_NUMBER = "001234567890"
APPLICANT_BIRTHDAY = date(1987, 11, 23)
WRONG_BIRTHDAY = date(1970, 1, 1)


def answer_every_page(client, consultation, text):
    """Through the pages, as a person would: the first option of each choice, `text` in each
    text box."""
    for number, page in enumerate(consultation.pages.order_by("position"), start=1):
        data = {}
        for question in page.questions.all():
            options = list(question.options.order_by("position"))
            data[f"q{question.pk}"] = [str(options[0].pk)] if options else text
        client.post(reverse("consultations:page", args=[consultation.slug, number]), data)


@pytest.fixture
def captured_log():
    """Everything the configured handlers write, at every level, for the test's length."""
    root = logging.getLogger()
    stream = io.StringIO()
    handlers = [h for h in root.handlers if getattr(h, "name", "") == "console"]
    assert handlers, "the console handler from settings.LOGGING is not installed"
    saved = [(handler, handler.setStream(stream), handler.level) for handler in handlers]
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    root_level = root.level
    root.setLevel(logging.DEBUG)
    for name in levels:
        if name != "django.db.backends":  # SQL is logged only with DEBUG on, never in production
            logging.getLogger(name).setLevel(logging.NOTSET)
    for handler, _, _ in saved:
        handler.setLevel(logging.DEBUG)
    yield stream
    for handler, old_stream, level in saved:
        handler.setStream(old_stream)
        handler.setLevel(level)
    root.setLevel(root_level)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.django_db(transaction=True)
def test_no_secret_or_personal_identifier_is_written_to_the_log(world, captured_log):
    o = world.objects
    worker = world.personas["worker"]
    worker.set_password(PASSWORD)
    worker.save()
    secrets_to_hide = {
        "password": PASSWORD,
        "wrong password": WRONG_PASSWORD,
        "worker's email": worker.email,
        "API key": o["api_key_secret"],
        "document number": DOCUMENT_NUMBER,
        "DBS certificate number": DBS_NUMBER,
        "date of birth": DATE_OF_BIRTH.isoformat(),
        # As the share-code refusal reads a date of birth back to the employer.
        "date of birth in words": format_day(DATE_OF_BIRTH),
        "wrong date of birth in words": format_day(WRONG_BIRTHDAY),
        "applicant's date of birth": APPLICANT_BIRTHDAY.isoformat(),
        "applicant's date of birth in words": format_day(APPLICANT_BIRTHDAY),
        "consultation resume token": o["resume_token"],
    }

    # Signing in, wrongly then rightly.
    client = Client(raise_request_exception=False)
    client.post(reverse("account_login"), {"login": worker.email, "password": WRONG_PASSWORD})
    client.post(reverse("account_login"), {"login": worker.email, "password": PASSWORD})

    # Applying: the about-you page with a date of birth, then a page with bad input.
    applicant = world.personas["outsider"]
    apply = Client(raise_request_exception=False)
    apply.force_login(applicant)
    apply.post(reverse("register:apply-start"))
    apply.post(
        reverse("register:apply-step", args=["about-you"]),
        {"legal_name": "Oscar Outsider", **typed_date("date_of_birth", APPLICANT_BIRTHDAY)},
    )
    apply.post(
        reverse("register:apply-step", args=["about-you"]),
        {"date_of_birth_0": "not", "date_of_birth_1": "a", "date_of_birth_2": "date"},
    )

    # A registrar records identity and DBS checks with their numbers.
    submitted = ApplicationFactory(status=Application.Status.SUBMITTED)
    registrar = Client(raise_request_exception=False)
    registrar.force_login(world.personas["registrar"])
    url = reverse("register:registrar-application", args=[submitted.pk])
    registrar.post(
        url,
        {
            "action": "record_check",
            "check_type": "photo_id",
            "outcome": "passed",
            "document_type": "passport",
            "document_number": DOCUMENT_NUMBER,
            **typed_date("document_expires_on", timezone.localdate() + timedelta(days=100)),
        },
    )
    registrar.post(
        url,
        {
            "action": "record_check",
            "check_type": "dbs",
            "outcome": "passed",
            "certificate_number": DBS_NUMBER,
            **typed_date("certificate_issued_on", timezone.localdate() - timedelta(days=10)),
        },
    )

    # An employer checks a share code, rightly and with the wrong date of birth.
    _, code = sharecodes.share_code_create(
        worker=worker, entry=o["entry"], shares_identity_checks=True
    )
    shown = sharecodes.share_code_format(code)
    secrets_to_hide["share code"] = shown
    secrets_to_hide["share code as typed"] = code
    employer = Client(raise_request_exception=False)
    employer.force_login(world.personas["employer"])
    check_url = reverse("employers:check", args=[o["employer_org"].pk])
    employer.post(check_url, {"code": shown, **typed_date("date_of_birth", WRONG_BIRTHDAY)})
    employer.post(check_url, {"code": shown, **typed_date("date_of_birth", DATE_OF_BIRTH)})

    # An API key, right and wrong, on the staff list and the share-code check.
    api = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {o['api_key_secret']}")
    api.get(reverse("api:staff-list"))
    api.post(
        reverse("api:share-codes-check"),
        {"code": shown, "date_of_birth": DATE_OF_BIRTH.isoformat()},
        content_type="application/json",
    )
    wrong = o["api_key_secret"][:-4] + "abcd"
    secrets_to_hide["wrong API key"] = wrong
    Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {wrong}").get(
        reverse("api:staff-list")
    )

    # A consultation answered and submitted, resumed by its emailed link, and saved by email.
    slug = o["consultation"].slug
    answerer = Client(raise_request_exception=False)
    answerer.force_login(worker)
    answer_every_page(answerer, o["consultation"], "My answer")
    check_page = answerer.get(reverse("consultations:check", args=[slug])).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check_page)
    answerer.post(
        reverse("consultations:check", args=[slug]),
        {"idempotency_key": key.group(1) if key else ""},
    )
    Client(raise_request_exception=False).get(
        reverse("consultations:resume", args=[slug, o["resume_token"]])
    )
    Client(raise_request_exception=False).get(
        reverse("consultations:resume", args=["no-such-consultation", o["resume_token"]])
    )
    Client(raise_request_exception=False).post(
        reverse("consultations:save", args=[slug]), {"email": worker.email}
    )

    # The flows really ran, so the test would see what they log.
    assert IdentityCheck.objects.filter(application=submitted).count() == 2
    assert ShareCodeCheck.objects.filter(outcome=ShareCodeCheck.Outcome.ACCEPTED).count() >= 2
    assert Response.objects.filter(consultation=o["consultation"]).count() == 1
    log = captured_log.getvalue()
    assert log, "nothing was logged at all: the capture is not working"
    leaked = {what: value for what, value in secrets_to_hide.items() if value in log}
    assert not leaked, f"found in the log: {sorted(leaked)}\n{log}"


def test_the_log_filter_masks_tokens_in_paths_api_keys_and_email_addresses():
    from config.log_filters import RedactSecretsFilter

    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s (%s, %s)",
        ("/consultations/x/resume/SECRETTOKEN/", "Bearer cr_live_ab_cd", "wendy@example.org"),
        None,
    )

    RedactSecretsFilter().filter(record)

    message = record.getMessage()
    assert "SECRETTOKEN" not in message and "cr_live_ab_cd" not in message
    assert "wendy@example.org" not in message
    assert message.startswith("Not Found: /consultations/x/resume/[redacted]/")
