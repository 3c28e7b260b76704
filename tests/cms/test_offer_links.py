"""The header of every page links to the offers in Leichter Sprache and Deutscher Gebärdensprache
(BITV NRW § 4): on CMS pages, training, network, board and account pages alike, with pictogram
and text; the start page and the accessibility statement name both offers."""

import re

import pytest

from events.models import Room
from tests.factories import (
    CourseDateFactory,
    forum_topic,
    member,
    module_page,
    offer_pages,
)

EASY = '<a class="offer-link" href="/leichte-sprache/" hreflang="de"'
SIGN = '<a class="offer-link" href="/gebaerdensprache/" hreflang="de"'


def _header(html: str) -> str:
    return re.search(r"<header\b.*?</header>", html, re.S).group(0)


def _offer_nav(html: str) -> str:
    return re.search(r'<nav class="offer-links".*?</nav>', _header(html), re.S).group(0)


@pytest.fixture
def site(tree):
    home, curriculum, news = tree
    offer_pages(home)
    module = module_page(curriculum)
    from cms.models import NewsPage, StandardPage

    about = home.add_child(instance=StandardPage(title="Über das Programm", slug="ueber"))
    item = news.add_child(
        instance=NewsPage(title="Start", date="2026-11-01", teaser="Es geht los.")
    )
    date = CourseDateFactory()
    user = member()
    topic = forum_topic(author=user)
    room = Room.objects.filter(slug="lernnetzwerk-nrw").first() or Room.objects.first()
    return {
        "user": user,
        "public": [
            "/",
            curriculum.url,
            module.url,
            news.url,
            item.url,
            about.url,
            "/leichte-sprache/",
            "/gebaerdensprache/",
            "/suche/?q=Kita",
            "/fortbildung/",
            f"/fortbildung/termine/{date.pk}/",
            "/netzwerk/",
            "/netzwerk/praxis/",
            "/konto/login/",
            "/konto/signup/",
            "/konto/password/reset/",
            "/datenschutz/",
            "/impressum/",
            "/barrierefreiheit/",
            "/gibt-es-nicht/",
        ],
        "members": [
            "/mein-bereich/",
            "/profil/",
            "/fortbildung/meine/",
            "/netzwerk/foren/",
            f"/netzwerk/thema/{topic.pk}/",
            "/board/",
            *([f"/board/{room.slug}/"] if room else []),
            "/konto/email/",
        ],
    }


def _assert_offer_links(html: str, url: str) -> None:
    nav = _offer_nav(html)
    assert EASY in nav, url
    assert SIGN in nav, url
    assert '<span lang="de">Leichte Sprache</span>' in nav, url
    assert '<span lang="de">Gebärdensprache</span>' in nav, url
    # The pictograms are decoration next to visible text.
    assert nav.count('<svg class="icon"') == 2, url
    assert nav.count('aria-hidden="true" focusable="false"') == 2, url


def test_every_page_type_links_to_both_offers_in_its_header(client, site):
    for url in site["public"]:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        _assert_offer_links(response.content.decode(), url)
    client.force_login(site["user"])
    for url in site["members"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        _assert_offer_links(response.content.decode(), url)


def test_the_links_come_early_in_the_header_before_the_menu(client, site):
    header = _header(client.get("/fortbildung/").content.decode())
    assert header.index(EASY) < header.index('id="site-nav"')
    assert header.index(EASY) < header.index(SIGN)


def test_the_current_offer_is_marked(client, site):
    nav = _offer_nav(client.get("/gebaerdensprache/").content.decode())
    assert f'{SIGN} aria-current="page">' in nav
    assert f"{EASY}>" in nav


def test_the_start_page_offers_both_prominently(client, site):
    html = client.get("/").content.decode()
    main = html[html.index('<main id="main"') :]
    section = re.search(r'<section class="card offer-card".*?</section>', main, re.S).group(0)
    assert "Leichte Sprache und Gebärdensprache" in section
    assert EASY in section
    assert SIGN in section


def test_english_visitors_read_in_english_that_the_offers_are_german(client, site):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    nav = _offer_nav(html)
    assert (
        '<span lang="de">Leichte Sprache</span> <span class="offer-link__note">(in German)' in nav
    )
    assert "(German Sign Language)" in nav
    assert 'aria-label="Easy-to-read and sign language"' in nav
    assert "These pages are in German." in html


def test_the_accessibility_statement_names_both_offers(client, site):
    html = client.get("/barrierefreiheit/").content.decode()
    main = html[html.index('<main id="main"') :]
    assert "Leichte Sprache und Deutsche Gebärdensprache" in main
    assert "gibt es auch in Leichter Sprache und in Deutscher Gebärdensprache" in main
    assert EASY in main
    assert SIGN in main


def test_without_the_pages_there_are_no_dead_links(client, tree):
    html = client.get("/fortbildung/").content.decode()
    assert 'class="offer-links"' not in html
    assert "/leichte-sprache/" not in html


def test_an_unpublished_offer_disappears_from_the_header(client, site):
    from cms.models import SignLanguagePage

    assert SIGN in client.get("/").content.decode()
    SignLanguagePage.objects.get().unpublish()
    html = client.get("/").content.decode()
    assert SIGN not in html
    assert EASY in html


def test_the_header_costs_no_query_once_cached(client, site, django_assert_num_queries):
    client.get("/impressum/")
    with django_assert_num_queries(0):
        html = client.get("/impressum/").content.decode()
    _assert_offer_links(html, "/impressum/")
