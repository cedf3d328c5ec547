"""Asking the employer a question: the services (each refusal, the audit events, the emails
without the words, the rate limits) and the pages, with an access table per persona."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from core.models import AuditEvent
from jobs.models import QuestionMessage, QuestionThread, Vacancy
from jobs.services import questions
from jobs.services.questions import QuestionError
from tests.factories import UserFactory, VacancyFactory

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Is the Tuesday round near Kirkstall Abbey?"


@pytest.fixture
def vacancy(employer, employer_organisation):
    return VacancyFactory(
        organisation=employer_organisation,
        created_by=employer,
        status=Vacancy.Status.PUBLISHED,
        title="Home carer",
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def thread(vacancy, worker):
    return questions.question_ask(vacancy=vacancy, user=worker, text=SECRET_WORDS)


def _events(thread, action):
    return AuditEvent.objects.filter(
        target_type="jobs.questionthread", target_id=str(thread.pk), action=action
    )


# The services -------------------------------------------------------------------------------


def test_a_person_asks_and_every_member_of_the_employer_is_emailed_a_link_not_the_words(
    vacancy, worker, employer, employer_member, committed
):
    with committed(execute=True):
        thread = questions.question_ask(vacancy=vacancy, user=worker, text=f"  {SECRET_WORDS} ")

    assert thread.status == QuestionThread.Status.OPEN and thread.awaiting_employer
    assert thread.organisation == vacancy.organisation
    assert [m.text for m in thread.messages.all()] == [SECRET_WORDS]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [employer.email, employer_member.email]
    )
    for message in mail.outbox:
        assert len(message.to) == 1  # members do not see each other's addresses
        assert "Kirkstall" not in message.body and "Kirkstall" not in message.subject
        assert f"/questions/{thread.pk}/" in message.body
    event = _events(thread, "jobs.question.asked").get()
    assert event.actor_id == worker.pk and event.data == {"vacancy": vacancy.reference}
    assert "Kirkstall" not in str(event.data)


def test_the_words_are_encrypted_at_rest(thread):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM jobs_questionmessage")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored and all("Kirkstall" not in value for value in stored)


@pytest.mark.parametrize("text", ["", "   ", "x" * (questions.MAX_MESSAGE_LENGTH + 1)])
def test_an_empty_or_too_long_question_is_refused_and_nothing_is_kept(vacancy, worker, text):
    with pytest.raises(QuestionError) as refused:
        questions.question_ask(vacancy=vacancy, user=worker, text=text)
    assert refused.value.field == "text"
    assert not QuestionThread.objects.exists()


@pytest.mark.parametrize(
    "status", [Vacancy.Status.DRAFT, Vacancy.Status.CLOSED, Vacancy.Status.WITHDRAWN]
)
def test_only_a_published_job_can_be_asked_about(vacancy, worker, status):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=status)
    vacancy.refresh_from_db()
    with pytest.raises(QuestionError, match="no longer advertised"):
        questions.question_ask(vacancy=vacancy, user=worker, text="Hello?")
    assert not QuestionThread.objects.exists()


def test_a_member_cannot_ask_their_own_employer(vacancy, employer_member):
    with pytest.raises(QuestionError, match="its inbox"):
        questions.question_ask(vacancy=vacancy, user=employer_member, text="Hello?")


def test_new_questions_are_limited_per_person_per_day_with_a_clear_message(vacancy, worker):
    for number in range(questions.QUESTIONS_PER_DAY):
        questions.question_ask(vacancy=vacancy, user=worker, text=f"Question {number}")
    with pytest.raises(QuestionError, match="Try again tomorrow"):
        questions.question_ask(vacancy=vacancy, user=worker, text="One too many")
    assert QuestionThread.objects.count() == questions.QUESTIONS_PER_DAY
    # Someone else is not held back by it.
    questions.question_ask(vacancy=vacancy, user=UserFactory(), text="My own question")


def test_a_refused_question_uses_up_nothing_of_the_limit(vacancy, worker):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED)
    vacancy.refresh_from_db()
    for _ in range(questions.QUESTIONS_PER_DAY + 2):
        with pytest.raises(QuestionError):
            questions.question_ask(vacancy=vacancy, user=worker, text="Hello?")
    assert questions._questions_limit().count(f"user:{worker.pk}") == 0


def test_the_employer_replies_and_the_asker_is_emailed(thread, worker, employer, committed):
    mail.outbox.clear()
    with committed(execute=True):
        message = questions.question_reply(
            thread=thread, user=employer, text="Yes, and mileage is paid at 45p."
        )

    assert message.from_employer
    thread.refresh_from_db()
    assert not thread.awaiting_employer
    assert [m.to for m in mail.outbox] == [[worker.email]]
    assert "45p" not in mail.outbox[0].body
    assert "replied to your question" in mail.outbox[0].subject
    event = _events(thread, "jobs.question.replied").get()
    assert event.actor_id == employer.pk and event.data["from_employer"] is True


def test_the_asker_answers_back_and_the_thread_waits_for_the_employer_again(
    thread, worker, employer, employer_member, committed
):
    questions.question_reply(thread=thread, user=employer_member, text="Yes.")
    mail.outbox.clear()
    with committed(execute=True):
        questions.question_reply(thread=thread, user=worker, text="Thank you. And Sundays?")
    thread.refresh_from_db()
    assert thread.awaiting_employer
    assert sorted(m.to[0] for m in mail.outbox) == sorted([employer.email, employer_member.email])
    assert [m.from_employer for m in thread.messages.all()] == [False, True, False]


def test_nobody_else_may_write_in_a_thread(thread, outsider, other_worker):
    for stranger in (outsider, other_worker):
        with pytest.raises(PermissionDenied):
            questions.question_reply(thread=thread, user=stranger, text="Me too")
        with pytest.raises(PermissionDenied):
            questions.question_close(thread=thread, user=stranger)
    assert thread.messages.count() == 1


def test_messages_are_limited_per_person_per_hour(thread, employer):
    for number in range(questions.MESSAGES_PER_HOUR):
        questions.question_reply(thread=thread, user=employer, text=f"Reply {number}")
    with pytest.raises(QuestionError, match="in the last hour"):
        questions.question_reply(thread=thread, user=employer, text="One too many")
    assert thread.messages.count() == questions.MESSAGES_PER_HOUR + 1


@pytest.mark.parametrize("closer", ["worker", "employer_member"])
def test_either_side_closes_it_the_other_is_told_and_it_takes_no_more_messages(
    thread, request, worker, employer, employer_member, closer, committed
):
    user = request.getfixturevalue(closer)
    mail.outbox.clear()
    with committed(execute=True):
        questions.question_close(thread=thread, user=user)

    thread.refresh_from_db()
    assert thread.status == QuestionThread.Status.CLOSED and thread.closed_by == user
    told = {m.to[0] for m in mail.outbox}
    if closer == "worker":
        assert told == {employer.email, employer_member.email}
    else:
        assert told == {worker.email}
    assert all("closed" in m.subject for m in mail.outbox)
    event = _events(thread, "jobs.question.closed").get()
    assert (event.old_status, event.new_status) == ("open", "closed")

    for anyone in (worker, employer):
        with pytest.raises(QuestionError, match="closed"):
            questions.question_reply(thread=thread, user=anyone, text="One more thing")
    with pytest.raises(QuestionError, match="already closed"):
        questions.question_close(thread=thread, user=employer)
    assert thread.messages.count() == 1
    assert _events(thread, "jobs.question.closed").count() == 1


# The pages ----------------------------------------------------------------------------------


def _persona_codes(client, personas, url, method="get"):
    codes = {}
    for name, user in personas.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        codes[name] = getattr(client, method)(url).status_code
    return codes


def test_who_may_open_a_thread_and_the_inbox(client, personas, thread, employer_organisation):
    thread_codes = _persona_codes(
        client, personas, reverse("jobs:question-thread", args=[thread.pk])
    )
    assert thread_codes == {
        "anonymous": 302,
        "worker": 200,
        "other_worker": 404,
        "employer": 200,
        "employer_member": 200,
        "provider": 404,
        "association_admin": 404,
        "registrar_without_mfa": 404,
        "registrar": 404,
        "outsider": 404,
    }
    inbox_codes = _persona_codes(
        client, personas, reverse("jobs:question-inbox", args=[employer_organisation.pk])
    )
    assert {name for name, code in inbox_codes.items() if code == 200} == {
        "employer",
        "employer_member",
    }
    assert inbox_codes["anonymous"] == 302
    ask_codes = _persona_codes(
        client, personas, reverse("jobs:question-ask", args=[thread.vacancy.reference])
    )
    assert ask_codes["anonymous"] == 302
    assert ask_codes["employer"] == ask_codes["employer_member"] == 403
    assert {name for name, code in ask_codes.items() if code == 200} == set(personas) - {
        "anonymous",
        "employer",
        "employer_member",
    }


def test_strangers_can_neither_reply_nor_close_through_the_pages(client, thread, outsider):
    client.force_login(outsider)
    assert (
        client.post(reverse("jobs:question-reply", args=[thread.pk]), {"text": "Hi"}).status_code
        == 404
    )
    assert client.post(reverse("jobs:question-close", args=[thread.pk])).status_code == 404
    thread.refresh_from_db()
    assert thread.is_open and thread.messages.count() == 1


def test_asking_through_the_page(client, vacancy, worker):
    client.force_login(worker)
    url = reverse("jobs:question-ask", args=[vacancy.reference])

    page = client.get(url)
    assert vacancy.organisation.name in page.content.decode()

    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 400 and "Write your message." in empty.content.decode()
    assert not QuestionThread.objects.exists()

    sent = client.post(url, {"text": SECRET_WORDS}, follow=True)
    thread = QuestionThread.objects.get()
    assert sent.redirect_chain[-1][0] == reverse("jobs:question-thread", args=[thread.pk])
    assert "Kirkstall Abbey" in sent.content.decode()


def test_a_question_about_a_job_not_advertised_is_not_found(client, vacancy, worker):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    client.force_login(worker)
    assert client.get(reverse("jobs:question-ask", args=[vacancy.reference])).status_code == 404


def test_the_limit_is_shown_in_words_on_the_page(client, vacancy, worker):
    client.force_login(worker)
    url = reverse("jobs:question-ask", args=[vacancy.reference])
    for number in range(questions.QUESTIONS_PER_DAY):
        client.post(url, {"text": f"Question {number}"})
    refused = client.post(url, {"text": "And another"})
    assert refused.status_code == 400
    assert "Try again tomorrow" in refused.content.decode()


def test_replying_and_closing_through_the_pages(client, thread, employer):
    client.force_login(employer)
    page = reverse("jobs:question-thread", args=[thread.pk])
    assert "Kirkstall Abbey" in client.get(page).content.decode()

    too_long = client.post(
        reverse("jobs:question-reply", args=[thread.pk]),
        {"text": "x" * (questions.MAX_MESSAGE_LENGTH + 1)},
    )
    assert too_long.status_code == 400 and "characters or fewer" in too_long.content.decode()
    assert thread.messages.count() == 1

    replied = client.post(reverse("jobs:question-reply", args=[thread.pk]), {"text": "Yes, it is."})
    assert replied.status_code == 302 and thread.messages.count() == 2

    client.post(reverse("jobs:question-close", args=[thread.pk]))
    closed = client.get(page).content.decode()
    assert "This conversation is closed by you" in closed
    assert reverse("jobs:question-reply", args=[thread.pk]) not in closed

    after = client.post(reverse("jobs:question-reply", args=[thread.pk]), {"text": "Also"})
    assert after.status_code == 400 and "takes no more messages" in after.content.decode()
    assert thread.messages.count() == 2


def test_the_inbox_lists_unanswered_questions_first(
    client, vacancy, employer, employer_organisation
):
    first, second, third = (
        questions.question_ask(vacancy=vacancy, user=UserFactory(full_name=name), text="?")
        for name in ("Ann Asker", "Bob Asker", "Cat Asker")
    )
    questions.question_reply(thread=first, user=employer, text="Answered.")
    questions.question_close(thread=third, user=employer)

    client.force_login(employer)
    url = reverse("jobs:question-inbox", args=[employer_organisation.pk])
    open_page = client.get(url).content.decode()
    assert open_page.index("Bob Asker") < open_page.index("Ann Asker")
    assert "Cat Asker" not in open_page
    assert "1 waiting for an answer" in open_page
    closed_page = client.get(url + "?status=closed").content.decode()
    assert "Cat Asker" in closed_page and "Bob Asker" not in closed_page


def test_the_asker_sees_their_questions_and_nobody_else_s(client, thread, worker, other_worker):
    client.force_login(worker)
    mine = client.get(reverse("jobs:my-questions")).content.decode()
    assert reverse("jobs:question-thread", args=[thread.pk]) in mine
    client.force_login(other_worker)
    theirs = client.get(reverse("jobs:my-questions")).content.decode()
    assert reverse("jobs:question-thread", args=[thread.pk]) not in theirs


def test_a_message_is_shown_as_text_not_html(client, vacancy, worker):
    thread = questions.question_ask(vacancy=vacancy, user=worker, text="<script>alert(1)</script>")
    client.force_login(worker)
    page = client.get(reverse("jobs:question-thread", args=[thread.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert QuestionMessage.objects.count() == 1
