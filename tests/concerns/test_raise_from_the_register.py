"""From a worker's page on the public register to a concern about them: the number goes with
the person through the category question (and the safeguarding signpost) to the form."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_public_entry_page_links_to_raising_a_concern_about_that_worker(client, subject):
    page = client.get(reverse("register:public-entry", args=[subject.registration_number]))
    link = f"{reverse('concerns:start')}?worker={subject.registration_number}"
    assert link in page.content.decode()
    assert reverse("register:code-of-conduct") in page.content.decode()


@pytest.mark.parametrize("category", ["poor_practice", "abuse_or_neglect"])
def test_the_worker_s_number_reaches_the_form(client, subject, category):
    number = subject.registration_number
    answer = client.get(
        reverse("concerns:start"), {"chosen": "yes", "category": category, "worker": number}
    )
    if category == "abuse_or_neglect":
        assert "safeguarding" in answer.content.decode()
        onward = answer.context["raise_url"]
    else:
        onward = answer["Location"]
    assert f"worker={number}" in onward
    form = client.get(onward).context["form"]
    assert form.initial["registration_number"] == number


def test_a_made_up_number_is_not_carried(client, subject):
    answer = client.get(
        reverse("concerns:start"),
        {"chosen": "yes", "category": "theft", "worker": "<script>CR1"},
    )
    assert "worker" not in answer["Location"]
