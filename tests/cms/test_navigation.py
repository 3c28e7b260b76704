"""The header's and footer's navigation comes from the page tree: the home page's live children
that editors marked "show in menus", on every page, at no query once cached."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import StandardPage
from tests.factories import member


def _links(html: str, landmark: str) -> list[tuple[str, str]]:
    """(href, text) of the links in the header's main navigation or the footer."""
    part = re.search(rf"<{landmark}\b.*?</{landmark}>", html, re.S).group(0)
    return [
        (href, " ".join(text.split()))
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', part, re.S)
    ]


def _standard(home, title, slug, *, show_in_menus=True, live=True):
    page = home.add_child(
        instance=StandardPage(title=title, slug=slug, show_in_menus=show_in_menus)
    )
    if live:
        page.save_revision().publish()
    else:
        page.unpublish()
    return page


@pytest.fixture
def site(tree):
    home, curriculum, news = tree
    about = _standard(home, "Über das Programm", "ueber-das-programm")
    contact = _standard(home, "Kontakt", "kontakt")
    _standard(home, "Nicht im Menü", "versteckt", show_in_menus=False)
    _standard(home, "Entwurf", "entwurf", live=False)
    return {"home": home, "curriculum": curriculum, "news": news, "about": about,
            "contact": contact}  # fmt: skip


EXPECTED = [
    ("/curriculum/", "Curriculum"),
    ("/aktuelles/", "Aktuelles"),
    ("/ueber-das-programm/", "Über das Programm"),
    ("/kontakt/", "Kontakt"),
]


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_header_and_footer_link_to_each_page_shown_in_menus(client, site, who):
    if who == "member":
        client.force_login(member())
    for url in ("/", "/fortbildung/", "/datenschutz/"):
        html = client.get(url).content.decode()
        header = _links(html, "header")
        footer = _links(html, "footer")
        for link in EXPECTED:
            assert link in header, (url, link)
            assert link in footer, (url, link)
        assert [link for link in header if link in EXPECTED] == EXPECTED
        for hidden in ("/versteckt/", "/entwurf/"):
            assert hidden not in html, (url, hidden)


def test_unticking_show_in_menus_removes_the_link_at_once(client, site):
    about = site["about"]
    assert ("/kontakt/", "Kontakt") in _links(client.get("/").content.decode(), "header")
    contact = site["contact"]
    contact.show_in_menus = False
    contact.save_revision().publish()
    about.title = "Das Programm"
    about.save_revision().publish()

    html = client.get("/").content.decode()
    assert "/kontakt/" not in html
    assert ("/ueber-das-programm/", "Das Programm") in _links(html, "header")
    # An unpublished page leaves the navigation too.
    site["news"].unpublish()
    assert "/aktuelles/" not in client.get("/fortbildung/").content.decode()


def test_the_current_section_is_marked(client, site):
    html = client.get("/kontakt/").content.decode()
    assert '<a href="/kontakt/" aria-current="page">Kontakt</a>' in html
    assert '<a href="/aktuelles/" aria-current="page">' not in html


def test_the_navigation_costs_no_query_once_cached(client, site):
    client.get("/datenschutz/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/datenschutz/").content.decode()
    assert "/kontakt/" in html
    assert not [q["sql"] for q in queries if "wagtailcore" in q["sql"]]


def test_the_demo_puts_its_pages_into_the_navigation(client, db):
    from cms import demo

    demo.load(password="kinderstark-demo", log=lambda message: None)
    # An earlier demo database, whose pages were never shown in menus, gets them too.
    StandardPage.objects.filter(slug="kontakt").update(show_in_menus=False)
    demo.load(password="kinderstark-demo", log=lambda message: None)

    header = _links(client.get("/").content.decode(), "header")
    assert [link for link in header if link in EXPECTED] == EXPECTED
