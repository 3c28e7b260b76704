"""The header's and footer's links are rendered once per process for each language, section and
role (core.templatetags.site_chrome) and reused: each visitor still gets the links of their own
section, role and language, one after the other in the same process. The menu's links from the
page tree are covered by tests/cms/test_navigation.py."""

import re

import pytest
from django.test import Client

from tests.factories import StaffFactory, member

pytestmark = pytest.mark.django_db


def _current(html: str) -> list[str]:
    """The texts of the header's links marked as the current page."""
    header = re.search(r"<header\b.*?</header>", html, re.S).group(0)
    return [" ".join(t.split()) for t in re.findall(r'aria-current="page">([^<]+)<', header)]


def _header(html: str) -> str:
    return re.search(r"<header\b.*?</header>", html, re.S).group(0)


def test_each_section_marks_its_own_link(client):
    client.force_login(member())
    assert _current(client.get("/fortbildung/").content.decode()) == ["Fortbildungen"]
    assert _current(client.get("/netzwerk/").content.decode()) == ["Netzwerk"]
    assert _current(client.get("/board/").content.decode()) == ["Live-Board"]
    assert _current(client.get("/mein-bereich/").content.decode()) == ["Mein Bereich"]
    assert _current(client.get("/datenschutz/").content.decode()) == []


def test_staff_links_only_for_staff_rendered_in_turn():
    staff, someone = Client(), Client()
    staff.force_login(StaffFactory())
    someone.force_login(member())
    for _ in range(2):
        staff_header = _header(staff.get("/datenschutz/").content.decode())
        member_header = _header(someone.get("/datenschutz/").content.decode())
        assert "/fortbildung/verwaltung/" in staff_header
        assert 'href="/admin/"' in staff_header
        assert "/fortbildung/verwaltung/" not in member_header
        assert 'href="/admin/"' not in member_header


def test_visitors_see_no_member_links_after_a_member():
    someone, visitor = Client(), Client()
    someone.force_login(member())
    assert "/board/" in _header(someone.get("/datenschutz/").content.decode())
    html = visitor.get("/datenschutz/").content.decode()
    assert "/board/" not in _header(html)
    assert "Mein Bereich" not in html


def test_the_language_of_the_links_follows_the_page(settings):
    german, english = Client(), Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # German first, English when chosen
    assert "Datenschutzerklärung" in german.get("/impressum/").content.decode()
    html = english.get("/impressum/").content.decode()
    assert "Privacy notice" in html and "Datenschutzerklärung" not in html
    assert ">Courses<" in _header(html)
