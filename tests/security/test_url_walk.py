"""Every URL in the URLconf, requested by GET as every persona, against one expected table.

The URLs come from get_resolver, not from a list kept by hand: a new URL that is not in
tests/security/access_table.py fails test_every_url_in_the_urlconf_is_classified, and a URL
whose answer changes fails test_every_url_answers_every_persona_as_the_table_says.

To see the observed table after adding a URL: WALK_PRINT=1 pytest tests/security -k answers -s
"""

import os

import pytest
from django.test import Client

from tests.security.access_table import ACCESS, OWNERS
from tests.security.urlwalk import PERSONAS, all_routes, url_for


def test_every_url_in_the_urlconf_is_classified():
    names = {route.name for route in all_routes()}

    missing = sorted(names - set(ACCESS))
    stale = sorted(set(ACCESS) - names)

    assert not missing, f"URLs with no row in tests/security/access_table.py: {missing}"
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def _walk(world):
    observed = {}
    clients = {}
    for persona in PERSONAS:
        client = Client(raise_request_exception=False)
        if persona != "anonymous":
            client.force_login(world.personas[persona])
        clients[persona] = client
    for route in all_routes():
        url = url_for(route, world)
        observed[route.name] = " ".join(
            str(clients[persona].get(url).status_code) for persona in PERSONAS
        )
    return observed


@pytest.mark.django_db
def test_every_url_answers_every_persona_as_the_table_says(world):
    observed = _walk(world)

    if os.environ.get("WALK_PRINT"):
        for name, codes in sorted(observed.items()):
            print(f'    "{name}": "{codes}",')
    wrong = {
        name: f"expected {ACCESS.get(name)!r}, got {codes!r}"
        for name, codes in observed.items()
        if ACCESS.get(name) != codes
    }
    assert not wrong, "\n".join(f"{name}: {why}" for name, why in sorted(wrong.items()))
    assert not any("500" in codes.split() for codes in observed.values())


def test_no_url_that_names_an_object_opens_it_to_anyone_but_its_owners():
    """IDOR, from the table the walk proves: for every URL with a path parameter, only the
    personas named in OWNERS for it may get a 200."""
    problems = []
    for route in all_routes():
        if not route.parameters:
            continue
        codes = ACCESS[route.name].split()
        allowed = OWNERS.get(route.name)
        if allowed is None:
            problems.append(f"{route.name}: names an object but has no OWNERS row")
            continue
        for persona, code in zip(PERSONAS, codes, strict=True):
            if code.startswith("2") and persona not in allowed:
                problems.append(f"{route.name}: {persona} gets {code}")
    assert not problems, "\n".join(problems)
