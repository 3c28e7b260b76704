"""Whole public pages for anonymous visitors come from the cache for a few seconds
(core.middleware.AnonymousPageCacheMiddleware): rendered once, the same for everybody who is not
logged in, never a member's page, one per language, and a publish shows at once."""

import time

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import CourseDateFactory, CourseFactory, member, module_page

pytestmark = pytest.mark.django_db


def _later(monkeypatch, seconds):
    """Move the cache's clock on (LocMemCache reads time.time())."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def test_a_public_page_is_rendered_once_and_kept_a_few_seconds(
    client, tree, monkeypatch, django_assert_num_queries
):
    assert 0 < settings.ANONYMOUS_PAGE_CACHE_SECONDS <= 5
    assert "Kinderschutz im Ganztag" not in client.get("/fortbildung/").content.decode()
    CourseDateFactory(course=CourseFactory(title="Kinderschutz im Ganztag"))
    with django_assert_num_queries(0):
        kept = client.get("/fortbildung/")
    assert kept.status_code == 200
    assert "Kinderschutz im Ganztag" not in kept.content.decode()
    _later(monkeypatch, settings.ANONYMOUS_PAGE_CACHE_SECONDS + 0.5)
    assert "Kinderschutz im Ganztag" in client.get("/fortbildung/").content.decode()


def test_a_publish_shows_at_once(client, tree):
    page = module_page(tree[1], title="Beteiligung")
    assert "Beteiligung" in client.get(page.url).content.decode()
    page.title = "Beteiligung von Familien"
    page.save_revision().publish()
    assert "Beteiligung von Familien" in client.get(page.url).content.decode()


def test_a_member_neither_gets_nor_leaves_a_kept_page(client, tree):
    assert "Abmelden" not in client.get("/").content.decode()
    person = member(name="Mara Mitglied")
    client.force_login(person)
    assert "Abmelden" in client.get("/").content.decode()
    visitor = Client()
    html = visitor.get("/").content.decode()
    assert "Abmelden" not in html and "Anmelden" in html


def test_each_language_is_kept_apart(tree):
    german, english = Client(), Client(enforce_csrf_checks=True)
    assert "Datenschutzerklärung" in german.get("/datenschutz/").content.decode()
    # The header's switch posts no CSRF token: it changes the visitor's own language only.
    switched = english.post("/i18n/setlang/", {"language": "en", "next": "/datenschutz/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Privacy notice" in english.get("/datenschutz/").content.decode()
    assert "Datenschutzerklärung" in german.get("/datenschutz/").content.decode()


def test_each_query_string_is_its_own_page(client, tree):
    module_page(tree[1], title="Familienzentren")
    module_page(tree[1], title="Schulsozialarbeit")
    first = client.get("/suche/", {"q": "Familienzentren"}).content.decode()
    second = client.get("/suche/", {"q": "Schulsozialarbeit"}).content.decode()
    assert "Familienzentren" in first and "Schulsozialarbeit" not in first
    assert "Schulsozialarbeit" in second and "Familienzentren" not in second


def test_a_page_with_a_form_token_is_never_kept():
    tokens = set()
    for _ in range(2):
        response = Client().get("/konto/login/")
        assert settings.CSRF_COOKIE_NAME in response.cookies
        tokens.add(response.cookies[settings.CSRF_COOKIE_NAME].value)
    assert len(tokens) == 2
