# ruff: noqa: F811  (the quiz fixtures are imported from tests/careers/quiz_world.py)
"""The quiz pages: taking a quiz anonymously one question a page, saving and sharing, the
employer's view of what was shared, where people went next, and the association's pages."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.models import QuizCompletion, QuizResult, QuizShare
from careers.services.quizzes import quiz_completion_record, quiz_result_save
from demo.careers_quizzes import IS_CARE_FOR_ME, WHAT_WOULD_YOU_DO
from tests.careers.quiz_world import (  # noqa: F401
    SCENARIO_ANSWERS,
    candidate,
    candidate_application,
    preview,
    quizzes,
    scenarios,
)
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _take(client, slug: str, content: dict) -> None:
    for number, question in enumerate(content["questions"], start=1):
        response = client.post(
            reverse("careers:quiz-question", args=[slug, number]),
            {"option": question["options"][-1]["key"]},
        )
        assert response.status_code == 302
        reflection = client.get(response.url)
        assert question["options"][-1]["feedback"] in reflection.content.decode()


def test_someone_not_signed_in_takes_the_scenarios_quiz_and_sees_strengths_not_a_score(
    client, scenarios
):
    _take(client, scenarios.slug, WHAT_WOULD_YOU_DO)
    page = client.get(reverse("careers:quiz-result", args=[scenarios.slug])).content.decode()
    assert "Strengths to talk about at interview" in page
    assert "Courageous and principled" in page
    for word in ("score", "pass", "fail", "out of"):
        assert f" {word} " not in page.lower().replace("no score", "").replace("or fail", "")
    assert QuizCompletion.objects.filter(version__quiz=scenarios).count() == 1
    assert not QuizResult.objects.exists()


def test_an_unanswered_question_is_asked_again_with_an_error(client, preview):
    response = client.post(reverse("careers:quiz-question", args=[preview.slug, 1]), {})
    assert response.status_code == 400
    assert "Choose the answer closest to yours." in response.content.decode()


def test_the_result_page_sends_someone_back_to_the_first_unanswered_question(client, preview):
    client.post(reverse("careers:quiz-question", args=[preview.slug, 1]), {"option": "a"})
    response = client.get(reverse("careers:quiz-result", args=[preview.slug]))
    assert response.url == reverse("careers:quiz-question", args=[preview.slug, 2])


def test_a_question_page_reads_no_database_for_a_first_time_visitor(client, preview):
    url = reverse("careers:quiz-question", args=[preview.slug, 3])
    client.get(url)  # the words are read once per process
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert IS_CARE_FOR_ME["questions"][2]["text"] in response.content.decode()
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_a_newly_published_version_is_taken_by_new_visitors(client, preview, association_admin):
    from careers.services.quizzes import quiz_version_draft_start, quiz_version_publish

    client.get(reverse("careers:quiz-start", args=[preview.slug]))
    draft = quiz_version_draft_start(quiz=preview, user=association_admin, written_with="new group")
    quiz_version_publish(version=draft, user=association_admin)
    page = client.get(reverse("careers:quiz-start", args=[preview.slug])).content.decode()
    assert "Written with new group. Version 2." in page


def test_saving_needs_an_account_and_keeps_the_answers_after_signing_in(
    client, scenarios, candidate
):
    _take(client, scenarios.slug, WHAT_WOULD_YOU_DO)
    response = client.post(reverse("careers:quiz-save", args=[scenarios.slug]))
    assert response.status_code == 302 and "login" in response.url
    client.force_login(candidate)
    response = client.post(reverse("careers:quiz-save", args=[scenarios.slug]))
    result = QuizResult.objects.get(user=candidate)
    assert response.url == reverse("careers:quiz-saved", args=[result.pk])
    assert result.version == scenarios.versions.get()
    assert result.answers["risk"] == WHAT_WOULD_YOU_DO["questions"][2]["options"][-1]["key"]


def test_a_shared_reflection_shows_on_the_employers_applicant_page_until_stopped(
    client, scenarios, candidate, candidate_application
):
    result = quiz_result_save(
        version=scenarios.versions.get(), user=candidate, answers=SCENARIO_ANSWERS
    )
    client.force_login(candidate)
    response = client.post(
        reverse("careers:quiz-share", args=[result.pk]),
        {"application": candidate_application.pk, "question_keys": ["risk"]},
    )
    assert response.status_code == 302
    share = QuizShare.objects.get()

    employer = MembershipFactory(organisation=candidate_application.vacancy.organisation).user
    client.force_login(employer)
    applicant_page = reverse(
        "jobs:pipeline-applicant",
        kwargs={
            "reference": candidate_application.vacancy.reference,
            "application": candidate_application.reference,
        },
    )
    page = client.get(applicant_page).content.decode()
    assert "What would you do?: completed" in page
    assert "Talk with her about how to make the walk safer" in page
    assert "Gently remind him" not in page  # a reflection not chosen

    client.force_login(candidate)
    client.post(reverse("careers:quiz-share-stop", args=[share.pk]))
    client.force_login(employer)
    assert "What would you do?: completed" not in client.get(applicant_page).content.decode()


def test_the_share_page_offers_only_the_persons_own_open_applications(
    client, scenarios, candidate, candidate_application
):
    from tests.factories import JobApplicationFactory

    someone_elses = JobApplicationFactory()
    result = quiz_result_save(
        version=scenarios.versions.get(), user=candidate, answers=SCENARIO_ANSWERS
    )
    client.force_login(candidate)
    page = client.get(reverse("careers:quiz-share", args=[result.pk])).content.decode()
    assert candidate_application.reference in page and someone_elses.reference not in page
    response = client.post(
        reverse("careers:quiz-share", args=[result.pk]),
        {"application": someone_elses.pk, "question_keys": ["risk"]},
    )
    assert response.status_code == 400 and not QuizShare.objects.exists()


def test_looking_at_jobs_and_applying_after_a_quiz_are_counted_without_a_name(
    client, preview, candidate
):
    _take(client, preview.slug, IS_CARE_FOR_ME)
    completion = QuizCompletion.objects.get()
    client.get(reverse("jobs:search"))
    completion.refresh_from_db()
    assert completion.viewed_jobs and not completion.applied

    client.force_login(candidate)  # the session's data survives signing in
    from tests.factories import JobApplicationFactory

    JobApplicationFactory(applicant=candidate)
    client.get(reverse("jobs:my-applications"))
    completion.refresh_from_db()
    assert completion.applied
    assert "careers_quiz_completions" not in client.session


def test_someone_elses_saved_result_is_not_found(client, scenarios, candidate, worker):
    result = quiz_result_save(
        version=scenarios.versions.get(), user=candidate, answers=SCENARIO_ANSWERS
    )
    client.force_login(worker)
    assert client.get(reverse("careers:quiz-saved", args=[result.pk])).status_code == 404
    assert client.post(reverse("careers:quiz-saved-delete", args=[result.pk])).status_code == 404
    assert QuizResult.objects.filter(pk=result.pk).exists()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("association_admin", 200),
        ("other_association_member", 403),
        ("employer", 403),
        ("worker", 403),
        ("registrar", 403),
    ],
)
@pytest.mark.parametrize("name", ["careers:quiz-versions", "careers:quiz-figures"])
def test_who_may_open_the_associations_quiz_pages(
    client, request, scenarios, persona, expected, name
):
    if persona == "other_association_member":
        user = MembershipFactory(
            organisation=OrganisationFactory(kind="association", name="Another association")
        ).user
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse(name, args=[scenarios.slug])).status_code == expected


def test_an_association_edits_a_draft_and_publishes_it(client, scenarios, association_admin):
    import json

    client.force_login(association_admin)
    response = client.post(reverse("careers:quiz-draft-start", args=[scenarios.slug]))
    assert response.url == reverse("careers:quiz-version", args=[scenarios.slug, 2])
    content = dict(WHAT_WOULD_YOU_DO, intro="A new beginning.")
    response = client.post(
        response.url,
        {"title": "What would you do?", "written_with": "a group", "content": json.dumps(content)},
    )
    assert response.status_code == 302
    client.post(reverse("careers:quiz-publish", args=[scenarios.slug, 2]))
    assert (
        "A new beginning."
        in client.get(reverse("careers:quiz-start", args=[scenarios.slug])).content.decode()
    )


def test_a_draft_with_too_few_questions_is_refused_in_plain_english(
    client, scenarios, association_admin
):
    import json

    client.force_login(association_admin)
    client.post(reverse("careers:quiz-draft-start", args=[scenarios.slug]))
    content = dict(WHAT_WOULD_YOU_DO, questions=WHAT_WOULD_YOU_DO["questions"][:3])
    response = client.post(
        reverse("careers:quiz-version", args=[scenarios.slug, 2]),
        {"title": "T", "written_with": "a group", "content": json.dumps(content)},
    )
    assert response.status_code == 400
    assert "8 to 10 questions" in response.content.decode()


def test_the_figures_withhold_small_numbers(client, scenarios, association_admin):
    version = scenarios.versions.get()
    for number in range(12):
        completion = quiz_completion_record(version=version)
        if number < 2:
            completion.applied = completion.viewed_jobs = True
            completion.save()
        elif number < 9:
            completion.viewed_jobs = True
            completion.save()
    client.force_login(association_admin)
    page = client.get(reverse("careers:quiz-figures", args=[scenarios.slug])).content.decode()
    assert '<td data-label="Completed">12</td>' in page
    assert '<td data-label="Applied">fewer than 5</td>' in page
    assert '<td data-label="Applied">2</td>' not in page


def test_an_answer_from_a_session_needs_the_csrf_token_and_a_first_answer_does_not(preview):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    url = reverse("careers:quiz-question", args=[preview.slug, 1])
    # A first visitor's page is kept without a token: there is no session to forge into yet.
    assert "csrfmiddlewaretoken" not in browser.get(url).content.decode()
    assert browser.post(url, {"option": "a"}).status_code == 302
    # Now the answers live in a session: a post without its token is refused.
    assert browser.post(url, {"option": "b"}).status_code == 403
    page = browser.get(reverse("careers:quiz-question", args=[preview.slug, 2])).content.decode()
    assert "csrfmiddlewaretoken" in page


# A forged answer from another site: it carries no session cookie (SameSite=Lax), so without
# these checks it would be taken, and its new session's cookie would replace the victim's.
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://forger.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://forger.example/quiz.html"},
    ],
)
def test_a_first_answer_from_another_site_is_refused_and_sets_no_cookie(preview, headers):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    url = reverse("careers:quiz-question", args=[preview.slug, 1])
    response = browser.post(url, {"option": "a"}, **headers)
    assert response.status_code == 403
    assert "another site" in response.content.decode()
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_first_answer_from_the_site_itself_is_taken(preview):
    from django.test import Client

    url = reverse("careers:quiz-question", args=[preview.slug, 1])
    same_site = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    assert Client().post(url, {"option": "a"}, **same_site).status_code == 302
    from_page = {"HTTP_REFERER": "http://testserver" + url}
    assert Client().post(url, {"option": "a"}, **from_page).status_code == 302
    # Over https, as Django's own check does, a post that says where it came from is needed.
    assert Client().post(url, {"option": "a"}, secure=True).status_code == 403
    https = {"HTTP_ORIGIN": "https://testserver"}
    assert Client().post(url, {"option": "a"}, secure=True, **https).status_code == 302


def test_completions_beyond_the_limit_for_an_address_are_not_counted(preview, monkeypatch):
    from django.test import Client

    from careers.services import quizzes

    monkeypatch.setattr(quizzes, "COMPLETIONS_PER_ADDRESS_PER_HOUR", 2)
    for _ in range(3):
        browser = Client()
        _take(browser, preview.slug, IS_CARE_FOR_ME)
        # The last person is still shown their result; only the count is not made.
        result = browser.get(reverse("careers:quiz-result", args=[preview.slug]))
        assert result.status_code == 200
    assert QuizCompletion.objects.count() == 2
    _take(Client(REMOTE_ADDR="192.0.2.9"), preview.slug, IS_CARE_FOR_ME)
    assert QuizCompletion.objects.count() == 3


def test_an_application_sent_earlier_the_same_day_is_not_counted_as_going_on(
    client, preview, candidate
):
    from tests.factories import JobApplicationFactory

    JobApplicationFactory(applicant=candidate, submitted_at=timezone.now())
    _take(client, preview.slug, IS_CARE_FOR_ME)
    completion = QuizCompletion.objects.get()
    client.force_login(candidate)
    client.get(reverse("jobs:my-applications"))
    completion.refresh_from_db()
    assert not completion.applied
