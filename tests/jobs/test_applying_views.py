"""The three screens of applying and the applicant's pages: who may open each, the answers
kept in the session until Send, what a registered worker and someone not on the register are
told they share, a vacancy that closes meanwhile, withdrawing and stopping sharing."""

import pytest
from django.urls import reverse

from employers.models import ShareCode
from jobs.models import ApplicantDetails, Application, Vacancy
from jobs.services.applying import application_submit
from jobs.services.vacancies import vacancy_close
from tests.factories import UserFactory, VacancyFactory
from tests.jobs.conftest import answers_for

pytestmark = pytest.mark.django_db

Stage = Application.Stage

PERSONAS = ["anonymous", "applicant", "other_worker", "employer_member", "registrar"]

# URL -> GET status per persona, in PERSONAS order. 302 from anonymous is the redirect to sign
# in. The applicant already applied, so the first screen sends her to her application; the
# later screens send anyone without answers in progress back to the first; an employer's
# member is refused its own vacancy; 405: POST only.
GET_ACCESS = {
    "apply": "302 302 200 403 200",
    "apply-questions": "302 302 302 403 302",
    "apply-check": "302 302 302 403 302",
    "my-applications": "302 200 200 200 200",
    "my-application": "302 200 404 404 404",
    "my-application-withdraw": "302 200 404 404 404",
    "my-application-stop-sharing": "302 405 405 405 405",
}


@pytest.fixture
def walk(worker, entry, open_vacancy, employer_member, registrar):
    application = application_submit(
        vacancy=open_vacancy, applicant=worker, answers=answers_for(open_vacancy)
    ).application
    return {
        "application": application,
        "vacancy": open_vacancy,
        "personas": {
            "applicant": worker,
            "other_worker": UserFactory(email="olive@example.org", is_care_worker=True),
            "employer_member": employer_member,
            "registrar": registrar,
        },
    }


def _url(name: str, walk) -> str:
    if name.startswith("apply"):
        return reverse(f"jobs:{name}", args=[walk["vacancy"].reference])
    if name == "my-applications":
        return reverse("jobs:my-applications")
    return reverse(f"jobs:{name}", args=[walk["application"].reference])


@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        (name, persona, int(codes.split()[index]))
        for name, codes in GET_ACCESS.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, walk, name, persona, expected):
    if persona != "anonymous":
        client.force_login(walk["personas"][persona])

    response = client.get(_url(name, walk))

    assert response.status_code == expected


def test_someone_signed_out_is_sent_to_sign_in_and_back_to_the_vacancy(client, open_vacancy):
    url = reverse("jobs:apply", args=[open_vacancy.reference])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("persona", ["other_worker", "employer_member", "registrar"])
def test_nobody_but_the_applicant_withdraws_or_stops_sharing(client, walk, persona):
    client.force_login(walk["personas"][persona])
    reference = walk["application"].reference

    withdraw = client.post(reverse("jobs:my-application-withdraw", args=[reference]))
    stop = client.post(reverse("jobs:my-application-stop-sharing", args=[reference]))

    assert (withdraw.status_code, stop.status_code) == (404, 404)
    application = Application.objects.get()
    assert application.stage == Stage.RECEIVED and application.share.is_live()


def test_the_list_shows_only_the_persons_own_applications(client, walk):
    reference = walk["application"].reference
    for persona, user in walk["personas"].items():
        client.force_login(user)
        page = client.get(reverse("jobs:my-applications")).content.decode()
        assert (reference in page) == (persona == "applicant"), persona


def _apply_through_the_screens(client, vacancy, *, statement="I want to care.", share="False"):
    url = reverse("jobs:apply", args=[vacancy.reference])
    response = client.post(
        url, {"statement": statement, "availability": "Nights.", "phone": "07700 900456"}
    )
    assert response.status_code == 302, response.content.decode()
    data = {f"question_{question.pk}": "True" for question in vacancy.questions.all()}
    data["shares_identity_checks"] = share
    response = client.post(reverse("jobs:apply-questions", args=[vacancy.reference]), data)
    assert response.status_code == 302, response.content.decode()
    return reverse("jobs:apply-check", args=[vacancy.reference])


def test_a_registered_worker_applies_in_three_screens(client, worker, entry, open_vacancy):
    client.force_login(worker)
    url = reverse("jobs:apply", args=[open_vacancy.reference])

    first = client.get(url).content.decode()
    assert "Step 1 of 3" in first and "Your statement can have up to 500 words." in first

    response = client.post(
        url, {"statement": "I want to care for people.", "availability": "Nights."}
    )
    assert response["Location"] == reverse("jobs:apply-questions", args=[open_vacancy.reference])
    second = client.get(response["Location"]).content.decode()
    assert "Step 2 of 3" in second
    assert (
        "Applying shares your live register status and training passport with Sunrise Care "
        "Homes for this application only." in second
    )
    assert "Include the outcomes of your identity checks for Sunrise Care Homes?" in second
    assert "Can you work nights?" in second

    # A question left out is named, and nothing moves on.
    questions = list(open_vacancy.questions.all())
    response = client.post(
        reverse("jobs:apply-questions", args=[open_vacancy.reference]),
        {f"question_{questions[0].pk}": "True", "shares_identity_checks": "True"},
    )
    assert response.status_code == 400
    assert "Answer yes or no: Can you work nights?" in response.content.decode()

    response = client.post(
        reverse("jobs:apply-questions", args=[open_vacancy.reference]),
        {
            f"question_{questions[0].pk}": "True",
            f"question_{questions[1].pk}": "False",
            "shares_identity_checks": "True",
        },
    )
    check = client.get(response["Location"]).content.decode()
    assert "Step 3 of 3" in check
    assert "Supporting statement (6 words of 500)" in check
    assert "with the outcomes of your identity checks" in check
    assert "<dt>Can you work nights?</dt><dd>No</dd>" in check
    assert not Application.objects.exists()

    response = client.post(response["Location"], {"save_details": "on"})

    application = Application.objects.get()
    assert response["Location"] == reverse("jobs:my-application", args=[application.reference])
    assert application.shares_identity_checks and application.share.shares_identity_checks
    assert ApplicantDetails.objects.get(user=worker).statement == "I want to care for people."
    assert f"jobs-apply-{open_vacancy.reference}" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "Your application has been sent to Sunrise Care Homes." in page
    assert "Received" in page and "The employer has your application and will read it." in page


def test_someone_not_on_the_register_is_told_they_show_as_not_verified(
    client, outsider, open_vacancy
):
    client.force_login(outsider)
    client.post(
        reverse("jobs:apply", args=[open_vacancy.reference]),
        {"statement": "I want to care.", "availability": "Days."},
    )

    second = client.get(reverse("jobs:apply-questions", args=[open_vacancy.reference]))

    page = second.content.decode()
    assert "will see you as <strong>not verified</strong>" in page
    assert f'href="{reverse("register:apply-start")}">Join the register</a>' in page
    assert "identity checks" not in page
    check = _apply_through_the_screens(client, open_vacancy)
    client.post(check)
    application = Application.objects.get()
    assert application.entry is None and application.share is None


def test_a_statement_over_500_words_is_counted_and_refused(client, worker, open_vacancy):
    client.force_login(worker)

    response = client.post(
        reverse("jobs:apply", args=[open_vacancy.reference]),
        {"statement": "care " * 512, "availability": "Days."},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Your supporting statement is 512 words. Keep it to 500 words or fewer" in page
    assert "Your statement has 512 words of the 500 allowed." in page
    assert f"jobs-apply-{open_vacancy.reference}" not in client.session


def test_the_first_screen_is_filled_from_saved_details(client, worker, open_vacancy):
    ApplicantDetails.objects.create(
        user=worker, statement="My saved statement.", availability="Weekends.", phone="0123"
    )
    client.force_login(worker)

    page = client.get(reverse("jobs:apply", args=[open_vacancy.reference])).content.decode()

    assert "My saved statement." in page and "Weekends." in page
    assert "We filled in the details you saved" in page
    assert "Your statement has 3 words of the 500 allowed." in page


def test_a_change_from_the_check_page_goes_back_to_it(client, worker, open_vacancy):
    client.force_login(worker)
    check = _apply_through_the_screens(client, open_vacancy)

    response = client.post(
        reverse("jobs:apply", args=[open_vacancy.reference]) + "?from=check",
        {"statement": "Changed my mind.", "availability": "Days."},
    )

    assert response["Location"] == check
    assert "Changed my mind." in client.get(check).content.decode()


def test_the_later_screens_send_someone_without_answers_back_to_the_first(
    client, worker, open_vacancy
):
    client.force_login(worker)

    response = client.get(reverse("jobs:apply-check", args=[open_vacancy.reference]))

    assert response["Location"] == reverse("jobs:apply", args=[open_vacancy.reference])


def test_a_vacancy_that_closed_meanwhile_says_so_and_keeps_nothing(
    client, worker, entry, open_vacancy, employer
):
    client.force_login(worker)
    check = _apply_through_the_screens(client, open_vacancy)
    vacancy_close(vacancy=open_vacancy, user=employer, outcome=Vacancy.Status.WITHDRAWN)

    response = client.post(check)

    assert response.status_code == 200
    assert "This vacancy is withdrawn and takes no more applications." in (
        response.content.decode()
    )
    assert not Application.objects.exists() and not ShareCode.objects.exists()
    assert f"jobs-apply-{open_vacancy.reference}" not in client.session


def test_a_draft_vacancy_cannot_be_applied_for(client, worker, employer, employer_organisation):
    draft = VacancyFactory(organisation=employer_organisation, created_by=employer)
    client.force_login(worker)

    assert client.get(reverse("jobs:apply", args=[draft.reference])).status_code == 404


def test_send_pressed_twice_keeps_one_application(client, worker, open_vacancy):
    client.force_login(worker)
    check = _apply_through_the_screens(client, open_vacancy)
    first = client.post(check)

    second = client.post(check)

    assert Application.objects.count() == 1
    # The second finds the application the first sent.
    assert second["Location"] == first["Location"]
    assert (
        "You have already applied for this vacancy."
        in client.get(second["Location"]).content.decode()
    )


def _answers_kept(client, vacancy) -> str:
    """The session of someone who reached the third screen (as the first two leave it)."""
    session = client.session
    session[f"jobs-apply-{vacancy.reference}"] = {
        "statement": "I want to care.",
        "availability": "Nights.",
        "phone": "",
        "screening": {str(question.pk): True for question in vacancy.questions.all()},
        "shares_identity_checks": False,
    }
    session.save()
    return reverse("jobs:apply-check", args=[vacancy.reference])


def test_a_member_of_the_employer_pressing_send_is_refused_and_nothing_is_kept(
    client, employer_member, open_vacancy
):
    client.force_login(employer_member)
    check = _answers_kept(client, open_vacancy)

    response = client.post(check)

    assert response.status_code == 403
    assert "You are a member of Sunrise Care Homes" in response.content.decode()
    assert not Application.objects.exists() and not ShareCode.objects.exists()
    assert f"jobs-apply-{open_vacancy.reference}" not in client.session


def test_send_after_applying_already_finds_the_application(client, walk):
    client.force_login(walk["personas"]["applicant"])
    check = _answers_kept(client, walk["vacancy"])

    response = client.post(check)

    assert response["Location"] == reverse(
        "jobs:my-application", args=[walk["application"].reference]
    )
    assert Application.objects.count() == 1
    assert f"jobs-apply-{walk['vacancy'].reference}" not in client.session


def test_send_reads_each_thing_once(client, worker, entry, open_vacancy, employer, settings):
    """Loading the session and the user; the vacancy with its organisation, and its questions;
    whether the person applied already, the vacancy's status again, whether they are the
    employer's; their entry. Then in one transaction: the share, the application, its answers
    and first event, the receipt, the employer's addresses and their notice; the audit chain
    last (its head, both events in one INSERT, the head again). Then the session, without the
    answers. Every statement more is one more round trip on each Send."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks import task_backends

    from core.models import AuditChainHead

    AuditChainHead.objects.get_or_create(id=1)
    client.force_login(worker)
    check = _answers_kept(client, open_vacancy)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends._settings = task_backends.settings = task_backends.configure_settings(None)
    try:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(check)
    finally:
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        task_backends._settings = task_backends.settings = task_backends.configure_settings(None)

    assert response.status_code == 302
    # Savepoints are this test's: its transaction holds the Send's and the session's.
    statements = [
        query["sql"][:60] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]
    ]
    assert len(statements) == 19, "\n".join(statements)
    assert Application.objects.get().answers.count() == 2


def test_past_the_hours_limit_send_says_so_and_keeps_the_answers(
    client, worker, open_vacancy, settings
):
    settings.APPLICATIONS_PER_HOUR = 1
    other = VacancyFactory(
        organisation=open_vacancy.organisation,
        created_by=open_vacancy.created_by,
        status="published",
    )
    application_submit(vacancy=other, applicant=worker, answers=answers_for(other))
    client.force_login(worker)
    check = _apply_through_the_screens(client, open_vacancy)

    response = client.post(check)

    assert response.status_code == 429
    assert "You have sent 1 applications in the last hour" in response.content.decode()
    assert f"jobs-apply-{open_vacancy.reference}" in client.session


def test_the_applicant_withdraws_from_the_confirm_page(client, walk):
    client.force_login(walk["personas"]["applicant"])
    reference = walk["application"].reference
    url = reverse("jobs:my-application-withdraw", args=[reference])
    assert "Withdraw your application for Night care assistant?" in client.get(url).content.decode()

    response = client.post(url, {"message": "I found a job closer to home."})

    assert response["Location"] == reverse("jobs:my-application", args=[reference])
    application = Application.objects.get()
    assert application.stage == Stage.WITHDRAWN
    page = client.get(response["Location"]).content.decode()
    assert "You withdrew your application." in page
    assert "I found a job closer to home." in page
    assert "Withdraw this application" not in page
    # The withdrawal is the applicant's own words, not the employer's latest message.
    assert "The employer's latest message" not in page


def test_a_withdraw_message_too_long_is_refused_and_changes_nothing(client, walk):
    client.force_login(walk["personas"]["applicant"])
    url = reverse("jobs:my-application-withdraw", args=[walk["application"].reference])

    response = client.post(url, {"message": "x" * 2001})

    assert response.status_code == 400
    assert Application.objects.get().stage == Stage.RECEIVED


def test_the_applicant_stops_sharing_from_the_application_page(client, walk):
    client.force_login(walk["personas"]["applicant"])
    reference = walk["application"].reference
    page = client.get(reverse("jobs:my-application", args=[reference])).content.decode()
    assert "Stop sharing my record" in page

    response = client.post(reverse("jobs:my-application-stop-sharing", args=[reference]))

    page = client.get(response["Location"]).content.decode()
    assert "You stopped sharing your record with Sunrise Care Homes." in page
    assert "Your record is no longer shared with Sunrise Care Homes" in page
    assert Application.objects.get().stage == Stage.RECEIVED


def test_the_share_is_on_the_workers_share_codes_page_and_stops_there_too(client, walk):
    client.force_login(walk["personas"]["applicant"])
    share = walk["application"].share

    page = client.get(reverse("employers:share-codes")).content.decode()
    assert share.label in page
    assert "Made when you applied" in page

    response = client.post(reverse("employers:share-code-revoke", args=[share.pk]))
    page = client.get(response["Location"]).content.decode()
    assert f"You stopped sharing your record: {share.label}." in page
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_the_application_page_shows_the_employers_latest_message_and_what_happens_next(
    client, walk, employer
):
    from jobs.services.applications import application_move

    application_move(
        application=walk["application"],
        to=Stage.INTERVIEW,
        actor=employer,
        message="Please choose an interview time.",
    )
    client.force_login(walk["personas"]["applicant"])

    page = client.get(
        reverse("jobs:my-application", args=[walk["application"].reference])
    ).content.decode()

    assert "The employer's latest message" in page
    assert "Please choose an interview time." in page
    assert "Choose a time that suits you" in page
    listing = client.get(reverse("jobs:my-applications")).content.decode()
    assert '<td data-label="Stage"><strong class="tag">Interview</strong></td>' in listing


def test_the_sign_in_page_offers_to_make_an_account_and_come_back(client, open_vacancy):
    url = reverse("jobs:apply", args=[open_vacancy.reference])

    page = client.get(client.get(url)["Location"]).content.decode()

    assert f'href="/accounts/signup/?next={url.replace("/", "%2F")}">Create an account</a>' in page


def test_the_application_page_names_every_stage_it_went_through_from_received(
    client, walk, employer
):
    from jobs.services.applications import application_move

    application = walk["application"]
    for stage in (Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER):
        application_move(application=application, to=stage, actor=employer)
    client.force_login(walk["personas"]["applicant"])

    page = client.get(reverse("jobs:my-application", args=[application.reference]))

    timeline = page.content.decode().split('<ol class="timeline">', 1)[1].split("</ol>", 1)[0]
    stages = [part.split("</strong>", 1)[0] for part in timeline.split("<strong>")[1:]]
    # The stage an application starts at has the name it has everywhere else, not "Sent".
    assert stages == ["Received", "Shortlisted", "Interview", "Offer"]
    assert "(you sent it)" in timeline


def test_a_draft_withdrawn_before_it_was_published_cannot_be_seen_through_applying(
    client, worker, employer, employer_organisation
):
    # Never advertised: its title and workplace are its employer's alone, as on its page.
    draft = VacancyFactory(organisation=employer_organisation, created_by=employer)
    vacancy_close(vacancy=draft, user=employer, outcome=Vacancy.Status.WITHDRAWN)
    client.force_login(worker)

    for name in ("jobs:apply", "jobs:apply-questions", "jobs:apply-check"):
        assert client.get(reverse(name, args=[draft.reference])).status_code == 404
    assert client.get(reverse("jobs:vacancy", args=[draft.reference])).status_code == 404
