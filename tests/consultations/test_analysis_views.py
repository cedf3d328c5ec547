"""The analysis pages and the public outcome page: who may open what, what they show, and that
what people typed is shown as text, never run as markup."""

import pytest
from django.urls import reverse

from consultations.models import Consultation, Theme
from consultations.services import outcome
from tests.factories import (
    ConsultationFactory,
    ResponseFactory,
    close_by_the_clock,
    comment_answers,
    start_analysis,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('hi')</script>"
PERSONAS = ["association_admin", "other_association_admin", "worker", "employer", "anonymous"]


@pytest.fixture
def analysing(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    for _ in range(6):
        ResponseFactory(consultation=consultation, comment="Training costs too much")
    ResponseFactory(
        consultation=consultation, respondent_type="employer", support="Disagree", comment=SCRIPT
    )
    return start_analysis(close_by_the_clock(consultation), association_admin)


@pytest.fixture
def published(association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, title="Published one", status="open"
    )
    for _ in range(8):
        ResponseFactory(consultation=consultation, support="Agree")
    for _ in range(3):
        ResponseFactory(consultation=consultation, respondent_type="employer", support="Disagree")
    consultation = start_analysis(close_by_the_clock(consultation), association_admin)
    outcome.consultation_publish_outcome(
        consultation=consultation,
        user=association_admin,
        outcome_summary=f"You said it costs too much.\n\nWe will make it free. {SCRIPT}",
    )
    consultation.refresh_from_db()
    return consultation


# page -> status for each persona in PERSONAS order. 302 for anonymous: the sign-in page.
GET_TABLE = {
    "consultations:analysis": [200, 404, 404, 404, 302],
    "consultations:analysis-answers": [200, 404, 404, 404, 302],
    "consultations:responses-csv": [200, 404, 404, 404, 302],
    "consultations:report-pdf": [200, 404, 404, 404, 302],
    "consultations:publish": [200, 404, 404, 404, 302],
    "consultations:outcome (published)": [200, 200, 200, 200, 200],
    "consultations:outcome-pdf (published)": [200, 200, 200, 200, 200],
    "consultations:outcome (not yet published)": [404, 404, 404, 404, 404],
}
# Each POST from the owning association redirects back to the answers page.
POST_TABLE = {
    "consultations:theme-create": [302, 404, 404, 404, 302],
    "consultations:theme-rename": [302, 404, 404, 404, 302],
    "consultations:theme-delete": [302, 404, 404, 404, 302],
    "consultations:answer-tag": [302, 404, 404, 404, 302],
    "consultations:answer-untag": [302, 404, 404, 404, 302],
    "consultations:answers-tag-matching": [302, 404, 404, 404, 302],
}


def _get_url(name, analysing, published):
    if name.endswith("(published)"):
        return reverse(name.split()[0], args=[published.slug])
    if name.endswith("(not yet published)"):
        return reverse(name.split()[0], args=[analysing.slug])
    return reverse(name, args=[analysing.pk])


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        (name, persona, statuses[index])
        for name, statuses in GET_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_get_access_table(client, request, analysing, published, name, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.get(_get_url(name, analysing, published))

    assert response.status_code == expected
    if persona == "anonymous" and expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        (name, persona, statuses[index])
        for name, statuses in POST_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_post_access_table(client, request, analysing, association_admin, name, persona, expected):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    answer = comment_answers(analysing)[0]
    target = {
        "consultations:theme-create": analysing.pk,
        "consultations:theme-rename": theme.pk,
        "consultations:theme-delete": theme.pk,
        "consultations:answer-tag": answer.pk,
        "consultations:answer-untag": answer.pk,
        "consultations:answers-tag-matching": analysing.pk,
    }[name]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))

    response = client.post(
        reverse(name, args=[target]), {"name": "Time", "theme": theme.pk, "return_q": "training"}
    )

    assert response.status_code == expected
    changed = {
        "consultations:theme-create": Theme.objects.filter(name="Time").exists(),
        "consultations:theme-rename": Theme.objects.filter(name="Time").exists(),
        "consultations:theme-delete": not Theme.objects.filter(pk=theme.pk).exists(),
        "consultations:answer-tag": answer.themes.exists(),
        "consultations:answer-untag": False,
        "consultations:answers-tag-matching": theme.answers.count() == 6,
    }[name]
    assert changed is (persona == "association_admin" and name != "consultations:answer-untag")


def test_the_results_page_shows_true_numbers_a_chart_and_the_time_against_the_estimate(
    client, analysing, association_admin
):
    client.force_login(association_admin)

    response = client.get(reverse("consultations:analysis", args=[analysing.pk]))

    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    # The employer's one "Disagree": a true 1 here, never "fewer than 5".
    disagree = html.split('<th scope="row">Disagree</th>')[1].split("</tr>")[0]
    assert "<td>1 (14%)</td>" in disagree
    assert "fewer than 5" not in html.split("Results by question")[1]
    assert "Median time to answer" in html
    assert "2 minutes" in html


def test_the_results_wait_for_the_close(client, association_admin, association):
    consultation = ConsultationFactory(
        created_by=association_admin, organisation=association, status="open"
    )
    ResponseFactory(consultation=consultation)
    client.force_login(association_admin)

    response = client.get(reverse("consultations:analysis", args=[consultation.pk]))

    assert response.status_code == 200
    assert "The results are not ready yet" in response.content.decode()


def test_free_text_is_escaped_on_the_answers_page(client, analysing, association_admin):
    client.force_login(association_admin)

    response = client.get(reverse("consultations:analysis-answers", args=[analysing.pk]))

    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in html


def test_answers_are_searched_without_regard_to_case(client, analysing, association_admin):
    client.force_login(association_admin)

    response = client.get(
        reverse("consultations:analysis-answers", args=[analysing.pk]), {"q": "COSTS"}
    )

    page = response.context["page"]
    assert page.paginator.count == 6
    assert all("costs" in answer.text for answer in page)


def test_answers_come_a_page_at_a_time(client, analysing, association_admin):
    for number in range(30):
        ResponseFactory(consultation=analysing, comment=f"Comment number {number}")
    client.force_login(association_admin)
    url = reverse("consultations:analysis-answers", args=[analysing.pk])

    first = client.get(url, {"q": "comment number"})
    second = client.get(url, {"q": "comment number", "page": 2})

    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"]) == 25
    assert len(second.context["page"]) == 5
    assert "q=comment+number&amp;page=2" in first.content.decode()


def test_answers_are_narrowed_to_a_theme(client, analysing, association_admin):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    outcome.answer_tag(answer=comment_answers(analysing)[0], theme=theme, user=association_admin)
    client.force_login(association_admin)

    response = client.get(
        reverse("consultations:analysis-answers", args=[analysing.pk]), {"theme": theme.pk}
    )

    assert response.context["page"].paginator.count == 1
    assert "Cost</strong>: 1 answer." in response.content.decode()


def test_tagging_through_the_page_goes_back_to_the_same_search(
    client, analysing, association_admin
):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    answer = comment_answers(analysing)[0]
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:answer-tag", args=[answer.pk]),
        {
            "theme": theme.pk,
            "return_q": "costs",
            "return_page": "1",
            "next": "https://evil.example/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("consultations:analysis-answers", args=[analysing.pk])
        + f"?q=costs&page=1#answer-{answer.pk}"
    )
    assert list(answer.themes.all()) == [theme]


def test_a_refused_theme_says_why(client, analysing, association_admin):
    outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:theme-create", args=[analysing.pk]), {"name": "cost"}, follow=True
    )

    assert "There is already a theme called “cost”." in response.content.decode()
    assert Theme.objects.count() == 1


def test_publishing_through_the_page_shows_the_outcome(client, analysing, association_admin):
    client.force_login(association_admin)

    client.post(
        reverse("consultations:publish", args=[analysing.pk]),
        {"outcome_summary": "We will make training free."},
    )
    response = client.post(
        reverse("consultations:publish-confirm", args=[analysing.pk]), follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("consultations:outcome", args=[analysing.slug])
    html = response.content.decode()
    assert "The outcome is published." in html
    assert "We will make training free." in html
    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.PUBLISHED


def test_publishing_without_the_outcome_text_says_what_to_write(
    client, analysing, association_admin
):
    client.force_login(association_admin)

    response = client.post(reverse("consultations:publish", args=[analysing.pk]), {})

    assert response.status_code == 200
    assert "Write what you heard and what you will do about it" in response.content.decode()
    analysing.refresh_from_db()
    assert analysing.status == Consultation.Status.ANALYSING


def test_publishing_a_closed_consultation_through_the_page_is_refused_with_the_reason(
    client, association_admin, association
):
    closed = close_by_the_clock(
        ConsultationFactory(created_by=association_admin, organisation=association, status="open")
    )
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:publish", args=[closed.pk]), {"outcome_summary": "Done."}
    )

    assert "Start the analysis before publishing the outcome." in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == Consultation.Status.CLOSED


def test_the_outcome_page_shows_suppressed_numbers_and_escaped_text(client, published):
    response = client.get(reverse("consultations:outcome", args=[published.slug]))

    html = response.content.decode()
    assert "<p>You said it costs too much.</p>" in html
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    disagree = html.split('<th scope="row">Disagree</th>')[1].split("</tr>")[0]
    assert "fewer than 5" in disagree
    assert "<td>3" not in disagree
    # 8 of 11 agree: shown, it would give the 3 away.
    agree = html.split('<th scope="row">Agree</th>')[1].split("</tr>")[0]
    assert "withheld" in agree


def test_the_outcome_pdf_is_the_suppressed_report(client, published):
    import io

    from pypdf import PdfReader

    response = client.get(reverse("consultations:outcome-pdf", args=[published.slug]))

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Published one" in text
    assert "fewer than 5" in text
    assert "We will make it free." in text


def test_the_consultation_page_links_to_its_published_outcome(client, published):
    response = client.get(reverse("consultations:detail", args=[published.slug]))

    assert reverse("consultations:outcome", args=[published.slug]) in response.content.decode()


def test_a_closed_consultation_nobody_answered_shows_zeros(client, association_admin, association):
    closed = close_by_the_clock(
        ConsultationFactory(created_by=association_admin, organisation=association, status="open")
    )
    client.force_login(association_admin)

    response = client.get(reverse("consultations:analysis", args=[closed.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not known: no response recorded how long it took." in html
    assert "Answered by 0." in html


def test_tag_all_matching_through_the_page_tags_the_search_and_keeps_it(
    client, analysing, association_admin
):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    outcome.answer_tag(answer=comment_answers(analysing)[0], theme=theme, user=association_admin)
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:answers-tag-matching", args=[analysing.pk]),
        {"theme": theme.pk, "return_q": "COSTS", "return_page": "2"},
        follow=True,
    )

    assert response.redirect_chain[0][0] == (
        reverse("consultations:analysis-answers", args=[analysing.pk]) + "?q=COSTS&page=2"
    )
    assert "Tagged 5 answers “Cost”. 1 already had it." in response.content.decode()
    assert theme.answers.count() == 6
    assert SCRIPT not in [answer.text for answer in theme.answers.all()]


def test_tag_all_matching_without_a_theme_or_a_search_says_what_to_do(
    client, analysing, association_admin
):
    theme = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    client.force_login(association_admin)
    url = reverse("consultations:answers-tag-matching", args=[analysing.pk])

    no_theme = client.post(url, {"theme": "", "return_q": "costs"}, follow=True)
    no_search = client.post(url, {"theme": theme.pk}, follow=True)

    assert "Choose a theme to tag the answers with." in no_theme.content.decode()
    assert "Search the answers, or choose a question or a theme" in no_search.content.decode()
    assert not theme.answers.exists()


def test_the_tag_all_form_shows_only_for_a_search_while_tagging_is_allowed(
    client, analysing, association_admin
):
    outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    client.force_login(association_admin)
    url = reverse("consultations:analysis-answers", args=[analysing.pk])

    searched = client.get(url, {"q": "costs"}).content.decode()
    unsearched = client.get(url).content.decode()
    outcome.consultation_publish_outcome(
        consultation=analysing, user=association_admin, outcome_summary="Done."
    )
    published = client.get(url, {"q": "costs"}).content.decode()

    assert "Tag all 6 matching answers with a theme" in searched
    assert "Tag all matching answers" not in unsearched
    assert "Tag all matching answers" not in published


def test_an_answer_is_not_offered_a_theme_it_has_and_each_tag_has_a_remove_button(
    client, analysing, association_admin
):
    cost = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    outcome.theme_create(consultation=analysing, user=association_admin, name="Time")
    first, second = comment_answers(analysing)[:2]
    outcome.answer_tag(answer=first, theme=cost, user=association_admin)
    client.force_login(association_admin)

    html = client.get(reverse("consultations:analysis-answers", args=[analysing.pk])).content
    html = html.decode()

    first_select = html.split(f'id="tag-{first.pk}"')[1].split("</select>")[0]
    second_select = html.split(f'id="tag-{second.pk}"')[1].split("</select>")[0]
    assert ">Cost<" not in first_select and ">Time<" in first_select
    assert ">Cost<" in second_select and ">Time<" in second_select
    assert 'Remove<span class="visually-hidden"> theme Cost from answer 1</span>' in html
    assert html.count("from answer ") == 1


def test_an_answer_with_every_theme_has_no_tag_form(client, analysing, association_admin):
    cost = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    first = comment_answers(analysing)[0]
    outcome.answer_tag(answer=first, theme=cost, user=association_admin)
    client.force_login(association_admin)

    html = client.get(reverse("consultations:analysis-answers", args=[analysing.pk])).content

    assert f'id="tag-{first.pk}"'.encode() not in html
    assert f'id="tag-{comment_answers(analysing)[1].pk}"'.encode() in html


def test_removing_a_tag_through_the_page_takes_it_off_and_goes_back(
    client, analysing, association_admin
):
    cost = outcome.theme_create(consultation=analysing, user=association_admin, name="Cost")
    answer = comment_answers(analysing)[0]
    outcome.answer_tag(answer=answer, theme=cost, user=association_admin)
    client.force_login(association_admin)

    response = client.post(
        reverse("consultations:answer-untag", args=[answer.pk]),
        {"theme": cost.pk, "return_q": "costs"},
    )

    assert response["Location"] == (
        reverse("consultations:analysis-answers", args=[analysing.pk])
        + f"?q=costs#answer-{answer.pk}"
    )
    assert not answer.themes.exists()
