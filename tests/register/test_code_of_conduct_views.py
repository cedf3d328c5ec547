"""The code of conduct's pages: the public code, the request to accept a new version after
signing in, the tick on the application and renewal forms, publishing, and the registrars'
view of who has accepted."""

import pytest
from django.test import Client
from django.urls import reverse

from register.code_prompt import SESSION_KEY
from register.models import Application, CodeAcceptance, CodeOfConduct, Renewal
from register.services import conduct
from register.views import conduct as views
from tests.factories import ApplicationFactory, RegisterEntryFactory
from tests.register.test_code_of_conduct import PRINCIPLES, publish
from tests.register.test_renewals import entry_due_in, log_cpd

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "worker",
    "registered_worker",
    "employer",
    "association_admin",
    "registrar_without_mfa",
    "registrar",
]
# GET of each page, by persona in PERSONAS order. 302 for anonymous is the way to sign in; for
# the registrar without a second factor on a /registrar/ page, the way to set one up. The
# accept page sends on anyone with nothing to accept.
ACCESS_TABLE = {
    "register:code-of-conduct": [200, 200, 200, 200, 200, 200, 200],
    "register:code-of-conduct-version": [200, 200, 200, 200, 200, 200, 200],
    "register:code-of-conduct-accept": [302, 302, 302, 302, 302, 302, 302],
    "register:code-of-conduct-new": [302, 403, 403, 403, 200, 403, 200],
    "register:registrar-code-of-conduct": [302, 403, 403, 403, 403, 302, 200],
}


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        (page, persona, statuses[index])
        for page, statuses in ACCESS_TABLE.items()
        for index, persona in enumerate(PERSONAS)
    ],
)
def test_access_table(client, request, page, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(page, args=[1] if page == "register:code-of-conduct-version" else [])

    response = client.get(url)

    assert response.status_code == expected


# --- The public pages ----------------------------------------------------------------------------


def test_the_public_page_shows_the_current_version_its_date_and_how_to_raise_a_concern(client):
    code = conduct.code_current()

    page = client.get(reverse("register:code-of-conduct")).content.decode()

    assert f"<h1>{code.title}</h1>" in page
    assert "1 (the current version)" in page
    assert "<h2>1. Be accountable for what you do</h2>" in page
    assert "You will be honest when something goes wrong" in page
    assert '<a href="/concerns/">Raise a concern about a registered care worker</a>' in page
    assert "Publish a new version" not in page


def test_the_public_page_links_every_earlier_version(client, association_admin):
    publish(association_admin)

    page = client.get(reverse("register:code-of-conduct")).content.decode()
    earlier = client.get(reverse("register:code-of-conduct-version", args=[1])).content.decode()

    assert "2 (the current version)" in page
    assert "<h2>1. Be accountable</h2>" in page
    assert '<a href="/code-of-conduct/1/">Version 1</a>' in page
    assert "This version was replaced by version 2." in earlier
    assert "<h2>1. Be accountable for what you do</h2>" in earlier


def test_a_version_that_does_not_exist_is_not_found(client):
    assert client.get(reverse("register:code-of-conduct-version", args=[9])).status_code == 404


def test_every_page_links_the_code_from_its_footer(client):
    page = client.get(reverse("accounts:home")).content.decode()

    footer = page.split('class="site-footer"')[1]
    assert 'href="/code-of-conduct/"' in footer


def test_the_worker_dashboard_says_which_version_they_accepted(client, entry):
    client.force_login(entry.worker)

    page = client.get(reverse("register:worker-dashboard")).content.decode()

    assert "You accepted version 1 on" in page
    assert 'href="/code-of-conduct/"' in page.split("<main")[1]


def test_the_worker_dashboard_offers_a_new_version_to_accept(client, entry, association_admin):
    client.force_login(entry.worker)
    publish(association_admin)

    page = client.get(reverse("register:worker-dashboard")).content.decode()

    assert "Version 2 of the code was published on" in page
    assert "/code-of-conduct/accept/?next=/my-registration/" in page


# --- Asked at sign-in ----------------------------------------------------------------------------


@pytest.fixture
def new_version(association_admin):
    return publish(association_admin)


@pytest.fixture
def signed_in_after_a_new_version(client, entry, new_version):
    """Wendy, on the register, signs in after version 2 was published."""
    client.force_login(entry.worker)
    return client


def test_signing_in_with_nothing_to_accept_marks_nothing(client, entry):
    client.force_login(entry.worker)

    assert SESSION_KEY not in client.session
    assert client.get(reverse("register:worker-dashboard")).status_code == 200


def test_after_a_new_version_every_page_asks_for_it_first(signed_in_after_a_new_version):
    client = signed_in_after_a_new_version

    response = client.get("/my-registration/cpd/?from=menu")

    assert client.session[SESSION_KEY] == 2
    assert response.status_code == 302
    assert response.url == "/code-of-conduct/accept/?next=%2Fmy-registration%2Fcpd%2F%3Ffrom%3Dmenu"


@pytest.mark.parametrize(
    "path",
    [
        "/code-of-conduct/",
        "/code-of-conduct/1/",
        "/code-of-conduct/accept/",
        "/accounts/logout/",
        "/healthz",
        "/api/v1/register/CR0000000A/",
    ],
)
def test_the_code_sign_out_the_health_check_and_the_api_are_never_held_up(
    signed_in_after_a_new_version, path
):
    response = signed_in_after_a_new_version.get(path)

    assert "/code-of-conduct/accept/" not in response.get("Location", "")
    assert response.status_code in {200, 404}


def test_the_accept_page_shows_what_changed_and_the_whole_code(signed_in_after_a_new_version):
    page = signed_in_after_a_new_version.get(
        "/code-of-conduct/accept/?next=/my-registration/cpd/"
    ).content.decode()

    assert "<h1>Accept the new code of conduct</h1>" in page
    assert "The code of conduct has changed since you accepted version 1 on" in page
    assert "Principle 1 now says what to do when something goes wrong." in page
    assert "<h3>2. Keep learning</h3>" in page
    assert "You will keep your training up to date." in page
    assert 'name="version" value="2"' in page
    assert 'name="next" value="/my-registration/cpd/"' in page
    assert ">I accept</button>" in page


def test_accepting_records_it_clears_the_request_and_goes_where_they_were_going(
    signed_in_after_a_new_version, entry, new_version
):
    client = signed_in_after_a_new_version

    response = client.post(
        "/code-of-conduct/accept/", {"version": "2", "next": "/my-registration/cpd/"}
    )

    assert response.status_code == 302
    assert response.url == "/my-registration/cpd/"
    acceptance = CodeAcceptance.objects.get(user=entry.worker, code=new_version)
    assert acceptance.how == CodeAcceptance.How.SIGN_IN
    assert SESSION_KEY not in client.session
    assert client.get("/my-registration/cpd/").status_code == 200


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/my-registration/",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_accepting_never_sends_anyone_to_another_site(signed_in_after_a_new_version, next_url):
    response = signed_in_after_a_new_version.post(
        "/code-of-conduct/accept/", {"version": "2", "next": next_url}
    )

    assert response.status_code == 302
    assert response.url == "/"


def test_the_accept_page_offers_only_a_safe_next_address(signed_in_after_a_new_version):
    page = signed_in_after_a_new_version.get(
        "/code-of-conduct/accept/?next=https://evil.example/"
    ).content.decode()

    assert "evil.example" not in page
    assert 'name="next" value="/"' in page


def test_a_version_published_while_the_page_was_open_is_shown_instead(
    signed_in_after_a_new_version, entry, association_admin
):
    publish(association_admin, principles=PRINCIPLES[:1])

    response = signed_in_after_a_new_version.post(
        "/code-of-conduct/accept/", {"version": "2", "next": "/"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Version 2 of the code of conduct has been replaced by version 3." in page
    assert 'name="version" value="3"' in page
    assert not CodeAcceptance.objects.filter(user=entry.worker, code__version__gt=1).exists()


def test_a_post_without_a_version_accepts_nothing(signed_in_after_a_new_version, entry):
    response = signed_in_after_a_new_version.post("/code-of-conduct/accept/", {"next": "/"})

    assert response.status_code == 400
    assert "Something went wrong" in response.content.decode()
    assert not CodeAcceptance.objects.filter(user=entry.worker, code__version=2).exists()


def test_an_applicant_waiting_for_a_decision_is_asked_too(client, association_admin):
    applicant = ApplicationFactory(status=Application.Status.SUBMITTED).worker
    publish(association_admin)
    client.force_login(applicant)

    response = client.get(reverse("register:worker-dashboard"))

    assert response.status_code == 302
    assert response.url.startswith("/code-of-conduct/accept/")


def test_someone_not_on_the_register_is_never_asked(client, employer, new_version):
    client.force_login(employer)

    assert client.get(reverse("accounts:home")).status_code == 200
    assert SESSION_KEY not in client.session


def test_the_api_answers_a_session_that_has_been_asked(signed_in_after_a_new_version):
    response = signed_in_after_a_new_version.get("/api/v1/consultations/")

    assert response.status_code == 200


# --- Accepting when applying ---------------------------------------------------------------------


@pytest.fixture
def applying(client, worker):
    ApplicationFactory(worker=worker)
    client.force_login(worker)
    return client


def test_the_check_page_asks_for_the_tick_with_a_link_to_the_code(applying):
    page = applying.get(reverse("register:apply-check")).content.decode()

    assert "I have read the code of conduct (version 1) and I will keep to it" in page
    assert '<a href="/code-of-conduct/">Read the code of conduct</a>' in page
    assert 'name="code_version" value="1"' in page


def test_sending_without_the_tick_says_so_and_changes_nothing(applying, worker):
    response = applying.post(reverse("register:apply-check"), {"code_version": "1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Check your answers" in page
    assert (
        '<a href="#id_accepts_code">Tick the box to say you have read the code of conduct '
        "(version 1) and will keep to it.</a>"
    ) in page
    application = Application.objects.get(worker=worker)
    assert application.status == Application.Status.DRAFT
    assert not CodeAcceptance.objects.filter(user=worker).exists()


def test_sending_with_the_tick_accepts_the_code(applying, worker):
    response = applying.post(
        reverse("register:apply-check"), {"accepts_code": "on", "code_version": "1"}
    )

    assert response.status_code == 302
    assert Application.objects.get(worker=worker).status == Application.Status.SUBMITTED
    acceptance = CodeAcceptance.objects.get(user=worker)
    assert (acceptance.code.version, acceptance.how) == (1, CodeAcceptance.How.APPLICATION)


def test_a_tick_for_a_version_since_replaced_is_refused(applying, worker, association_admin):
    publish(association_admin)

    response = applying.post(
        reverse("register:apply-check"), {"accepts_code": "on", "code_version": "1"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "replaced by version 2" in page
    assert "I have read the code of conduct (version 2)" in page
    assert Application.objects.get(worker=worker).status == Application.Status.DRAFT


# --- Accepting when renewing ---------------------------------------------------------------------


@pytest.fixture
def renewing(client, worker):
    entry = entry_due_in(30, application__worker=worker)
    log_cpd(entry)
    client.force_login(worker)
    return entry


def _forget_the_sign_in_request(client):
    """As if signed in before the new version was published: the renewal form asks instead."""
    session = client.session
    session.pop(SESSION_KEY, None)
    session.save()


NO = {
    "has_criminal_record": "no",
    "has_health_condition": "no",
    "has_fitness_to_practise_history": "no",
}


def test_the_renewal_form_asks_for_a_version_not_yet_accepted(client, renewing, new_version):
    _forget_the_sign_in_request(client)

    page = client.get(reverse("register:renewals-renew")).content.decode()

    assert "I have read the code of conduct (version 2) and I will keep to it" in page
    assert "Principle 1 now says what to do when something goes wrong." in page


def test_the_renewal_form_asks_nothing_when_the_current_version_is_accepted(client, renewing):
    page = client.get(reverse("register:renewals-renew")).content.decode()

    assert "I have read the code of conduct" not in page


def test_renewing_without_the_tick_says_so_and_renews_nothing(client, renewing, new_version):
    _forget_the_sign_in_request(client)

    response = client.post(reverse("register:renewals-renew"), {**NO, "code_version": "2"})

    assert response.status_code == 400
    assert "Tick the box to say you have read the code of conduct (version 2)" in (
        response.content.decode()
    )
    assert not Renewal.objects.exists()


def test_renewing_with_the_tick_accepts_the_new_version(client, renewing, new_version):
    _forget_the_sign_in_request(client)

    response = client.post(
        reverse("register:renewals-renew"), {**NO, "accepts_code": "on", "code_version": "2"}
    )

    assert response.status_code == 302
    assert Renewal.objects.get().status == Renewal.Status.RENEWED
    acceptance = CodeAcceptance.objects.get(user=renewing.worker, code=new_version)
    assert acceptance.how == CodeAcceptance.How.RENEWAL


# --- Publishing ----------------------------------------------------------------------------------


def test_the_publish_page_starts_from_the_current_version(client, association_admin):
    client.force_login(association_admin)

    page = client.get(reverse("register:code-of-conduct-new")).content.decode()

    assert "Publish version 2</button>" in page
    assert "Be accountable for what you do\nYou will be able to explain" in page
    assert 'name="version" value="2"' in page


def test_an_association_publishes_a_version_from_the_page(
    client, association_admin, django_capture_on_commit_callbacks, mailoutbox
):
    RegisterEntryFactory(application__worker__email="rae@example.org")
    client.force_login(association_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("register:code-of-conduct-new"),
            {
                "title": "Code of conduct for care workers",
                "summary": "Shorter.",
                "principles": "Be accountable\n- You will answer for what you do.\r\n"
                "You will say when you are not ready.\n\n\n1. Keep learning\n"
                "* You will keep your training up to date.\n",
                "version": "2",
            },
        )

    assert response.status_code == 302
    assert response.url == "/code-of-conduct/"
    code = conduct.code_current()
    assert code.version == 2
    assert code.principles == [
        {
            "heading": "Be accountable",
            "statements": [
                "You will answer for what you do.",
                "You will say when you are not ready.",
            ],
        },
        {"heading": "Keep learning", "statements": ["You will keep your training up to date."]},
    ]
    assert [message.to for message in mailoutbox] == [["rae@example.org"]]
    page = client.get(response.url).content.decode()
    assert "Version 2 of the code of conduct is published." in page


def test_a_principle_without_statements_is_refused_with_the_text_kept(client, association_admin):
    client.force_login(association_admin)

    response = client.post(
        reverse("register:code-of-conduct-new"),
        {"title": "Code", "summary": "New.", "principles": "Be accountable", "version": "2"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Principle 1, &quot;Be accountable&quot;, has no statements." in page
    assert "Be accountable</textarea>" in page
    assert CodeOfConduct.objects.count() == 1


def test_an_empty_publish_form_says_what_to_fill_in(client, association_admin):
    client.force_login(association_admin)

    response = client.post(reverse("register:code-of-conduct-new"), {"version": "2"})

    assert response.status_code == 400
    page = response.content.decode()
    for message in ("Enter a title for the code", "Say what has changed", "Write the principles"):
        assert message in page
    assert CodeOfConduct.objects.count() == 1


def test_publishing_from_a_page_that_missed_a_version_is_refused(client, association_admin):
    client.force_login(association_admin)
    publish(association_admin)

    response = client.post(
        reverse("register:code-of-conduct-new"),
        {"title": "Code", "summary": "New.", "principles": "A\nYou will.", "version": "2"},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Version 2 was published while you were writing this one." in page
    assert "Publish version 3</button>" in page
    assert 'name="version" value="3"' in page
    assert CodeOfConduct.objects.count() == 2


# --- The registrars' view ------------------------------------------------------------------------


def test_registrars_see_acceptances_per_version_and_who_has_yet_to_accept(
    registrar_client, association_admin, monkeypatch
):
    monkeypatch.setattr(views, "ENTRIES_PER_PAGE", 2)
    accepted = RegisterEntryFactory(application__legal_name="Ann Accepted")
    waiting = [
        RegisterEntryFactory(application__legal_name=name)
        for name in ("Bea Waiting", "Cal Waiting", "Dee Waiting")
    ]
    code = publish(association_admin)
    conduct.code_accept(user=accepted.worker, code=code, how=CodeAcceptance.How.SIGN_IN)

    first = registrar_client.get(reverse("register:registrar-code-of-conduct")).content.decode()
    second = registrar_client.get(
        reverse("register:registrar-code-of-conduct") + "?page=2"
    ).content.decode()

    assert '<td data-label="Accepted by">1 person</td>' in first
    assert '<td data-label="Accepted by">4 people</td>' in first
    assert "3 people yet to accept version 2, by name" in first
    assert "Bea Waiting" in first and "Cal Waiting" in first and "Dee Waiting" not in first
    assert "Dee Waiting" in second and "Page 2 of 2" in second
    assert "Ann Accepted" not in first + second
    assert "Version 1, " in first
    assert waiting[0].registration_number in first


def test_the_registrar_entry_page_lists_the_versions_the_worker_accepted(registrar_client, entry):
    page = registrar_client.get(
        reverse("register:registrar-entry", args=[entry.registration_number])
    ).content.decode()

    assert 'Accepted <a href="/code-of-conduct/1/">version 1</a> on' in page
    assert "when applying" in page


def test_a_session_signed_in_elsewhere_is_not_held_up_by_another(entry, new_version):
    # The request is the session's, not the account's: another browser, signed in before the
    # version was published, carries on until it signs in again.
    before = Client()
    before.force_login(entry.worker)
    session = before.session
    session.pop(SESSION_KEY, None)
    session.save()

    assert before.get(reverse("register:worker-dashboard")).status_code == 200
