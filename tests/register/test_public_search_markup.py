"""What the public register's search page gives a visitor's browser: the form in every state a
person can put it in (labels, hints, errors above their inputs and in the summary, linked by
aria-describedby), and the rows of results (links, dates, and everything from the database
escaped). Elements are compared as HTML, whatever the attributes' order and the layout; escaping
is checked in the page's own text."""

import datetime

import pytest
from django.test.html import Element, parse_html
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertInHTML

from register.models import RegisterEntry
from register.selectors import public as public_register
from tests.factories import PathwayRoleFactory, RegisterEntryFactory

pytestmark = pytest.mark.django_db

Q_HINT = (
    "For example, Jane Smith or CR1000001H. "
    "The start of each name is enough: jan smi finds Jane Smith"
)
TOWN_HINT = "Helps when the name is a common one"


def search_page(client, expected_status: int = 200, **params) -> str:
    response = client.get(reverse("register:public-search"), params)
    assert response.status_code == expected_status
    return response.content.decode()


def field_group(
    *,
    name: str,
    label: str,
    hint: str,
    input_attributes: str,
    value: str | None = None,
    errors: tuple[str, ...] = (),
) -> str:
    """The markup a field of the search form must have: label, hint, the errors above the input,
    and the input pointing at the hint and the errors."""
    described_by = f"id_{name}_helptext" + (f" id_{name}_error" if errors else "")
    messages = "".join(
        f'<p><span class="visually-hidden">Error:</span> {escape(error)}</p>' for error in errors
    )
    return (
        f'<div class="form-group{" form-group-error" if errors else ""}">'
        f'<label for="id_{name}">{label}</label>'
        f'<div class="hint" id="id_{name}_helptext">{hint}</div>'
        + (f'<div class="field-error" id="id_{name}_error">{messages}</div>' if errors else "")
        + f'<input name="{name}" id="id_{name}" {input_attributes}'
        + (f' value="{escape(value)}"' if value is not None else "")
        + (' aria-invalid="true"' if errors else "")
        + f' aria-describedby="{described_by}">'
        "</div>"
    )


def q_group(*, value: str | None = None, errors: tuple[str, ...] = ()) -> str:
    return field_group(
        name="q",
        label="Name or registration number",
        hint=Q_HINT,
        input_attributes='type="search" spellcheck="false" maxlength="200" required',
        value=value,
        errors=errors,
    )


def town_group(*, value: str | None = None, errors: tuple[str, ...] = ()) -> str:
    return field_group(
        name="town",
        label="Town (optional)",
        hint=TOWN_HINT,
        input_attributes='type="text" maxlength="100"',
        value=value,
        errors=errors,
    )


def error_summary(*links: tuple[str, str]) -> str:
    items = "".join(f'<li><a href="#{target}">{escape(text)}</a></li>' for target, text in links)
    return (
        '<div class="error-summary" role="alert" aria-labelledby="error-summary-title"'
        ' tabindex="-1"><h2 id="error-summary-title">There is a problem</h2>'
        f"<ul>{items}</ul></div>"
    )


def elements(node, name: str) -> list[Element]:
    """Every element called name under node, in document order."""
    found = []
    for child in node.children:
        if isinstance(child, str):
            continue
        if child.name == name:
            found.append(child)
        found += elements(child, name)
    return found


def text_of(node) -> str:
    return "".join(child if isinstance(child, str) else text_of(child) for child in node.children)


def result_rows(page: str) -> list[dict]:
    """The results table's body as a browser reads it: each cell's text, and the name's link."""
    (table,) = elements(parse_html(page), "table")
    (body,) = elements(table, "tbody")
    rows = []
    for row in elements(body, "tr"):
        name, number, status, role = elements(row, "td")
        (link,) = elements(name, "a")
        rows.append(
            {
                "name": text_of(name),
                "href": dict(link.attributes)["href"],
                "number": text_of(number),
                "status": text_of(status),
                "role": text_of(role),
            }
        )
    return rows


# --- The form -------------------------------------------------------------------------------


def test_the_empty_form_labels_each_input_and_links_it_to_its_hint(client):
    page = search_page(client)

    assertInHTML(q_group(), page, count=1)
    assertInHTML(town_group(), page, count=1)
    assert "<title>Search the register" in page
    assert "error-summary" not in page
    assert "aria-invalid" not in page


def test_a_search_keeps_what_was_typed_in_the_form(client):
    page = search_page(client, q="jan smi", town="Leeds")

    assertInHTML(q_group(value="jan smi"), page, count=1)
    assertInHTML(town_group(value="Leeds"), page, count=1)
    assert "error-summary" not in page


def test_nothing_typed_puts_the_error_in_the_summary_and_above_the_input(client):
    page = search_page(client, 400, q="", town="")

    message = "Enter a name or a registration number"
    assert "<title>Error: Search the register" in page
    assertInHTML(error_summary(("id_q", message)), page, count=1)
    assertInHTML(q_group(errors=(message,)), page, count=1)
    assertInHTML(town_group(), page, count=1)
    # The summary comes first, so that a screen reader reaches it before the form.
    assert page.index('class="error-summary"') < page.index('role="search"')


def test_too_much_typed_in_both_inputs_lists_both_errors_in_the_order_of_the_form(client):
    page = search_page(client, 400, q="x" * 201, town="y" * 101)

    too_long_q = "Ensure this value has at most 200 characters (it has 201)."
    too_long_town = "Ensure this value has at most 100 characters (it has 101)."
    assertInHTML(error_summary(("id_q", too_long_q), ("id_town", too_long_town)), page, count=1)
    assertInHTML(q_group(value="x" * 201, errors=(too_long_q,)), page, count=1)
    assertInHTML(town_group(value="y" * 101, errors=(too_long_town,)), page, count=1)


def test_an_error_found_by_the_search_is_shown_as_the_form_shows_its_own(client):
    RegisterEntryFactory(application__legal_name="Anna Smith")

    page = search_page(client, 400, q="a")

    message = "Enter at least 2 letters of the name, or a registration number."
    assertInHTML(error_summary(("id_q", message)), page, count=1)
    assertInHTML(q_group(value="a", errors=(message,)), page, count=1)
    assert "<table" not in page


def test_markup_typed_into_the_form_comes_back_as_text(client):
    typed, town = '"><script>alert(1)</script>', "O'Brien & <Sons>"

    page = search_page(client, q=typed, town=town)

    assertInHTML(q_group(value=typed), page, count=1)
    assertInHTML(town_group(value=town), page, count=1)
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert 'value="O&#x27;Brien &amp; &lt;Sons&gt;"' in page
    assert "<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: Search the register" in page
    assert "<script>" not in page
    assert "<Sons>" not in page


def test_an_error_message_is_written_as_text_whatever_it_holds(client, monkeypatch):
    # No message of the search holds markup today; the page must not depend on that.
    def refuse(**_):
        raise public_register.PublicSearchError("Try <fewer> words & no <b>markup</b>")

    monkeypatch.setattr(public_register, "public_register_search", refuse)

    page = search_page(client, 400, q="jane")

    message = "Try <fewer> words & no <b>markup</b>"
    assertInHTML(error_summary(("id_q", message)), page, count=1)
    assertInHTML(q_group(value="jane", errors=(message,)), page, count=1)
    assert page.count("Try &lt;fewer&gt; words &amp; no &lt;b&gt;markup&lt;/b&gt;") == 2
    assert "<fewer>" not in page
    assert "<b>markup" not in page


# --- The rows of results --------------------------------------------------------------------


def test_each_result_row_links_to_the_entry_and_escapes_what_the_database_holds(client):
    scripted = RegisterEntryFactory(
        application__legal_name='Ann <script>alert("x")</script> Smith',
        application__pathway_role=None,
    )
    role = PathwayRoleFactory(code="markup", title="Care & <b>support</b> worker")
    irish = RegisterEntryFactory(
        application__legal_name="Ann O'Brien & Łucja Smithers", application__pathway_role=role
    )

    page = search_page(client, q="ann smi")

    assert result_rows(page) == [
        {
            "name": "Ann O'Brien & Łucja Smithers",
            "href": reverse("register:public-entry", args=[irish.registration_number]),
            "number": irish.registration_number,
            "status": "Registered",
            "role": "Care & <b>support</b> worker",
        },
        {
            "name": 'Ann <script>alert("x")</script> Smith',
            "href": reverse("register:public-entry", args=[scripted.registration_number]),
            "number": scripted.registration_number,
            "status": "Registered",
            "role": "Not recorded",
        },
    ]
    assert ">Ann O&#x27;Brien &amp; Łucja Smithers</a>" in page
    assert ">Ann &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Smith</a>" in page
    assert '<td data-label="Role">Care &amp; &lt;b&gt;support&lt;/b&gt; worker</td>' in page
    assert "<script>" not in page
    assert "<b>support" not in page


def test_each_row_link_opens_that_persons_entry(client):
    for name in ["Amy Smith", "Beth Smith", "Cara Smith"]:
        RegisterEntryFactory(application__legal_name=name)

    rows = result_rows(search_page(client, q="smith"))

    assert [row["name"] for row in rows] == ["Amy Smith", "Beth Smith", "Cara Smith"]
    for row in rows:
        entry_page = client.get(row["href"])
        assert entry_page.status_code == 200
        assert row["number"] in entry_page.content.decode()
        assert row["name"] in entry_page.content.decode()


def test_a_suspension_shows_the_day_it_ends_as_day_month_and_year(client):
    # A single-digit day, to show it is written without a leading zero ("j F Y").
    until = datetime.date(timezone.localdate().year + 2, 3, 5)
    RegisterEntryFactory(
        application__legal_name="Sam Paused",
        application__pathway_role=None,
        status=RegisterEntry.Status.SUSPENDED,
        suspension_kind=RegisterEntry.SuspensionKind.INTERIM,
        suspended_until=until,
    )
    RegisterEntryFactory(
        application__legal_name="Sam Pausewell",
        application__pathway_role=None,
        status=RegisterEntry.Status.SUSPENDED,
        suspension_kind=RegisterEntry.SuspensionKind.INTERIM,
        suspended_until=None,
    )

    rows = result_rows(search_page(client, q="sam pause"))

    assert [(row["name"], row["status"]) for row in rows] == [
        ("Sam Paused", f"Suspended until 5 March {until.year}"),
        ("Sam Pausewell", "Suspended"),
    ]


def test_a_full_page_has_one_row_for_each_result_on_it(client, settings):
    settings.REGISTER_PAGE_SIZE = 20
    for number in range(23):
        RegisterEntryFactory(application__legal_name=f"Ann Smith{chr(ord('a') + number)}")

    first, second = search_page(client, q="ann smi"), search_page(client, q="ann smi", page=2)

    assert len(result_rows(first)) == 20
    assert len(result_rows(second)) == 3
    assert [row["name"] for row in result_rows(second)] == [
        "Ann Smithu",
        "Ann Smithv",
        "Ann Smithw",
    ]
