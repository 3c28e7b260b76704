"""Behind nginx every request comes from the proxy's address: the client's own reaches Django in
X-Forwarded-For, trusted for TRUSTED_PROXY_COUNT hops, so rate limits count per person."""

import pytest
from django.test import Client

from core.ratelimit import client_ip
from tests.core.helpers import main_html
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_client_is_the_hop_the_proxy_appended(rf):
    # What the client sent itself comes first and is not believed; nginx appends what it saw.
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_without_a_trusted_proxy_the_header_is_ignored(rf, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "203.0.113.9"


def _login(address: str, email: str, password: str):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).post(
        "/konto/login/", {"login": email, "password": password}
    )


def test_wrong_passwords_from_one_person_lock_out_nobody_else():
    """allauth allows 10 failed logins a minute per address: the 11th from that person is
    refused, while someone else behind the same proxy logs in."""
    for i in range(10):
        response = _login("203.0.113.9", f"niemand{i}@example.org", "falsch-falsch")
        assert "Zu viele" not in main_html(response)
    response = _login("203.0.113.9", "niemand10@example.org", "falsch-falsch")
    assert "Zu viele" in main_html(response)

    someone = UserFactory()
    assert _login("198.51.100.20", someone.email, PASSWORD).status_code == 302


def test_many_people_behind_the_proxy_log_in_within_a_minute():
    """The login limit (30 a minute per address) is per person, not for the proxy."""
    people = [UserFactory() for _ in range(31)]
    for i, person in enumerate(people):
        assert _login(f"198.51.100.{i + 1}", person.email, PASSWORD).status_code == 302
