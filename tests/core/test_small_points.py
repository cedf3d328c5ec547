"""Small points a newcomer noticed (issue 18, item 19): the favicon, the footer's roles,
HEAD on the published keys and status lists, and the package's licence."""

import tomllib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from passports import keys

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_every_page_names_a_favicon_that_exists(client):
    page = client.get(reverse("accounts:home")).content.decode()
    assert '<link rel="icon" href="/static/images/favicon.svg" type="image/svg+xml">' in page
    assert finders.find("images/favicon.svg")


def test_the_footer_calls_an_owner_an_owner(client, employer, employer_organisation):
    client.force_login(employer)
    page = client.get(reverse("accounts:home")).content.decode()
    assert f"owner of {employer_organisation.name}" in page
    assert "member" not in page.split('class="site-footer"')[1]


def test_the_footer_calls_a_member_a_member(client, employer_member, employer_organisation):
    client.force_login(employer_member)
    page = client.get(reverse("accounts:home")).content.decode()
    assert f"member of {employer_organisation.name}" in page.split('class="site-footer"')[1]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("passports:status-list", {"purpose": "revocation"}),
        ("passports:status-list", {"purpose": "suspension"}),
        ("passports:jwks", {}),
        ("passports:did", {}),
    ],
)
def test_head_on_the_published_keys_and_status_lists_answers_like_get(client, name, kwargs):
    keys.signing_key_create()
    url = reverse(name, kwargs=kwargs)
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head.content == b""


def test_the_licence_is_an_spdx_expression_as_setuptools_will_require():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "AGPL-3.0-or-later"
