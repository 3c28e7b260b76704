"""What visitors see on the curriculum pages, and what it costs."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import NewsPage, StandardPage
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    StaffFactory,
    cms_document,
    member,
    module_page,
)


def test_home_page_is_the_site_root_and_shows_dates_news_and_links(client, tree):
    _home, _curriculum, news = tree
    course = CourseFactory(title="Frühe Hilfen als erster Baustein")
    CourseDateFactory(course=course)
    news.add_child(
        instance=NewsPage(title="Neue Termine 2027", date=datetime.date(2026, 11, 2), teaser="T")
    )
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Frühe Hilfen als erster Baustein" in html
    assert "10 Plätze frei" in html
    assert "Neue Termine 2027" in html
    assert 'href="/curriculum/"' in html


def test_curriculum_index_lists_live_modules_in_order(client, tree):
    curriculum = tree[1]
    module_page(curriculum, title="Zweites Modul", number=2)
    module_page(curriculum, title="Erstes Modul", number=1)
    draft = module_page(curriculum, title="Unveröffentlicht", number=3)
    draft.unpublish()
    html = client.get("/curriculum/").content.decode()
    assert html.index("Erstes Modul") < html.index("Zweites Modul")
    assert "Unveröffentlicht" not in html


def test_module_page_shows_facts_dates_seats_breadcrumbs_and_related(client, tree):
    curriculum = tree[1]
    course = CourseFactory()
    date = CourseDateFactory(course=course, capacity=3)
    CourseDateFactory(course=course, start=date.start - datetime.timedelta(days=60),
                      end=date.start - datetime.timedelta(days=60, hours=-2))  # fmt: skip
    other = module_page(curriculum, title="Netzwerkmanagement und Koordination")
    page = module_page(
        curriculum,
        title="Frühe Hilfen als erster Baustein",
        summary="Familien rund um die Geburt erreichen.",
        target_group="Fachkräfte Frühe Hilfen",
        duration="1 Tag",
        learning_goals="<ul><li>Zugänge gestalten</li></ul>",
        course=course,
        related_modules=[other],
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Fachkräfte Frühe Hilfen" in html and "Zugänge gestalten" in html
    assert "3 Plätze frei" in html
    assert html.count('class="course-date"') == 1  # the past date is not shown
    assert 'aria-label="Sie sind hier"' in html and 'aria-current="page"' in html
    assert "Netzwerkmanagement und Koordination" in html
    assert '<meta name="description" content="Familien rund um die Geburt erreichen.">' in html
    assert "<title>Frühe Hilfen als erster Baustein – " in html


def test_all_blocks_render(client, tree):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Kita", file=get_test_image_file())
    page = StandardPage(
        title="Über das Programm",
        slug="ueber",
        intro="Einleitung",
        body=[
            {"type": "heading", "value": {"text": "Abschnitt", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Absatz</p>"},
            {"type": "info_box", "value": {"title": "Hinweis", "text": "<p>Info</p>"}},
            {"type": "image", "value": {"image": image.pk, "alt_text": "Kinder in der Kita",
                                        "caption": "Foto"}},
            {"type": "accordion", "value": {"heading": "FAQ", "items": [
                {"question": "Wer?", "answer": "<p>Alle</p>"}]}},
        ],
    )  # fmt: skip
    tree[0].add_child(instance=page)
    html = client.get(page.url).content.decode()
    for text in ("<h2>Abschnitt</h2>", "Absatz", "Hinweis", 'alt="Kinder in der Kita"',
                 "<summary>Wer?</summary>"):  # fmt: skip
        assert text in html


def test_image_block_requires_alt_text():
    from django.core.exceptions import ValidationError

    from cms.blocks import ImageBlock

    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))


def test_news_pages_and_sitemap(client, tree):
    home, curriculum, news = tree
    item = news.add_child(
        instance=NewsPage(
            title="Lernnetzwerktreffen",
            date=datetime.date(2026, 10, 1),
            teaser="Rund 80 Fachkräfte",
        )
    )
    module = module_page(curriculum)
    assert "Lernnetzwerktreffen" in client.get(news.url).content.decode()
    assert "Rund 80 Fachkräfte" in client.get(item.url).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    for page in (home, curriculum, news, item, module):
        assert page.full_url in sitemap


def test_templates_carry_the_userbar_for_editors(client, tree):
    editor = StaffFactory(is_superuser=True)
    client.force_login(editor)
    html = client.get("/curriculum/").content.decode()
    assert "wagtail-userbar" in html
    assert "checker-axe-configuration" in html  # the content (accessibility) checker is on


def test_wagtail_admin_speaks_german(client, tree):
    editor = StaffFactory(is_superuser=True)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'lang="de"' in html
    assert "Seiten" in html


# --- caching ----------------------------------------------------------------------------------


def test_a_publish_shows_at_once_despite_the_cached_fragments(client, tree):
    curriculum = tree[1]
    page = module_page(curriculum, title="Beteiligung")
    assert "Beteiligung" in client.get("/curriculum/").content.decode()
    assert "Beteiligung" in client.get("/curriculum/").content.decode()
    page.title = "Beteiligung von Kindern, Jugendlichen und Familien"
    page.save_revision().publish()
    assert (
        "Beteiligung von Kindern, Jugendlichen und Familien"
        in client.get("/curriculum/").content.decode()
    )


def test_a_page_rendered_while_a_publish_commits_is_not_kept_past_it(
    client, tree, django_capture_on_commit_callbacks
):
    """Wagtail publishes in a transaction and sends page_published inside it. Another request
    that renders in between reads the old page and keeps its fragments (and the anonymous page)
    under the version it sees then; the version is bumped again after the commit, so that copy
    is never shown, not for PAGE_TTL (an hour)."""
    from cms import cache as page_cache

    page = module_page(tree[1], title="Beteiligung")
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "Beteiligung von Kindern, Jugendlichen und Familien"
        page.save_revision().publish()
        seen_before_the_commit = page_cache.content_version()
    assert page_cache.content_version() != seen_before_the_commit


def test_a_public_page_is_the_same_for_every_anonymous_visitor(client, tree):
    """No per-visitor token or cookie on a public page (the language switch needs no CSRF
    token), so the anonymous page cache may keep it for everybody."""
    response = client.get("/")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies


def _later(monkeypatch, seconds):
    """Move the cache's clock on (LocMemCache reads time.time())."""
    import time

    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_seat_counts_are_never_older_than_a_few_seconds(client, tree, monkeypatch, who):
    from cms import cache as page_cache
    from training.models import Registration

    assert page_cache.SEATS_TTL <= 5
    if who == "member":
        client.force_login(member())
    course = CourseFactory()
    date = CourseDateFactory(course=course, capacity=2)
    page = module_page(tree[1], course=course)
    assert "2 Plätze frei" in client.get(page.url).content.decode()
    assert "2 Plätze frei" in client.get("/").content.decode()
    Registration.objects.create(course_date=date, participant=member(), status="confirmed")
    _later(monkeypatch, page_cache.SEATS_TTL + 0.5)
    assert "1 Platz frei" in client.get(page.url).content.decode()
    assert "1 Platz frei" in client.get("/").content.decode()


def test_the_fragment_keys_hold_the_site(rf, settings, tree):
    """A page's links depend on the Site the request came to (relative on its own Site,
    absolute from another), so a fragment cached for one Site is not shown on another."""
    from wagtail.models import Site

    from cms.cache import context_for

    settings.ALLOWED_HOSTS = ["*"]
    other_root = tree[0].add_child(instance=StandardPage(title="Andere Seite", slug="andere"))
    Site.objects.create(hostname="andere.example", port=80, root_page=other_root)
    ours = context_for(request=rf.get("/", HTTP_HOST="testserver"))
    theirs = context_for(request=rf.get("/", HTTP_HOST="andere.example"))
    assert ours["cms_cache_version"] != theirs["cms_cache_version"]


# --- query counts -----------------------------------------------------------------------------


def _count(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow_module(curriculum, page, course, n):
    for _ in range(n):
        CourseDateFactory(course=course)
    related = [module_page(curriculum) for _ in range(n)]
    documents = [cms_document(f"Dokument {i}", filename=f"d{i}.txt") for i in range(n)]
    page.related_modules = related
    from cms.models import ModuleMaterial

    page.materials = [
        *page.materials.all(),
        *[ModuleMaterial(document=d, access=a) for d in documents
          for a in ("public", "members", "participants")],
    ]  # fmt: skip
    page.save_revision().publish()


@pytest.mark.parametrize("who", ["anonymous", "member", "staff"])
def test_module_page_queries_do_not_grow(client, tree, who):
    curriculum = tree[1]
    course = CourseFactory()
    CourseDateFactory(course=course)
    page = module_page(
        curriculum, course=course, materials=[(cms_document(filename="a.txt"), "public")]
    )
    if who == "member":
        client.force_login(member())
    elif who == "staff":
        client.force_login(StaffFactory())
    client.get(page.url)  # warm the process-wide caches (content types)
    small = _count(client, page.url)
    _grow_module(curriculum, page, course, 6)
    large = _count(client, page.url)
    assert large == small, (small, large)
    # With every cache empty; the navigation's query is one of them (cached afterwards).
    assert small <= {"anonymous": 15, "member": 20, "staff": 26}[who], small


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_home_page_queries_do_not_grow(client, tree, who):
    _home, curriculum, news = tree
    if who == "member":
        client.force_login(member())
    CourseDateFactory()
    module_page(curriculum)
    news.add_child(instance=NewsPage(title="N0", date=datetime.date(2026, 1, 1), teaser="t"))
    client.get("/")
    small = _count(client, "/")
    for i in range(6):
        CourseDateFactory()
        module_page(curriculum)
        news.add_child(
            instance=NewsPage(title=f"N{i + 1}", date=datetime.date(2026, 1, 2), teaser="t")
        )
        # More pages in the navigation.
        _home.add_child(instance=StandardPage(title=f"S{i}", slug=f"s{i}", show_in_menus=True))
    large = _count(client, "/")
    assert large == small, (small, large)
    assert small <= 16, small


def test_curriculum_index_queries_do_not_grow(client, tree):
    curriculum = tree[1]
    module_page(curriculum)
    small = _count(client, "/curriculum/")
    for _ in range(6):
        module_page(curriculum)
    assert _count(client, "/curriculum/") == small
    assert small <= 11


def test_a_view_restriction_applies_to_a_page_seen_before(client, tree):
    from wagtail.models import PageViewRestriction

    module = module_page(tree[1])
    assert client.get(module.url).status_code == 200
    PageViewRestriction.objects.create(page=tree[1], restriction_type="login")
    response = client.get(module.url)
    assert response.status_code == 302
    client.force_login(member())
    assert client.get(module.url).status_code == 200


@pytest.mark.django_db
def test_a_newly_published_practice_example_shows_on_the_home_page_at_once(client, tree):
    from tests.factories import practice_example

    client.force_login(member())
    assert "Stadtteilmütter in Gelsenkirchen" not in client.get("/").content.decode()
    practice_example(title="Stadtteilmütter in Gelsenkirchen", publish_by=StaffFactory())
    assert "Stadtteilmütter in Gelsenkirchen" in client.get("/").content.decode()
