"""The member pages people read most are kept a few seconds for the browser that asked
(core.middleware.MemberPageCacheMiddleware): a reload costs no query, nobody else's browser ever
gets the page, what the person does shows at once, what others do within
MEMBER_PAGE_CACHE_SECONDS, and a page that showed a message or a logged-out session is never
served from it. Pages that name versions (the forums, a board room) show others' changes at once."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from events.models import Room
from events.services import room_ensure_defaults, room_set_archived
from network.forums.services.posts import post_create
from tests.factories import (
    CourseDateFactory,
    MunicipalityFactory,
    StaffFactory,
    coordinator,
    forum_topic,
    member,
)
from tests.training.pageforms import page_form
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db


def _later(monkeypatch, seconds):
    """Move the cache's clock on (LocMemCache reads time.time())."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def _logged_in(person) -> Client:
    """A browser after logging in: with its session and the form token's cookie (which the
    login form sets; a first page without it answers with the cookie and is not kept)."""
    browser = Client()
    browser.force_login(person)
    assert settings.CSRF_COOKIE_NAME in browser.get(reverse("core:dashboard")).cookies
    return browser


def test_a_reload_comes_from_the_cache_and_only_to_that_browser(django_assert_num_queries):
    assert 0 < settings.MEMBER_PAGE_CACHE_SECONDS <= 5
    mara, nils = member(name="Mara Mitglied"), member(name="Nils Nachbar")
    browser = _logged_in(mara)
    first = browser.get(reverse("core:dashboard"))
    assert first.status_code == 200 and "Mara Mitglied" in first.content.decode()
    with django_assert_num_queries(0):
        again = browser.get(reverse("core:dashboard"))
    assert again.content == first.content
    # The same person in a second browser, and another person, each get their own page.
    other = _logged_in(nils).get(reverse("core:dashboard")).content.decode()
    assert "Nils Nachbar" in other and "Mara Mitglied" not in other
    assert _logged_in(mara).get(reverse("core:dashboard")).content != b""


def test_what_the_person_does_shows_at_once():
    course_date = CourseDateFactory(course__title="Kinderarmut verstehen")
    browser = _logged_in(member())
    my_training = reverse("training:my_training")
    assert "Kinderarmut verstehen" not in browser.get(my_training).content.decode()
    date_page = browser.get(course_date.get_absolute_url()).content.decode()
    form = page_form(date_page, reverse("training:register", args=[course_date.pk]))
    assert browser.post(form.action, {"notes": ""}).status_code == 302
    assert "Kinderarmut verstehen" in browser.get(my_training).content.decode()


def test_what_others_do_shows_within_the_seconds(monkeypatch):
    """Her coordinator registers her: her kept "Meine Fortbildungen" shows it once it is
    MEMBER_PAGE_CACHE_SECONDS old."""
    town = MunicipalityFactory()
    fachkraft, boss = member(town), coordinator(town)
    course_date = CourseDateFactory(course__title="Kinderarmut verstehen")
    browser = _logged_in(fachkraft)
    url = reverse("training:my_training")
    assert "Kinderarmut verstehen" not in browser.get(url).content.decode()
    registration_create(course_date=course_date, participant=fachkraft, by=boss)
    assert "Kinderarmut verstehen" not in browser.get(url).content.decode()
    _later(monkeypatch, settings.MEMBER_PAGE_CACHE_SECONDS + 0.5)
    assert "Kinderarmut verstehen" in browser.get(url).content.decode()


def test_a_reply_shows_at_once_to_every_reader(django_capture_on_commit_callbacks):
    """The forum pages name the forums' version (network.forums.page_versions), which every
    change of a category, topic, post or reaction bumps."""
    topic = forum_topic(title="Lotsendienst")
    reader = _logged_in(member())
    topic_url = reverse("network:topic", args=[topic.pk])
    forum_url = reverse("network:forum")
    assert "Bei uns mit Hebammen" not in reader.get(topic_url).content.decode()
    before = reader.get(forum_url).content
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=member(), body="Bei uns mit Hebammen")
    assert "Bei uns mit Hebammen" in reader.get(topic_url).content.decode()
    assert reader.get(forum_url).content != before  # the topic's count of posts


def test_a_page_that_showed_a_message_is_not_kept():
    course_date = CourseDateFactory(course__title="Netzwerkarbeit")
    person = member()
    browser = _logged_in(person)
    date_page = browser.get(course_date.get_absolute_url()).content.decode()
    form = page_form(date_page, reverse("training:register", args=[course_date.pk]))
    browser.post(form.action, {"notes": ""})
    registration = person.training_registrations.get()
    cancelled = browser.post(
        reverse("training:cancel", args=[registration.pk]), follow=True
    ).content.decode()
    assert "Die Anmeldung wurde storniert." in cancelled
    again = browser.get(reverse("training:my_training")).content.decode()
    assert "Die Anmeldung wurde storniert." not in again


def test_after_logging_out_the_old_session_cookie_gets_no_kept_page():
    browser = _logged_in(member(name="Mara Mitglied"))
    assert "Mara Mitglied" in browser.get(reverse("core:dashboard")).content.decode()
    old_cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert browser.post(reverse("account_logout")).status_code == 302
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = replay.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_language_switch_shows_at_once():
    browser = _logged_in(member())
    assert "Mein Bereich" in browser.get(reverse("core:dashboard")).content.decode()
    browser.post("/i18n/setlang/", {"language": "en", "next": reverse("core:dashboard")})
    assert "My area" in browser.get(reverse("core:dashboard")).content.decode()


def test_a_room_archived_by_staff_shows_at_once(django_capture_on_commit_callbacks):
    """The room's page names the rooms' version (events.page_versions): staff's archiving
    bumps it, so the member's kept page is not served again."""
    room_ensure_defaults()
    room = Room.objects.filter(archived_at=None).order_by("pk").first()
    browser = _logged_in(member())
    url = reverse("events:room_detail", args=[room.slug])
    archived = "Dieser Raum ist archiviert und kann nur gelesen werden."
    assert archived not in browser.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        room_set_archived(room=room, by=StaffFactory(), archived=True)
    assert archived in browser.get(url).content.decode()


def test_the_privacy_notice_names_the_kept_pages(client):
    html = client.get(reverse("core:privacy")).content.decode()
    assert "Seiten Ihres Mitgliederbereichs, wie Ihr Browser sie bekam" in html
    assert f"Höchstens {settings.MEMBER_PAGE_CACHE_SECONDS} Sekunden" in html
