"""What a person sees on the board's pages, and what a stranger may not."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Message, ModerationLogEntry, Mute, Room
from events.services import message_post, room_ensure_defaults
from tests.factories import MunicipalityFactory, StaffFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    cache.clear()
    room_ensure_defaults()
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    return {
        "anna": member(dortmund, name="Anna Dortmund"),
        "karl": member(koeln, name="Karl Köln"),
        "staff": StaffFactory(),
        "network": Room.objects.get(slug="lernnetzwerk-nrw"),
    }


def _staff_client(client, staff):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={})
    client.force_login(staff)
    session = client.session
    # allauth marks a session that passed the second factor like this
    session["account_authentication_methods"] = [
        {"method": "password", "at": 0},
        {"method": "mfa", "type": "totp", "at": 0},
    ]
    session.save()
    return client


def test_room_list_shows_rooms_with_unread_counts(client, setup):
    for i in range(3):
        message_post(room=setup["network"], author=setup["karl"], body=f"{i}", nonce=f"{i}")
    client.force_login(setup["anna"])
    response = client.get("/board/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lernnetzwerk NRW" in html and "Westfalen-Lippe" in html
    assert "Rheinland</a>" not in html
    assert '<span class="badge">3</span>' in html
    assert "ungelesene Nachrichten</span>" in html


def test_room_list_query_count_does_not_grow(client, setup, django_assert_max_num_queries):
    from tests.factories import CourseDateFactory
    from training.models import Registration

    client.force_login(setup["anna"])
    first = CourseDateFactory()
    Registration.objects.create(course_date=first, participant=setup["anna"], status="confirmed")
    client.get("/board/")

    with CaptureQueriesContext(connection) as few:
        client.get("/board/")
    assert len(few) <= 14, len(few)
    baseline = len(few)
    for _ in range(6):
        date = CourseDateFactory()
        Registration.objects.create(course_date=date, participant=setup["anna"], status="confirmed")
        message_post(room=setup["network"], author=setup["karl"], body="x", nonce=f"q{date.pk}")
    client.get("/board/")  # creates the course rooms once
    with django_assert_max_num_queries(baseline):
        response = client.get("/board/")
    assert response.content.decode().count("termin-") == 7


def test_room_view_shows_messages_with_author_and_municipality(client, setup):
    message_post(room=setup["network"], author=setup["karl"], body="**Hallo** aus Köln", nonce="k")
    client.force_login(setup["anna"])
    response = client.get("/board/lernnetzwerk-nrw/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Hallo</strong> aus Köln" in html
    assert "Karl Köln" in html and "(Köln)" in html
    assert 'data-ws-path="/ws/board/lernnetzwerk-nrw/"' in html
    assert "events/board.js" in html
    assert "<script>" not in html.replace('<script id="board-strings"', "")
    assert 'for="board-body"' in html
    # opening the room marks it read
    client.force_login(setup["anna"])
    assert '<span class="badge">' not in client.get("/board/").content.decode()


def test_room_view_query_count_does_not_grow(client, setup, django_assert_max_num_queries):
    client.force_login(setup["anna"])
    message_post(room=setup["network"], author=setup["karl"], body="1", nonce="a")
    with CaptureQueriesContext(connection) as few:
        client.get("/board/lernnetzwerk-nrw/")
    assert len(few) <= 14
    for i in range(8):
        message_post(room=setup["network"], author=setup["staff"], body=f"{i}", nonce=f"b{i}")
    with django_assert_max_num_queries(len(few)):
        client.get("/board/lernnetzwerk-nrw/")


def test_stranger_and_unknown_room(client, setup):
    client.force_login(setup["karl"])
    assert client.get("/board/westfalen-lippe/").status_code == 403
    assert client.get("/board/gibt-es-nicht/").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/board/lernnetzwerk-nrw/").status_code == 403
    assert "Mitgliedschaft" in client.get("/board/").content.decode()


def test_staff_moderation_mute_archive_and_log(client, setup):
    client = _staff_client(client, setup["staff"])
    page = client.get("/board/lernnetzwerk-nrw/moderation/")
    assert page.status_code == 200, page
    response = client.post(
        "/board/lernnetzwerk-nrw/stummschalten/",
        {"email": setup["anna"].email, "minutes": "60", "reason": "Werbung"},
    )
    assert response.status_code == 302
    assert Mute.objects.get().user == setup["anna"]
    bad = client.post(
        "/board/lernnetzwerk-nrw/stummschalten/", {"email": "niemand@x.example", "minutes": "60"}
    )
    assert bad.status_code == 400
    assert "kein Konto" in bad.content.decode()
    client.post(f"/board/lernnetzwerk-nrw/stummschaltung-aufheben/{setup['anna'].pk}/")
    client.post("/board/lernnetzwerk-nrw/archivieren/", {"archived": "1"})
    assert Room.objects.get(slug="lernnetzwerk-nrw").archived_at is not None
    log = client.get("/board/lernnetzwerk-nrw/moderation/").content.decode()
    assert "Person stummgeschaltet" in log and "Raum archiviert" in log
    assert ModerationLogEntry.objects.count() == 3


def test_staff_creates_a_meeting_room(client, setup):
    client = _staff_client(client, setup["staff"])
    response = client.post(
        "/board/neuer-raum/",
        {"title": "Netzwerktreffen Juni", "description": "", "members": setup["anna"].email},
    )
    assert response.status_code == 302
    room = Room.objects.get(kind="meeting")
    assert list(room.members.all()) == [setup["anna"]]
    bad = client.post("/board/neuer-raum/", {"title": "X", "members": "wer@nirgends.example"})
    assert bad.status_code == 200 and Room.objects.filter(kind="meeting").count() == 1


def test_members_may_not_moderate(client, setup):
    client.force_login(setup["anna"])
    assert client.get("/board/lernnetzwerk-nrw/moderation/").status_code == 403
    client.post("/board/lernnetzwerk-nrw/archivieren/", {"archived": "1"})
    assert Room.objects.get(slug="lernnetzwerk-nrw").archived_at is None
    assert Message.objects.count() == 0
