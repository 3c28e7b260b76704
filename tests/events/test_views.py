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
    assert len(few) <= 6, len(few)
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
    # Live messages are clones of the same partial, rendered blank into a <template>.
    template = html.split("<template data-board-message-template>", 1)[1].split("</template>")[0]
    assert template.startswith('<li class="board-msg" id="msg-" data-id=""')
    assert '<span class="board-msg__municipality">()</span>' in template
    assert '<div class="board-msg__body prose"></div>' in template
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
    # The user, the room (no join to a course date), the mute, the messages, the read mark (on
    # the first visit an UPDATE that finds none, then made with a savepoint), and the site's menu
    # on a cold cache.
    assert len(few) <= 10
    for i in range(8):
        message_post(room=setup["network"], author=setup["staff"], body=f"{i}", nonce=f"b{i}")
    # Eight more messages, and the read mark moved by one UPDATE.
    with django_assert_max_num_queries(len(few) - 3):
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


def test_moderation_page_query_count_does_not_grow(client, setup, django_assert_max_num_queries):
    from events.services import user_mute

    client = _staff_client(client, setup["staff"])
    room = setup["network"]
    user_mute(room=room, by=setup["staff"], user=setup["anna"], minutes=60, reason="eins")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/board/lernnetzwerk-nrw/moderation/").status_code == 200
    assert len(few) <= 14, len(few)
    for i in range(6):
        someone = member(name=f"Person {i}")
        message = message_post(room=room, author=someone, body=f"{i}", nonce=f"m{i}")[0]
        from events.services import message_delete

        message_delete(room=room, user=setup["staff"], message_id=message.pk)
        user_mute(room=room, by=setup["staff"], user=someone, minutes=15, reason=f"Grund {i}")
    with django_assert_max_num_queries(len(few)):
        page = client.get("/board/lernnetzwerk-nrw/moderation/").content.decode()
    assert page.count("Grund ") == 12  # six mutes, and six log entries with the reason


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "", "minutes": "60"}, "Dieses Feld muss ausgefüllt werden."),
        ({"email": "kein-at-zeichen", "minutes": "60"}, "gültige E-Mail-Adresse"),
        ({"email": "ANNA", "minutes": "99999"}, "Bitte eine gültige Auswahl treffen."),
        ({"email": "ANNA", "minutes": "eine Stunde"}, "Bitte eine gültige Auswahl treffen."),
        ({"email": "ANNA", "minutes": "60", "reason": "x" * 301}, "höchstens 300 Zeichen"),
        ({"email": "STAFF", "minutes": "60"}, "Sie können sich nicht selbst stummschalten."),
    ],
    ids=["empty", "not an address", "unknown duration", "wrong type", "too long", "oneself"],
)
def test_mute_form_refuses_bad_input_with_a_german_message(client, setup, data, error):
    client = _staff_client(client, setup["staff"])
    who = {"ANNA": setup["anna"].email, "STAFF": setup["staff"].email}
    data = {**data, "email": who.get(data["email"], data["email"])}
    response = client.post("/board/lernnetzwerk-nrw/stummschalten/", data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Mute.objects.exists()
    assert not ModerationLogEntry.objects.exists()


def test_mute_reason_with_a_script_tag_is_shown_as_text(client, setup):
    client = _staff_client(client, setup["staff"])
    client.post(
        "/board/lernnetzwerk-nrw/stummschalten/",
        {"email": setup["anna"].email, "minutes": "15", "reason": "<script>alert(1)</script>"},
    )
    page = client.get("/board/lernnetzwerk-nrw/moderation/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": ""}, "Dieses Feld muss ausgefüllt werden."),
        ({"title": "   "}, "Dieses Feld muss ausgefüllt werden."),
        ({"title": "T" * 151}, "höchstens 150 Zeichen"),
        ({"title": "Treffen", "description": "d" * 301}, "höchstens 300 Zeichen"),
        ({"title": "Treffen", "members": "a@b.example, kaputt"}, "Kein Konto mit diesen Adressen"),
    ],
    ids=["empty", "blank", "title too long", "description too long", "unknown people"],
)
def test_meeting_room_form_refuses_bad_input_with_a_german_message(client, setup, data, error):
    client = _staff_client(client, setup["staff"])
    response = client.post("/board/neuer-raum/", data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Room.objects.filter(kind="meeting").exists()


def test_meeting_room_title_with_a_script_tag_is_shown_as_text(client, setup):
    client = _staff_client(client, setup["staff"])
    client.post("/board/neuer-raum/", {"title": "<script>x</script>Treffen"})
    room = Room.objects.get(kind="meeting")
    page = client.get(f"/board/{room.slug}/").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;Treffen" in page
    assert "<script>x</script>" not in page


def test_moderation_log_is_paged_newest_first(client, setup):
    from events.views import LOG_PAGE

    client = _staff_client(client, setup["staff"])
    room = setup["network"]
    ModerationLogEntry.objects.bulk_create(
        ModerationLogEntry(room=room, actor=setup["staff"], action="unmute", detail=f"Eintrag {i}")
        for i in range(LOG_PAGE + 5)
    )
    first = client.get("/board/lernnetzwerk-nrw/moderation/").content.decode()
    assert f"Eintrag {LOG_PAGE + 4}<" in first and "Eintrag 4<" not in first
    assert "Seite 1 von 2" in first and "?seite=2" in first
    second = client.get("/board/lernnetzwerk-nrw/moderation/?seite=2").content.decode()
    assert "Eintrag 4<" in second and "Eintrag 0<" in second and "Eintrag 5<" not in second
    # a page that does not exist shows the last one, as every list here does
    assert (
        "Eintrag 0<" in client.get("/board/lernnetzwerk-nrw/moderation/?seite=99").content.decode()
    )


def test_room_page_strings_and_live_message_markup_follow_the_language(client, setup):
    """The script's strings and the blank message are made once per language (events.views
    _chrome): each language gets its own, whichever came first."""
    client.force_login(setup["anna"])
    for language, connected, edited in [
        ("de", "Verbunden: Neue Nachrichten erscheinen hier von selbst.", "(bearbeitet)"),
        ("en", "Connected: new messages appear here by themselves.", "(edited)"),
        ("de", "Verbunden: Neue Nachrichten erscheinen hier von selbst.", "(bearbeitet)"),
    ]:
        client.cookies["django_language"] = language
        html = client.get("/board/lernnetzwerk-nrw/").content.decode()
        strings = html.split('id="board-strings"')[1]
        template = html.split("<template data-board-message-template>")[1].split("</template>")[0]
        assert connected in strings
        assert edited in template and 'class="board-msg"' in template
