"""DSGVO: deleting a board message erases its text. The row stays (the room's ids and seqs go on,
and `sync` reports the deletion by id), without the text; "download my data" names no deleted
text, and the privacy notice says so."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from events.models import Message, ModerationLogEntry, Room
from events.services import message_delete, message_post, room_ensure_defaults
from tests.factories import MunicipalityFactory, StaffFactory, member


@pytest.fixture
def room(db) -> Room:
    cache.clear()  # the posting rate limit counts in the cache
    room_ensure_defaults()
    return Room.objects.get(slug="lernnetzwerk-nrw")


@pytest.fixture
def author(db):
    return member(MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL"))


def test_a_message_its_author_deletes_keeps_no_text_and_leaves_the_download(room, author, client):
    kept = message_post(room=room, author=author, body="Das bleibt stehen", nonce="a")[0]
    gone = message_post(room=room, author=author, body="Das nehme ich **zurück**", nonce="b")[0]

    message_delete(room=room, user=author, message_id=gone.pk)

    row = Message.objects.get(pk=gone.pk)
    assert (row.body, row.body_html) == ("", "")
    assert row.deleted_at and row.seq == kept.seq + 1
    assert Message.objects.get(pk=kept.pk).body == "Das bleibt stehen"
    client.force_login(author)
    response = client.get("/profil/meine-daten/")
    assert response.status_code == 200
    assert "zurück" not in response.content.decode()
    listed = json.loads(response.content)["data"]["events"]["board_messages"]
    assert [(m["text"], bool(m["deleted"])) for m in listed] == [
        ("Das bleibt stehen", False),
        (None, True),
    ]


def test_a_message_a_moderator_deletes_keeps_no_text_but_the_log_its_beginning(room, author):
    message = message_post(room=room, author=author, body="Zu scharf", nonce="m")[0]

    message_delete(room=room, user=StaffFactory(), message_id=message.pk)

    assert Message.objects.filter(pk=message.pk).values_list("body", "body_html").get() == (
        "",
        "",
    )
    assert ModerationLogEntry.objects.get().detail == "Zu scharf"


def test_the_privacy_notice_says_a_deleted_message_loses_its_text(client, db):
    response = client.get("/datenschutz/", headers={"accept-language": "de"})
    assert "der Text einer Nachricht wird entfernt, sobald sie gelöscht wird" in (
        response.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_erases_the_text_of_messages_deleted_before():
    executor = MigrationExecutor(connection)
    before = [("events", "0002_message_seq")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    User = old.get_model("core", "User")
    OldRoom = old.get_model("events", "Room")
    OldMessage = old.get_model("events", "Message")
    author = User.objects.create(email="autorin@dortmund.example", name="Autorin")
    room = OldRoom.objects.create(slug="alt", title="Alt", kind="meeting", last_seq=2)
    deleted = OldMessage.objects.create(
        room=room,
        seq=1,
        author=author,
        nonce="1",
        body="Zurückgenommen",
        body_html="<p>Zurückgenommen</p>",
        deleted_at=timezone.now(),
    )
    standing = OldMessage.objects.create(
        room=room, seq=2, author=author, nonce="2", body="Steht", body_html="<p>Steht</p>"
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Message.objects.filter(pk=deleted.pk).values_list("body", "body_html").get() == (
        "",
        "",
    )
    assert Message.objects.get(pk=standing.pk).body_html == "<p>Steht</p>"
