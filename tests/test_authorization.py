"""The authorisation table: every member-only URL, and who must be refused.

Each app lists its URLs in tests/<app>/authz_cases.py as CASES, a list of AuthzCase. This one test
runs them all, so a new URL joins by one line there. A case says which URL (built from the world
that `world` sets up), and who may NOT see it: anonymous users always (redirect to the login page
or 403/404), and, where `other_municipality` is set, a member of another municipality (403/404).
A person whose membership request is still pending (World.pending_member) is refused every case
that is `members_only` (the default) and gets through those open to any account.
"""

import importlib

import pytest
from django.urls import reverse

from tests.authz import AuthzCase, World

APPS = ["core", "network", "forums", "practice", "training", "evaluation", "cms", "events"]


def _cases() -> list[AuthzCase]:
    cases = []
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.authz_cases")
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases


CASES = _cases()


@pytest.fixture
def world(db) -> World:
    return World.build()


def _request(client, case: AuthzCase, world: World):
    url = case.url(world)
    if case.method == "get":
        return url, client.get(url)
    data = case.data(world) if callable(case.data) else case.data
    return url, client.post(url, data)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_anonymous_is_refused(case: AuthzCase, world: World, client):
    url, response = _request(client, case, world)
    if response.status_code == 302:
        assert "/konto/login/" in response["Location"], response["Location"]
    else:
        assert response.status_code in (401, 403, 404), (url, response.status_code)
    case.assert_unchanged(world)


@pytest.mark.parametrize("case", [c for c in CASES if c.other_municipality], ids=lambda c: c.name)
def test_member_of_another_municipality_is_refused(case: AuthzCase, world: World, client):
    client.force_login(world.koeln_coordinator)
    url, response = _request(client, case, world)
    assert response.status_code in (403, 404), (url, response.status_code)
    case.assert_unchanged(world)


REFUSALS = [(case, who) for case in CASES for who in case.refused_to]


@pytest.mark.parametrize(("case", "who"), REFUSALS, ids=[f"{c.name}-{who}" for c, who in REFUSALS])
def test_named_people_are_refused(case: AuthzCase, who: str, world: World, client):
    client.force_login(getattr(world, who))
    url, response = _request(client, case, world)
    if response.status_code == 302 and who == "lja_staff_without_second_factor":
        assert response["Location"] == reverse("mfa_activate_totp"), (url, response["Location"])
    elif response.status_code == 302 and who == "pending_member":
        # Sent to log in, or to their membership request (network:municipality does so).
        location = response["Location"]
        assert "/konto/login/" in location or location == reverse("network:join"), (url, location)
    elif response.status_code == 302:
        assert "/konto/login/" in response["Location"], (url, response["Location"])
    else:
        assert response.status_code in (403, 404), (url, response.status_code)
    case.assert_unchanged(world)


@pytest.mark.parametrize("case", [c for c in CASES if c.allowed], ids=lambda c: c.name)
def test_the_right_person_gets_through(case: AuthzCase, world: World, client):
    """Guards against a table that passes because every URL is broken."""
    client.force_login(getattr(world, case.allowed))
    response = client.get(case.url(world))
    assert response.status_code in (200, 302), (case.name, response.status_code)
    if response.status_code == 302:
        assert "/konto/login/" not in response["Location"]


OPEN_TO_ACCOUNTS = [c for c in CASES if c.allowed and not c.members_only]


@pytest.mark.parametrize("case", OPEN_TO_ACCOUNTS, ids=lambda c: c.name)
def test_a_pending_member_gets_through_where_no_membership_is_needed(
    case: AuthzCase, world: World, client
):
    """Their own account and their membership request are open to them; what needs a membership
    is in the refusals above (AuthzCase.members_only)."""
    client.force_login(world.pending_member)
    response = client.get(case.url(world))
    assert response.status_code in (200, 302), (case.name, response.status_code)
    if response.status_code == 302:
        assert "/konto/login/" not in response["Location"]
