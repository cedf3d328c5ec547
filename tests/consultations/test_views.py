"""The pages: who may open what, and answering from start to reference through the forms."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import Consultation, Response, ResponseDraft
from tests.factories import ConsultationFactory, answers, option_id, question

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "worker",
    "registered_worker",
    "employer",
    "provider",
    "association_admin",
    "other_association_admin",
    "registrar",
]

# page -> expected status per persona, in PERSONAS order. 302 for an anonymous visitor on the
# association's pages is the redirect to sign in; 404 hides another association's drafts.
ACCESS_TABLE = {
    "consultations:list": [200, 200, 200, 200, 200, 200, 200, 200],
    "consultations:detail": [200, 200, 200, 200, 200, 200, 200, 200],
    "consultation-detail-of-draft": [404, 404, 404, 404, 404, 404, 404, 404],
    "consultations:page": [200, 200, 200, 200, 200, 200, 200, 200],
    "consultations:check": [200, 200, 200, 200, 200, 200, 200, 200],
    "consultations:save": [200, 200, 200, 200, 200, 200, 200, 200],
    "workers-only-page": [403, 403, 200, 403, 403, 403, 403, 403],
    "consultation-done-without-answering": [302, 302, 302, 302, 302, 302, 302, 302],
    "consultations:manage-list": [302, 403, 403, 403, 403, 200, 200, 403],
    "consultations:create": [302, 403, 403, 403, 403, 200, 200, 403],
    "consultations:manage": [302, 404, 404, 404, 404, 200, 404, 404],
    "consultations:edit": [302, 404, 404, 404, 404, 200, 404, 404],
    "consultations:question-add": [302, 404, 404, 404, 404, 200, 404, 404],
}


def _url(page, consultation, draft, workers_only):
    slug = consultation.slug
    return {
        "consultations:list": reverse("consultations:list"),
        "consultations:detail": reverse("consultations:detail", args=[slug]),
        "consultation-detail-of-draft": reverse("consultations:detail", args=[draft.slug]),
        "consultations:page": reverse("consultations:page", args=[slug, 1]),
        "consultations:check": reverse("consultations:check", args=[slug]),
        "consultations:save": reverse("consultations:save", args=[slug]),
        "workers-only-page": reverse("consultations:page", args=[workers_only.slug, 1]),
        "consultation-done-without-answering": reverse("consultations:done", args=[slug]),
        "consultations:manage-list": reverse("consultations:manage-list"),
        "consultations:create": reverse("consultations:create"),
        "consultations:manage": reverse("consultations:manage", args=[draft.pk]),
        "consultations:edit": reverse("consultations:edit", args=[draft.pk]),
        "consultations:question-add": reverse(
            "consultations:question-add", args=[draft.pages.last().pk]
        ),
    }[page]


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, statuses[index])
        for page, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, association_admin, association, page, persona, expected):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    draft = ConsultationFactory(
        created_by=association_admin, organisation=association, title="Still a draft"
    )
    workers_only = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        title="Workers only",
        audience="registered_workers",
        status="open",
    )
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(_url(page, consultation, draft, workers_only))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected", "scheduled"),
    [("anonymous", 302, False), ("employer", 404, False), ("association_admin", 302, True)],
)
def test_who_may_schedule(client, request, draft, persona, expected, scheduled):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(reverse("consultations:schedule", args=[draft.pk]))

    assert response.status_code == expected
    draft.refresh_from_db()
    assert (draft.status != Consultation.Status.DRAFT) is scheduled


def _post_page(client, consultation, number, data, action="continue"):
    return client.post(
        reverse("consultations:page", args=[consultation.slug, number]), {**data, "action": action}
    )


def _field(consultation, text):
    return f"q{question(consultation, text).pk}"


def test_answering_page_by_page_to_a_reference(client, consultation):
    slug = consultation.slug
    start = client.get(reverse("consultations:detail", args=[slug]))
    assert "about 4 minutes" in start.content.decode()
    assert client.post(reverse("consultations:detail", args=[slug])).url == reverse(
        "consultations:page", args=[slug, 1]
    )

    page_one = client.get(reverse("consultations:page", args=[slug, 1]))
    assert "Page 1 of 3" in page_one.content.decode()
    missing = _post_page(client, consultation, 1, {})
    assert "Select an answer to “Which of these best describes you?”" in missing.content.decode()

    about_you = {
        _field(consultation, "about you"): option_id(consultation, "about you", "A care worker")
    }
    assert _post_page(client, consultation, 1, about_you).url.endswith("/page/2/")
    views = {
        _field(consultation, "There should be a register."): option_id(
            consultation, "There should be a register.", "Agree"
        ),
        _field(consultation, "Would you join?"): option_id(consultation, "Would you join?", "No"),
    }
    # Answering "No" shows "What would stop you?" on the next page.
    assert _post_page(client, consultation, 2, views).url.endswith("/page/3/")
    page_three = client.get(reverse("consultations:page", args=[slug, 3])).content.decode()
    assert "Page 3 of 3" in page_three
    assert "What would stop you?" in page_three

    # Going back shows the answers already given.
    back = client.get(reverse("consultations:page", args=[slug, 1])).content.decode()
    assert re.search(rf'value="{about_you[_field(consultation, "about you")]}"[^>]*checked', back)

    stop = _field(consultation, "What would stop you?")
    last = {
        stop: ["other"],
        f"{stop}_other": "<script>alert(1)</script>",
        _field(consultation, "Anything else?"): "Fine",
    }
    assert _post_page(client, consultation, 3, last).url.endswith("/check/")

    check = client.get(reverse("consultations:check", args=[slug])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check
    assert "<script>alert(1)" not in check
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check).group(1)

    sent = client.post(reverse("consultations:check", args=[slug]), {"idempotency_key": key})
    assert sent.url == reverse("consultations:done", args=[slug])
    again = client.post(reverse("consultations:check", args=[slug]), {"idempotency_key": key})
    assert "You have already sent your answers" in again.content.decode()
    assert Response.objects.count() == 1
    response = Response.objects.get()
    done = client.get(reverse("consultations:done", args=[slug])).content.decode()
    assert response.reference in done
    assert (
        response.answers.get(question__text="What would stop you?").text
        == "<script>alert(1)</script>"
    )


def test_the_check_page_discards_a_hidden_answer_when_an_earlier_one_changes(client, consultation):
    slug = consultation.slug
    client.post(reverse("consultations:detail", args=[slug]))
    _post_page(
        client,
        consultation,
        1,
        {_field(consultation, "about you"): option_id(consultation, "about you", "Someone else")},
    )
    views = {
        _field(consultation, "There should be a register."): option_id(
            consultation, "There should be a register.", "Agree"
        ),
        _field(consultation, "Would you join?"): option_id(consultation, "Would you join?", "No"),
    }
    _post_page(client, consultation, 2, views)
    stop = _field(consultation, "What would stop you?")
    _post_page(
        client,
        consultation,
        3,
        {stop: [str(option_id(consultation, "What would stop you?", "Cost"))]},
    )
    views[_field(consultation, "Would you join?")] = option_id(
        consultation, "Would you join?", "Yes"
    )
    _post_page(client, consultation, 2, views)

    page_three = client.get(reverse("consultations:page", args=[slug, 3])).content.decode()
    assert "What would stop you?" not in page_three
    check = client.get(reverse("consultations:check", args=[slug])).content.decode()
    assert "What would stop you?" not in check
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check).group(1)
    client.post(reverse("consultations:check", args=[slug]), {"idempotency_key": key})
    response = Response.objects.get()
    assert response.respondent_type == "other"
    assert not response.answers.filter(question__text="What would stop you?").exists()


def test_save_and_come_back_later_by_an_emailed_link(
    client, consultation, django_capture_on_commit_callbacks
):
    slug = consultation.slug
    client.post(reverse("consultations:detail", args=[slug]))
    about_you = {
        _field(consultation, "about you"): option_id(consultation, "about you", "A care worker")
    }
    _post_page(client, consultation, 1, about_you)
    saved = _post_page(client, consultation, 2, {}, action="save")
    assert saved.url == reverse("consultations:save", args=[slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("consultations:save", args=[slug]), {"email": "me@example.org"})
    link = re.search(
        r"http://testserver(/consultations/\S+/resume/\S+/)", mail.outbox[0].body
    ).group(1)
    assert ResponseDraft.objects.count() == 1

    elsewhere = Client()
    resumed = elsewhere.get(link)
    assert resumed.url == reverse("consultations:page", args=[slug, 2])
    page_one = elsewhere.get(reverse("consultations:page", args=[slug, 1])).content.decode()
    assert re.search(
        rf'value="{option_id(consultation, "about you", "A care worker")}"[^>]*checked', page_one
    )


def test_a_closed_consultation_sends_people_back_to_its_start_page(client, consultation, clock):
    clock.set(consultation.closes_at)

    assert client.get(reverse("consultations:page", args=[consultation.slug, 1])).status_code == 302
    start = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert "This consultation has closed" in start
    assert "Start now" not in start


def test_an_association_admin_builds_a_question_through_the_form(client, association_admin, draft):
    client.force_login(association_admin)
    page = draft.pages.last()

    response = client.post(
        reverse("consultations:question-add", args=[page.pk]),
        {
            "kind": "single_choice",
            "text": "Are you paid the Real Living Wage?",
            "options": "Yes\nNo\nNot sure",
            "required": "on",
        },
    )

    assert response.status_code == 302
    added = page.questions.get(text="Are you paid the Real Living Wage?")
    assert [o.label for o in added.options.all()] == ["Yes", "No", "Not sure"]


def test_a_question_form_error_is_shown_in_plain_english(client, association_admin, draft):
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:question-add", args=[draft.pages.last().pk]),
        {"kind": "single_choice", "text": "Pick", "options": "Only one"},
    )

    assert "Enter at least two options, one on each line." in response.content.decode()


def test_a_signed_in_worker_sees_their_earlier_answers_when_changing_them(
    client, consultation, registered_worker
):
    from consultations.services.responding import response_submit

    Consultation.objects.filter(pk=consultation.pk).update(allow_edit_until_close=True)
    consultation.refresh_from_db()
    response_submit(
        consultation=consultation,
        answers=answers(consultation, who="A person receiving care"),
        user=registered_worker,
        idempotency_key="first",
    )
    client.force_login(registered_worker)

    start = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert "You can change your answers until it closes" in start
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    page_one = client.get(reverse("consultations:page", args=[consultation.slug, 1]))
    chosen = option_id(consultation, "about you", "A person receiving care")
    assert re.search(rf'value="{chosen}"[^>]*checked', page_one.content.decode())


def test_a_worker_who_answered_once_is_told_so_and_cannot_start_again(
    client, consultation, registered_worker
):
    from consultations.services.responding import response_submit

    response = response_submit(
        consultation=consultation,
        answers=answers(consultation),
        user=registered_worker,
        idempotency_key="first",
    ).response
    client.force_login(registered_worker)

    start = client.get(reverse("consultations:detail", args=[consultation.slug])).content.decode()
    assert f"You have already answered this consultation (reference {response.reference})" in start
    assert "Start now" not in start
    page = client.get(reverse("consultations:page", args=[consultation.slug, 1]))
    assert page.url == reverse("consultations:detail", args=[consultation.slug])


def test_the_association_changes_a_draft_s_details_through_the_form(
    client, association_admin, draft
):
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:edit", args=[draft.pk]),
        {
            "title": "A better title",
            "summary": "Still short.",
            "privacy_notice": "We keep answers.",
            "opens_at_0": "2",
            "opens_at_1": "12",
            "opens_at_2": "2026",
            "opens_at_3": "9:00",
            "closes_at_0": "30",
            "closes_at_1": "11",
            "closes_at_2": "2026",
            "closes_at_3": "23:59",
            "audience": "anyone",
        },
    )

    assert "The closing time must be after the opening time." in response.content.decode()
    response = client.post(
        reverse("consultations:edit", args=[draft.pk]),
        {
            "title": "A better title",
            "summary": "Still short.",
            "privacy_notice": "We keep answers.",
            "opens_at_0": "2",
            "opens_at_1": "12",
            "opens_at_2": "2026",
            "opens_at_3": "9:00",
            "closes_at_0": "30",
            "closes_at_1": "6",
            "closes_at_2": "2027",
            "closes_at_3": "23:59",
            "audience": "anyone",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "A better title"
    # Typed as UK time: 09:00 in December is 09:00 UTC; 23:59 in June (BST) is 22:59 UTC.
    assert draft.opens_at.isoformat() == "2026-12-02T09:00:00+00:00"
    assert draft.closes_at.isoformat() == "2027-06-30T22:59:00+00:00"


def test_the_question_form_offers_show_if_on_answers_from_earlier_pages_only(
    client, association_admin, draft
):
    client.force_login(association_admin)
    last_page = draft.pages.last()
    no = option_id(draft, "Would you join?", "No")
    cost = option_id(draft, "What would stop you?", "Cost")

    form = client.get(reverse("consultations:question-add", args=[last_page.pk])).content.decode()
    assert "Would you join?: No" in form
    assert f'value="{cost}"' not in form

    response = client.post(
        reverse("consultations:question-add", args=[last_page.pk]),
        {"kind": "short_text", "text": "Why not?", "show_if_options": [no], "required": "on"},
    )

    assert response.status_code == 302
    added = last_page.questions.get(text="Why not?")
    assert added.show_if_question == question(draft, "Would you join?")
    assert list(added.show_if_options.values_list("pk", flat=True)) == [no]


def test_sending_the_answers_clears_them_from_the_session_in_the_response_s_own_commit(
    client, consultation
):
    slug = consultation.slug
    client.post(reverse("consultations:detail", args=[slug]))
    session = client.session
    session[f"consultation-{consultation.pk}"] = {
        "answers": answers(consultation),
        "started_at": "2026-01-01T00:00:00+00:00",
        "draft_token": "",
    }
    session.save()

    with CaptureQueriesContext(connection) as queries:
        sent = client.post(reverse("consultations:check", args=[slug]), {"idempotency_key": "k1"})

    assert sent.url == reverse("consultations:done", args=[slug])
    stored = Session.objects.get(session_key=session.session_key).get_decoded()
    assert f"consultation-{consultation.pk}" not in stored
    assert stored[f"consultation-{consultation.pk}-reference"] == Response.objects.get().reference
    # The session is written once, inside the transaction that stores the response (in a
    # test, a savepoint): one commit per response, not a second one for the session after.
    statements = [q["sql"] for q in queries.captured_queries]
    assert sum(sql.startswith('UPDATE "django_session"') for sql in statements) == 1
    insert = next(i for i, sql in enumerate(statements) if 'INTO "consultations_response"' in sql)
    savepoint = next(
        sql.split()[-1] for sql in reversed(statements[:insert]) if sql.startswith("SAVEPOINT")
    )
    release = statements.index(f"RELEASE SAVEPOINT {savepoint}")
    session_update = next(
        i for i, sql in enumerate(statements) if sql.startswith('UPDATE "django_session"')
    )
    assert insert < session_update < release


# --- The progress label with a page that only some people see (issue 18) --------------------

WHY_NOT = "Why would you not join?"


@pytest.fixture
def with_show_if_page(draft, association_admin):
    """The tests' consultation with a fourth page, asked only of people who would not join."""
    from consultations.models import Question
    from consultations.services import building, lifecycle

    why = building.page_add(consultation=draft, user=association_admin, title="Why not")
    building.question_add(
        page=why,
        user=association_admin,
        kind=Question.Kind.LONG_TEXT,
        text=WHY_NOT,
        show_if_options=[question(draft, "Would you join?").options.get(label="No")],
    )
    lifecycle.consultation_schedule(consultation=draft, user=association_admin)
    draft.refresh_from_db()
    return draft


def _progress(client, consultation, number):
    html = client.get(reverse("consultations:page", args=[consultation.slug, number]))
    return re.search(r"<strong>(Page [^<]+)</strong>", html.content.decode()).group(1)


def _views(consultation, join):
    return {
        _field(consultation, "There should be a register."): option_id(
            consultation, "There should be a register.", "Agree"
        ),
        _field(consultation, "Would you join?"): option_id(consultation, "Would you join?", join),
    }


def _about_you(consultation):
    return {
        _field(consultation, "about you"): option_id(consultation, "about you", "A care worker")
    }


def test_the_total_counts_a_page_that_may_yet_be_shown_and_never_grows(client, with_show_if_page):
    consultation = with_show_if_page
    client.post(reverse("consultations:detail", args=[consultation.slug]))

    labels = [_progress(client, consultation, 1)]
    _post_page(client, consultation, 1, _about_you(consultation))
    labels.append(_progress(client, consultation, 2))
    _post_page(client, consultation, 2, _views(consultation, "No"))
    labels.append(_progress(client, consultation, 3))
    stop = {
        _field(consultation, "What would stop you?"): [
            str(option_id(consultation, "What would stop you?", "Cost"))
        ]
    }
    assert _post_page(client, consultation, 3, stop).url.endswith("/page/4/")
    labels.append(_progress(client, consultation, 4))

    assert labels == ["Page 1 of up to 4", "Page 2 of up to 4", "Page 3 of 4", "Page 4 of 4"]


def test_the_total_drops_to_the_pages_left_once_an_answer_rules_a_page_out(
    client, with_show_if_page
):
    consultation = with_show_if_page
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    _post_page(client, consultation, 1, _about_you(consultation))
    _post_page(client, consultation, 2, _views(consultation, "Yes"))

    assert _progress(client, consultation, 3) == "Page 3 of 3"
    assert _post_page(client, consultation, 3, {}).url.endswith("/check/")
    # Back on the first page, every answer is known: the total is exact.
    assert _progress(client, consultation, 1) == "Page 1 of 3"


def test_without_show_if_pages_the_total_is_exact_from_the_start(client, consultation):
    client.post(reverse("consultations:detail", args=[consultation.slug]))

    assert _progress(client, consultation, 1) == "Page 1 of 3"


def test_pages_possibly_shown_only_lose_pages_as_answers_come_in(with_show_if_page):
    from consultations.answers import questions_possibly_shown, visible_questions

    consultation = with_show_if_page
    questions = list(consultation.questions.order_by("page__position", "position"))
    why_not = question(consultation, WHY_NOT)
    join = str(question(consultation, "Would you join?").pk)
    no = answers(consultation, join="No")
    yes = answers(consultation, join="Yes")
    not_yet = {key: value for key, value in yes.items() if key != join}

    assert why_not in questions_possibly_shown(questions, not_yet)
    assert why_not not in visible_questions(questions, not_yet)
    assert why_not in questions_possibly_shown(questions, no)
    assert why_not not in questions_possibly_shown(questions, yes)
    for given in (not_yet, no, yes):
        assert set(visible_questions(questions, given)) <= set(
            questions_possibly_shown(questions, given)
        )
    # Saved part way, "Would you join?" is stored blank: that decides nothing until its page
    # has been passed.
    blank = {**not_yet, join: {"options": [], "other": False, "other_text": "", "text": ""}}
    join_page = question(consultation, "Would you join?").page_id
    assert why_not in questions_possibly_shown(questions, blank)
    assert why_not not in questions_possibly_shown(questions, blank, pages_passed=[join_page])


# --- Back after sending (issue 18) -------------------------------------------------------------


def _send(client, consultation):
    """Answer the tests' consultation through the pages and send it, as a person does."""
    slug = consultation.slug
    client.post(reverse("consultations:detail", args=[slug]))
    _post_page(client, consultation, 1, _about_you(consultation))
    _post_page(client, consultation, 2, _views(consultation, "Yes"))
    _post_page(client, consultation, 3, {})
    check = client.get(reverse("consultations:check", args=[slug])).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check).group(1)
    sent = client.post(reverse("consultations:check", args=[slug]), {"idempotency_key": key})
    assert sent.url == reverse("consultations:done", args=[slug])
    return Response.objects.get()


@pytest.mark.parametrize(
    ("method", "name", "args"),
    [
        ("get", "consultations:check", []),
        ("post", "consultations:check", []),
        ("get", "consultations:page", [1]),
        ("get", "consultations:page", [3]),
        ("post", "consultations:page", [1]),
        ("get", "consultations:save", []),
    ],
)
def test_after_sending_the_answering_pages_say_so_instead_of_showing_errors(
    client, consultation, method, name, args
):
    response = _send(client, consultation)
    url = reverse(name, args=[consultation.slug, *args])

    shown = getattr(client, method)(url, {"idempotency_key": "a-fresh-key-from-a-new-page"})

    html = shown.content.decode()
    assert shown.status_code == 200
    assert "You have already sent your answers" in html
    assert response.reference in html
    assert "What happens next" in html
    assert "There is a problem" not in html
    assert "Send my answers" not in html
    assert Response.objects.count() == 1


def test_after_sending_someone_else_on_the_same_browser_starts_again_from_the_start_page(
    client, consultation
):
    _send(client, consultation)
    sent_page = client.get(reverse("consultations:check", args=[consultation.slug]))
    assert "Someone else using this device can answer" in sent_page.content.decode()

    client.post(reverse("consultations:detail", args=[consultation.slug]))
    page_one = client.get(reverse("consultations:page", args=[consultation.slug, 1]))

    assert "Page 1 of 3" in page_one.content.decode()
    assert "already sent" not in page_one.content.decode()


def test_a_signed_in_person_who_may_change_their_answers_is_told_how(
    client, association_admin, association, registered_worker
):
    editable = ConsultationFactory(
        created_by=association_admin,
        organisation=association,
        status="open",
        allow_edit_until_close=True,
    )
    client.force_login(registered_worker)
    _send(client, editable)

    html = client.get(reverse("consultations:check", args=[editable.slug])).content.decode()

    assert "You have already sent your answers" in html
    assert "Change your answers" in html


def test_the_answering_pages_are_never_cached(client, consultation):
    client.post(reverse("consultations:detail", args=[consultation.slug]))

    for url in (
        reverse("consultations:page", args=[consultation.slug, 1]),
        reverse("consultations:check", args=[consultation.slug]),
        reverse("consultations:save", args=[consultation.slug]),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


# --- A signed-in person's own address is filled in (issue 18) ----------------------------------


def _email_value(html: str, name: str = "email") -> str | None:
    found = re.search(rf'<input type="email" name="{name}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else None


def test_a_signed_in_person_saves_and_comes_back_without_typing_their_address(
    client, consultation, registered_worker, django_capture_on_commit_callbacks
):
    client.force_login(registered_worker)
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    _post_page(client, consultation, 1, _about_you(consultation), action="save")

    form = client.get(reverse("consultations:save", args=[consultation.slug])).content.decode()
    assert _email_value(form) == "registered@example.org"
    assert "This is your account's email address. You can change it." in form
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("consultations:save", args=[consultation.slug]), {"email": _email_value(form)}
        )

    assert "We sent a link to registered@example.org" in sent.content.decode()
    assert [message.to for message in mail.outbox] == [["registered@example.org"]]
    assert ResponseDraft.objects.count() == 1


def test_a_signed_in_person_may_send_the_link_to_another_address(
    client, consultation, registered_worker, django_capture_on_commit_callbacks
):
    client.force_login(registered_worker)
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    _post_page(client, consultation, 1, _about_you(consultation), action="save")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("consultations:save", args=[consultation.slug]),
            {"email": "home@example.org"},
        )

    assert [message.to for message in mail.outbox] == [["home@example.org"]]


def test_nobody_else_s_address_is_filled_in(client, consultation):
    from tests.factories import UserFactory

    unverified = UserFactory(email="unverified@example.org", verified=False)
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    anonymous = client.get(reverse("consultations:save", args=[consultation.slug]))
    client.force_login(unverified)
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    not_verified = client.get(reverse("consultations:save", args=[consultation.slug]))

    assert _email_value(anonymous.content.decode()) is None
    assert _email_value(not_verified.content.decode()) is None


def test_the_thank_you_page_fills_in_the_signed_in_person_s_address(
    client, consultation, registered_worker
):
    client.force_login(registered_worker)
    _send(client, consultation)

    done = client.get(reverse("consultations:done", args=[consultation.slug])).content.decode()

    assert _email_value(done, "receipt-email") == "registered@example.org"
    assert _email_value(done, "outcome-email") == "registered@example.org"


def test_a_page_saved_part_way_keeps_the_total_open_until_its_answer_is_given(
    client, with_show_if_page
):
    consultation = with_show_if_page
    client.post(reverse("consultations:detail", args=[consultation.slug]))
    _post_page(client, consultation, 1, _about_you(consultation))
    _post_page(client, consultation, 2, {}, action="save")

    assert _progress(client, consultation, 2) == "Page 2 of up to 4"
