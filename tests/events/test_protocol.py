"""Every row of the board protocol (DESIGN.md) and every bad input, over WebsocketCommunicator."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client as HttpClient

from events.models import Message, ModerationAction, ModerationLogEntry
from events.publish import access_changed, notification_count
from events.services import message_post, room_create_meeting, room_set_archived, user_mute
from network.models import MembershipStatus
from tests.events.conftest import APP

pytestmark = pytest.mark.django_db(transaction=True)

post_db = database_sync_to_async(message_post)


async def closed_with(communicator: WebsocketCommunicator) -> int:
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close", output
    return output["code"]


# --- connecting ----------------------------------------------------------------------------


async def test_anonymous_is_closed_with_4401(board_world):
    communicator = WebsocketCommunicator(APP, "/ws/board/lernnetzwerk-nrw/")
    from django.contrib.auth.models import AnonymousUser

    communicator.scope["user"] = AnonymousUser()
    await communicator.connect()
    assert await closed_with(communicator) == 4401
    await communicator.disconnect()


async def test_unknown_room_is_closed_with_4404(board_world):
    communicator = WebsocketCommunicator(APP, "/ws/board/gibt-es-nicht/")
    communicator.scope["user"] = board_world["anna"]
    await communicator.connect()
    assert await closed_with(communicator) == 4404
    await communicator.disconnect()


async def test_room_of_another_region_is_closed_with_4403(board_world):
    communicator = WebsocketCommunicator(APP, "/ws/board/westfalen-lippe/")
    communicator.scope["user"] = board_world["karl"]  # Köln is in Rheinland
    await communicator.connect()
    assert await closed_with(communicator) == 4403
    await communicator.disconnect()


async def _socket_from(origin: bytes, cookie: bytes = b"", host: bytes = b"127.0.0.1:8000"):
    from config.asgi import application

    headers = [(b"origin", origin), (b"host", host)]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, "/ws/board/lernnetzwerk-nrw/", headers=headers)


async def _session_cookie(user) -> bytes:
    http = HttpClient()
    await database_sync_to_async(http.force_login)(user)
    return f"sessionid={http.cookies['sessionid'].value}".encode()


async def test_session_cookie_and_origin_through_the_real_asgi_application(board_world, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    cookie = await _session_cookie(board_world["anna"])

    good = await _socket_from(b"http://127.0.0.1:8000", cookie)
    connected, _ = await good.connect()
    assert connected
    hello = json.loads(await good.receive_from())
    assert hello["type"] == "hello"
    assert hello["user"]["id"] == board_world["anna"].pk
    await good.disconnect()

    anonymous = await _socket_from(b"http://127.0.0.1:8000")
    await anonymous.connect()
    assert await closed_with(anonymous) == 4401
    await anonymous.disconnect()


@pytest.mark.parametrize(
    "origin",
    [
        b"http://evil.example",
        b"https://evil.example",
        b"http://127.0.0.1:9999",  # an allowed host, another port (another program there)
        b"https://127.0.0.1:8000",  # another scheme
        b"http://127.0.0.1",  # port 80
        b"http://localhost:9999",
        b"null",
        b"",
    ],
)
async def test_a_socket_from_a_foreign_origin_is_refused(board_world, settings, origin):
    """The Origin's scheme, host and port must be the site's own (core.origins), not only its
    host: a page served by another program on the same machine may not use the board."""
    settings.SITE_URL = "http://127.0.0.1:8000"
    cookie = await _session_cookie(board_world["anna"])
    foreign = await _socket_from(origin, cookie)
    connected, _ = await foreign.connect()
    assert not connected
    await foreign.disconnect()


async def test_the_sites_origins_are_accepted(board_world, settings):
    """Every ALLOWED_HOSTS entry under SITE_URL's scheme and port, and CSRF_TRUSTED_ORIGINS."""
    settings.SITE_URL = "https://lernnetzwerk.example"
    settings.ALLOWED_HOSTS = ["lernnetzwerk.example", "www.lernnetzwerk.example"]
    settings.CSRF_TRUSTED_ORIGINS = ["https://kinderstark.example:8443"]
    cookie = await _session_cookie(board_world["anna"])
    for origin in (
        b"https://lernnetzwerk.example",
        b"https://lernnetzwerk.example:443",
        b"https://www.lernnetzwerk.example",
        b"https://kinderstark.example:8443",
    ):
        socket = await _socket_from(origin, cookie, host=b"lernnetzwerk.example")
        connected, _ = await socket.connect()
        assert connected, origin
        await socket.disconnect()
    for origin in (b"http://lernnetzwerk.example", b"https://kinderstark.example"):
        socket = await _socket_from(origin, cookie, host=b"lernnetzwerk.example")
        connected, _ = await socket.connect()
        assert not connected, origin
        await socket.disconnect()


async def test_hello_names_room_user_last_id_and_who_is_online(board_world, connect):
    existing, _ = await post_db(
        room=board_world["network"], author=board_world["bernd"], body="vorher", nonce="x1"
    )
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    assert anna.hello == {
        "type": "hello",
        "room": {"slug": "lernnetzwerk-nrw", "title": "Lernnetzwerk NRW"},
        "user": {"id": board_world["anna"].pk, "name": "Anna Dortmund"},
        "last_id": existing.pk,
        "last_seq": 1,
        "online": [{"id": board_world["anna"].pk, "name": "Anna Dortmund"}],
    }
    await anna.close()


# --- post ----------------------------------------------------------------------------------


async def test_post_is_stored_then_broadcast_to_everyone_in_the_room(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await anna.send({"type": "post", "body": "Hallo *NRW* <script>x</script>", "nonce": "a-1"})
    mine = await anna.recv_type("message")
    theirs = await karl.recv_type("message")
    # Only the author's copy carries the Markdown (so an edit starts from it).
    assert mine.pop("body") == "Hallo *NRW* <script>x</script>"
    assert mine == theirs
    stored = await database_sync_to_async(Message.objects.get)(nonce="a-1")
    assert mine["id"] == stored.pk
    assert mine["room"] == "lernnetzwerk-nrw"
    assert mine["author"] == {
        "id": board_world["anna"].pk,
        "name": "Anna Dortmund",
        "municipality": "Dortmund",
    }
    assert "<em>NRW</em>" in mine["body_html"]
    assert "<script" not in mine["body_html"]
    assert mine["edited"] is None
    assert mine["nonce"] == "a-1"
    assert mine["created"].startswith("20")
    assert await anna.nothing()  # the sender gets its message once
    await anna.close()
    await karl.close()


async def test_same_nonce_answers_with_the_stored_message_and_stores_nothing(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await anna.send({"type": "post", "body": "einmal", "nonce": "same"})
    first = await anna.recv_type("message")
    await karl.recv_type("message")
    await anna.send({"type": "post", "body": "einmal (nochmal)", "nonce": "same"})
    again = await anna.recv_type("message")
    assert again == first
    assert await karl.nothing()  # no second broadcast
    assert await database_sync_to_async(Message.objects.count)() == 1
    await anna.close()
    await karl.close()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "post", "body": "", "nonce": "n"}, "invalid"),
        ({"type": "post", "body": "   \n ", "nonce": "n"}, "invalid"),
        ({"type": "post", "body": "x" * 4001, "nonce": "n"}, "too_long"),
        ({"type": "post", "nonce": "n"}, "invalid"),
        ({"type": "post", "body": 42, "nonce": "n"}, "invalid"),
        ({"type": "post", "body": "ohne nonce"}, "invalid"),
        ({"type": "post", "body": "leere nonce", "nonce": ""}, "invalid"),
        ({"type": "post", "body": "lange nonce", "nonce": "n" * 65}, "invalid"),
        ({"type": "post", "body": "nonce als zahl", "nonce": 7}, "invalid"),
    ],
)
async def test_bad_posts_get_an_error_and_nothing_is_stored(board_world, connect, frame, code):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send(frame)
    error = await anna.recv_type("error")
    assert error["code"] == code
    assert error["detail"]
    if isinstance(frame.get("nonce"), str) and len(frame["nonce"]) <= 64:
        assert error["nonce"] == frame["nonce"]
    assert await database_sync_to_async(Message.objects.count)() == 0
    # the connection stays open and usable
    await anna.send({"type": "post", "body": "geht noch", "nonce": "ok"})
    assert (await anna.recv_type("message"))["nonce"] == "ok"
    await anna.close()


async def test_body_of_exactly_4000_characters_is_accepted(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "post", "body": "y" * 4000, "nonce": "max"})
    assert (await anna.recv_type("message"))["nonce"] == "max"
    await anna.close()


async def test_error_detail_is_german(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "post", "body": "x" * 4001, "nonce": "lang"})
    error = await anna.recv_type("error")
    assert error == {
        "type": "error",
        "code": "too_long",
        "detail": "Eine Nachricht darf höchstens 4000 Zeichen haben.",
        "nonce": "lang",
    }
    await anna.close()


async def test_rate_limit_ten_posts_in_ten_seconds_across_tabs(board_world, connect):
    tab1 = await connect(board_world["anna"], "lernnetzwerk-nrw")
    tab2 = await connect(board_world["anna"], "lernnetzwerk-nrw")
    for i in range(10):
        tab = tab1 if i % 2 else tab2
        await tab.send({"type": "post", "body": f"schnell {i}", "nonce": f"r{i}"})
        assert (await tab.recv_nonce(f"r{i}"))["nonce"] == f"r{i}"
    await tab1.drain()
    await tab1.send({"type": "post", "body": "zu schnell", "nonce": "r10"})
    error = await tab1.recv_type("error")
    assert error["code"] == "rate_limited"
    assert error["nonce"] == "r10"
    assert await database_sync_to_async(Message.objects.count)() == 10
    # someone else in the same room is not limited
    bernd = await connect(board_world["bernd"], "lernnetzwerk-nrw")
    await bernd.send({"type": "post", "body": "ich darf", "nonce": "b1"})
    assert (await bernd.recv_type("message"))["nonce"] == "b1"
    for client in (tab1, tab2, bernd):
        await client.close()


async def test_post_in_an_archived_room_is_forbidden(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await database_sync_to_async(room_set_archived)(
        room=board_world["network"], by=board_world["staff"], archived=True
    )
    await anna.send({"type": "post", "body": "noch da?", "nonce": "arch"})
    error = await anna.recv_type("error")
    assert error["code"] == "forbidden"
    assert error["nonce"] == "arch"
    assert await database_sync_to_async(Message.objects.count)() == 0
    await anna.close()


async def test_muted_user_may_read_but_not_post(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await database_sync_to_async(user_mute)(
        room=board_world["network"],
        by=board_world["staff"],
        user=board_world["anna"],
        minutes=10,
        reason="Ton",
    )
    await anna.send({"type": "post", "body": "laut", "nonce": "m1"})
    assert (await anna.recv_type("error"))["code"] == "forbidden"
    await post_db(room=board_world["network"], author=board_world["bernd"], body="hi", nonce="b")
    assert (await anna.recv_type("message"))["nonce"] == "b"
    log = await database_sync_to_async(list)(ModerationLogEntry.objects.values_list("action"))
    assert (ModerationAction.MUTE,) in log
    await anna.close()


# --- sync and history --------------------------------------------------------------------


async def test_sync_sends_every_message_after_the_id_then_synced(board_world, connect):
    room = board_world["network"]
    ids = []
    for i in range(5):
        m, _ = await post_db(room=room, author=board_world["bernd"], body=f"m{i}", nonce=f"s{i}")
        ids.append(m.pk)
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "sync", "after": ids[1]})
    got = [(await anna.recv_type("message"))["id"] for _ in range(3)]
    assert got == ids[2:]
    synced = await anna.recv_type("synced")
    assert synced["last_id"] == ids[-1] and set(synced) == {"type", "last_id", "last_seq", "at"}
    await anna.send({"type": "sync", "after": 0})
    # every message after the id, also those this connection got before (DESIGN.md)
    got = [(await anna.recv_type("message"))["id"] for _ in range(5)]
    assert got == ids
    assert (await anna.recv_type("synced"))["last_id"] == ids[-1]
    await anna.close()


async def test_sync_sends_again_what_this_socket_got_live(board_world, connect):
    """A client that cleared its view asks with `sync` after 0 on the same socket: it gets the
    messages it saw live again, once each, and a later broadcast still arrives once."""
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await karl.send({"type": "post", "body": "live gesehen", "nonce": "l1"})
    live = await anna.recv_type("message")
    await anna.send({"type": "post", "body": "selbst geschrieben", "nonce": "l2"})
    own = await anna.recv_nonce("l2")
    await anna.send({"type": "sync", "after": 0})
    again = [await anna.recv_type("message") for _ in range(2)]
    assert [m["id"] for m in again] == [live["id"], own["id"]]
    assert (await anna.recv_type("synced"))["last_id"] == own["id"]
    assert await anna.nothing()
    await karl.send({"type": "post", "body": "danach", "nonce": "l3"})
    assert (await anna.recv_type("message"))["nonce"] == "l3"
    assert await anna.nothing()
    await anna.close()
    await karl.close()


async def test_sync_of_an_empty_room(board_world, connect):
    anna = await connect(board_world["anna"], "westfalen-lippe")
    await anna.send({"type": "sync", "after": 0})
    assert (await anna.recv_type("synced"))["last_id"] == 0
    await anna.close()


async def test_sync_since_brings_the_edits_and_deletions_missed_offline(board_world, connect):
    """A page that was offline sends `since` (its last `synced` time): it learns of edits and
    deletions of messages it already has, and gets the newer messages whole."""
    from events.services import message_delete, message_edit

    room = board_world["network"]
    bernd = board_world["bernd"]
    await post_db(room=room, author=bernd, body="bleibt", nonce="o1")
    changed, _ = await post_db(room=room, author=bernd, body="alt", nonce="o2")
    gone, _ = await post_db(room=room, author=bernd, body="weg", nonce="o3")
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "sync", "after": 0})
    for _ in range(3):
        await anna.recv_type("message")
    since = (await anna.recv_type("synced"))["at"]
    await anna.close()  # offline; meanwhile:

    edit_db = database_sync_to_async(message_edit)
    delete_db = database_sync_to_async(message_delete)
    await edit_db(room=room, user=bernd, message_id=changed.pk, body="**neu**")
    await delete_db(room=room, user=bernd, message_id=gone.pk)
    newer, _ = await post_db(room=room, author=bernd, body="danach", nonce="o4")

    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "sync", "after": gone.pk, "since": since})
    message = await anna.recv_type("message")
    assert message["id"] == newer.pk
    edited = await anna.recv_type("edited")
    assert edited["id"] == changed.pk and edited["body_html"] == "<p><strong>neu</strong></p>"
    assert edited["edited"] is not None
    assert await anna.recv_type("deleted") == {"type": "deleted", "id": gone.pk}
    synced = await anna.recv_type("synced")
    assert synced["last_id"] == newer.pk and synced["at"] > since
    # Nothing changed since: the next sync sends nothing but `synced`.
    await anna.send({"type": "sync", "after": newer.pk, "since": synced["at"]})
    assert (await anna.recv_type("synced"))["last_id"] == newer.pk
    await anna.close()


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "sync"},
        {"type": "sync", "after": 0, "since": "gestern"},
        {"type": "sync", "after": 0, "since": 5},
        {"type": "sync", "after": 0, "since": "2026-11-28T10:00:00"},
        {"type": "sync", "after": 0, "since": "2026-13-45T10:00:00+00:00"},
        {"type": "sync", "after": "5"},
        {"type": "sync", "after": -1},
        {"type": "sync", "after": True},
        {"type": "sync", "after": 1.5},
        {"type": "history", "before": "x", "limit": 10},
        {"type": "history", "before": 5, "limit": 101},
        {"type": "history", "before": 5, "limit": 0},
        {"type": "history", "before": 5, "limit": "10"},
        {"type": "edit", "body": "ohne id"},
        {"type": "edit", "id": "1", "body": "id als text"},
        {"type": "edit", "id": 1},
        {"type": "delete"},
        {"type": "delete", "id": None},
    ],
)
async def test_missing_or_mistyped_fields_are_invalid(board_world, connect, frame):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send(frame)
    error = await anna.recv_type("error")
    assert error["code"] == "invalid"
    assert "nonce" not in error
    await anna.send({"type": "sync", "after": 0})
    assert (await anna.recv_type("synced"))["type"] == "synced"
    await anna.close()


async def test_history_pages_backwards_oldest_first(board_world, connect):
    room = board_world["network"]
    ids = []
    for i in range(7):
        m, _ = await post_db(room=room, author=board_world["bernd"], body=f"h{i}", nonce=f"h{i}")
        ids.append(m.pk)
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "history", "before": ids[-1], "limit": 4})
    page = await anna.recv_type("history")
    assert [m["id"] for m in page["messages"]] == ids[2:6]
    assert page["has_more"] is True
    await anna.send({"type": "history", "before": ids[2], "limit": 4})
    page = await anna.recv_type("history")
    assert [m["id"] for m in page["messages"]] == ids[:2]
    assert page["has_more"] is False
    assert page["messages"][0]["author"]["name"] == "Bernd Dortmund"
    await anna.close()


async def test_only_the_authors_frames_carry_the_markdown(board_world, connect):
    """`body` (the Markdown) goes to the author in message, sync, history and edited frames,
    so an edit starts from it; everyone else gets the rendered HTML only."""
    room = board_world["network"]
    anna_id, karl_id = board_world["anna"].pk, board_world["karl"].pk
    await post_db(room=room, author=board_world["karl"], body="von **Karl**", nonce="k1")
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    link = "Siehe [Leitfaden](https://example.org/leitfaden)"
    await anna.send({"type": "post", "body": link, "nonce": "a1"})
    posted = await anna.recv_nonce("a1")
    assert posted["body"] == link
    assert "body" not in await karl.recv_nonce("a1")

    def bodies(messages, reader_id):
        """The Markdown each message carries for this reader, None where it has none."""
        return {m["nonce"]: m.get("body") for m in messages} | {
            "mine": [m["nonce"] for m in messages if m["author"]["id"] == reader_id]
        }

    expected = {
        anna_id: {"k1": None, "a1": link, "mine": ["a1"]},
        karl_id: {"k1": "von **Karl**", "a1": None, "mine": ["k1"]},
    }
    for client, reader_id in ((anna, anna_id), (karl, karl_id)):
        await client.send({"type": "sync", "after": 0})
        synced = [await client.recv_type("message") for _ in range(2)]
        since = (await client.recv_type("synced"))["at"]
        assert bodies(synced, reader_id) == expected[reader_id]
        await client.send({"type": "history", "limit": 10})
        history = (await client.recv_type("history"))["messages"]
        assert bodies(history, reader_id) == expected[reader_id]

    await anna.send({"type": "edit", "id": posted["id"], "body": link + "!"})
    assert (await anna.recv_type("edited"))["body"] == link + "!"
    edited = await karl.recv_type("edited")
    assert "body" not in edited and "example.org/leitfaden" in edited["body_html"]

    # An edit missed offline comes with `sync` … `since`: with the Markdown for the author only.
    for client, has_body in ((anna, True), (karl, False)):
        await client.send({"type": "sync", "after": posted["id"], "since": since})
        changed = await client.recv_type("edited")
        assert changed["id"] == posted["id"]
        assert ("body" in changed) == has_body
        await client.recv_type("synced")
    await anna.close()
    await karl.close()


# --- edit and delete -----------------------------------------------------------------------


async def test_author_edits_and_everyone_sees_edited(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await anna.send({"type": "post", "body": "Tippfeler", "nonce": "e1"})
    msg = await anna.recv_type("message")
    await karl.recv_type("message")
    await anna.send({"type": "edit", "id": msg["id"], "body": "Tippfehler"})
    for client in (anna, karl):
        edited = await client.recv_type("edited")
        assert edited["id"] == msg["id"]
        assert edited["body_html"] == "<p>Tippfehler</p>"
        assert edited["edited"] is not None
        assert edited["author"]["id"] == board_world["anna"].pk
    await anna.close()
    await karl.close()


async def test_editing_someone_elses_message_is_forbidden(board_world, connect):
    msg, _ = await post_db(
        room=board_world["network"], author=board_world["anna"], body="meins", nonce="o"
    )
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await karl.send({"type": "edit", "id": msg.pk, "body": "gehackt"})
    assert (await karl.recv_type("error"))["code"] == "forbidden"
    await database_sync_to_async(msg.refresh_from_db)()
    assert msg.body == "meins"
    assert msg.edited_at is None
    await karl.close()


async def test_another_rooms_message_id_is_not_found(board_world, connect):
    other, _ = await post_db(
        room=board_world["westfalen"], author=board_world["anna"], body="andere", nonce="w"
    )
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    for frame in (
        {"type": "edit", "id": other.pk, "body": "hier?"},
        {"type": "delete", "id": other.pk},
        {"type": "edit", "id": 999999, "body": "gibt es nicht"},
        {"type": "delete", "id": 999999},
    ):
        await anna.send(frame)
        assert (await anna.recv_type("error"))["code"] == "not_found"
    await database_sync_to_async(other.refresh_from_db)()
    assert other.body == "andere"
    assert other.deleted_at is None
    await anna.close()


async def test_edit_with_a_too_long_body(board_world, connect):
    msg, _ = await post_db(
        room=board_world["network"], author=board_world["anna"], body="kurz", nonce="k"
    )
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "edit", "id": msg.pk, "body": "z" * 4001})
    assert (await anna.recv_type("error"))["code"] == "too_long"
    await anna.close()


async def test_author_deletes_and_everyone_sees_deleted(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await anna.send({"type": "post", "body": "weg damit", "nonce": "d1"})
    msg = await anna.recv_type("message")
    await karl.recv_type("message")
    await anna.send({"type": "delete", "id": msg["id"]})
    assert await anna.recv_type("deleted") == {"type": "deleted", "id": msg["id"]}
    assert await karl.recv_type("deleted") == {"type": "deleted", "id": msg["id"]}
    # deleted messages are not synced any more, and not logged as moderation
    await karl.send({"type": "sync", "after": 0})
    assert (await karl.recv_type("synced"))["type"] == "synced"
    assert await database_sync_to_async(ModerationLogEntry.objects.count)() == 0
    await anna.close()
    await karl.close()


async def test_member_may_not_delete_someone_elses_message(board_world, connect):
    msg, _ = await post_db(
        room=board_world["network"], author=board_world["anna"], body="bleibt", nonce="x"
    )
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await karl.send({"type": "delete", "id": msg.pk})
    assert (await karl.recv_type("error"))["code"] == "forbidden"
    await database_sync_to_async(msg.refresh_from_db)()
    assert msg.deleted_at is None
    await karl.close()


async def test_moderator_deletes_any_message_and_it_is_logged(board_world, connect):
    msg, _ = await post_db(
        room=board_world["network"], author=board_world["anna"], body="unpassend", nonce="u"
    )
    staff = await connect(board_world["staff"], "lernnetzwerk-nrw")
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await staff.send({"type": "delete", "id": msg.pk})
    assert await anna.recv_type("deleted") == {"type": "deleted", "id": msg.pk}
    entry = await database_sync_to_async(ModerationLogEntry.objects.get)()
    assert entry.action == ModerationAction.DELETE_MESSAGE
    assert entry.actor_id == board_world["staff"].pk
    assert entry.target_user_id == board_world["anna"].pk
    await staff.close()
    await anna.close()


async def test_staff_without_second_factor_may_not_delete_or_mute(board_world, connect):
    """Staff power needs the second factor (core.selectors.user_has_staff_power): without one,
    Landesjugendamt staff are an ordinary member on the board."""
    from events.exceptions import NotAllowed
    from tests.factories import StaffFactory

    bare = await database_sync_to_async(StaffFactory)(second_factor=False)
    msg, _ = await post_db(
        room=board_world["network"], author=board_world["anna"], body="bleibt", nonce="n2f"
    )
    staff = await connect(bare, "lernnetzwerk-nrw")
    await staff.send({"type": "delete", "id": msg.pk})
    assert (await staff.recv_type("error"))["code"] == "forbidden"
    await database_sync_to_async(msg.refresh_from_db)()
    assert msg.deleted_at is None
    with pytest.raises(NotAllowed):
        await database_sync_to_async(user_mute)(
            room=board_world["network"], by=bare, user=board_world["anna"], minutes=10
        )
    assert await database_sync_to_async(ModerationLogEntry.objects.count)() == 0
    await staff.close()


# --- typing and presence -------------------------------------------------------------------


async def test_typing_is_broadcast_at_most_once_per_three_seconds(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await karl.drain()
    await anna.send({"type": "typing"})
    assert await karl.recv() == {
        "type": "typing",
        "user": {"id": board_world["anna"].pk, "name": "Anna Dortmund"},
    }
    await anna.send({"type": "typing"})
    await anna.send({"type": "typing"})
    assert await karl.nothing(0.5)
    assert await anna.nothing(0.2)  # not echoed to the typist
    await anna.close()
    await karl.close()


async def test_presence_when_someone_joins_and_leaves(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    assert {u["name"] for u in karl.hello["online"]} == {"Anna Dortmund", "Karl Köln"}
    joined = await anna.recv()
    assert joined["type"] == "presence"
    assert {u["id"] for u in joined["online"]} == {board_world["anna"].pk, board_world["karl"].pk}
    await karl.close()
    left = await anna.recv()
    assert left == {
        "type": "presence",
        "online": [{"id": board_world["anna"].pk, "name": "Anna Dortmund"}],
    }
    await anna.close()


async def test_people_leaving_in_the_same_second_cause_one_presence_frame(board_world, connect):
    """A hundred sockets closing at once (a process asking its clients to reconnect, the end of
    a course date) send the room one `presence` frame, not one each to every socket."""
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    bernd = await connect(board_world["bernd"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await asyncio.sleep(1.2)  # the joins' presence frame
    await anna.drain()
    await bernd.close()
    await karl.close()
    left = await anna.recv()
    assert left == {
        "type": "presence",
        "online": [{"id": board_world["anna"].pk, "name": "Anna Dortmund"}],
    }
    assert await anna.ws.receive_nothing(timeout=1.5)
    await anna.close()


# --- bad frames ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "kein json",
        "{",
        "[1, 2]",
        '"post"',
        "null",
        json.dumps({"type": "explode"}),
        json.dumps({"type": 5}),
        json.dumps({"body": "ohne typ"}),
    ],
)
async def test_bad_text_frames_get_invalid_and_the_connection_stays(board_world, connect, text):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.ws.send_to(text_data=text)
    error = await anna.recv_type("error")
    assert error["code"] == "invalid"
    assert error["detail"]
    await anna.send({"type": "post", "body": "weiter", "nonce": "w"})
    assert (await anna.recv_type("message"))["nonce"] == "w"
    assert await database_sync_to_async(Message.objects.count)() == 1
    await anna.close()


async def test_unknown_type_echoes_the_nonce(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.send({"type": "shout", "nonce": "abc"})
    assert await anna.recv_type("error") == {
        "type": "error",
        "code": "invalid",
        "detail": "Unbekannter Nachrichtentyp.",
        "nonce": "abc",
    }
    await anna.close()


async def test_binary_frame_gets_invalid(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.ws.send_to(bytes_data=b"\x00\x01binary")
    assert (await anna.recv_type("error"))["code"] == "invalid"
    await anna.send({"type": "sync", "after": 0})
    assert (await anna.recv_type("synced"))["type"] == "synced"
    await anna.close()


async def test_frame_over_64_kib_closes_with_4009_and_stores_nothing(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()
    await anna.send({"type": "post", "body": "x" * (64 * 1024), "nonce": "big"})
    assert await closed_with(anna.ws) == 4009
    assert await database_sync_to_async(Message.objects.count)() == 0
    await anna.close()


# --- access that ends ----------------------------------------------------------------------


async def test_ended_membership_disconnects_with_4403(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()

    def end_membership():
        board_world["anna"].memberships.update(status=MembershipStatus.ENDED)
        # what network's membership service calls (events.publish.access_changed)
        access_changed(user_id=board_world["anna"].pk)

    await database_sync_to_async(end_membership)()
    assert await closed_with(anna.ws) == 4403
    await anna.close()


async def test_access_changed_keeps_those_who_may_still_read(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()
    await database_sync_to_async(access_changed)(user_id=board_world["anna"].pk)
    await database_sync_to_async(notification_count)(user_id=board_world["anna"].pk, unread=2)
    assert await anna.nothing(0.5)
    await anna.send({"type": "sync", "after": 0})
    assert (await anna.recv_type("synced"))["type"] == "synced"
    await anna.close()


async def test_removed_from_a_meeting_room_disconnects(board_world, connect):
    from events.services import room_set_members

    room = await database_sync_to_async(room_create_meeting)(
        by=board_world["staff"],
        title="Netzwerktreffen März",
        members=[board_world["anna"], board_world["karl"]],
    )
    karl = await connect(board_world["karl"], room.slug)
    await karl.drain()
    await database_sync_to_async(room_set_members)(
        room=room, by=board_world["staff"], members=[board_world["anna"]]
    )
    assert await closed_with(karl.ws) == 4403
    await karl.close()
    bernd = WebsocketCommunicator(APP, f"/ws/board/{room.slug}/")
    bernd.scope["user"] = board_world["bernd"]
    await bernd.connect()
    assert await closed_with(bernd) == 4403
    await bernd.disconnect()


async def test_heartbeat_closes_a_connection_whose_access_ended_silently(
    board_world, connect, monkeypatch
):
    """Safety net: even if nobody publishes access.changed, the heartbeat re-checks access."""
    monkeypatch.setattr("events.presence.HEARTBEAT", 0.2)
    monkeypatch.setattr("events.consumers.board.RECHECK_EVERY", 1)
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()
    await database_sync_to_async(
        lambda: board_world["anna"].memberships.update(status=MembershipStatus.ENDED)
    )()
    assert await closed_with(anna.ws) == 4403
    await anna.close()


# --- the read mark -------------------------------------------------------------------------


async def test_the_read_mark_follows_the_socket(board_world, connect):
    """A sync marks the room read up to what it sent, a message that arrived live is marked when
    the socket closes, and a keepalive sync that brings nothing new writes nothing."""
    from events.models import ReadState

    room, anna = board_world["network"], board_world["anna"]
    first, _ = await post_db(room=room, author=board_world["karl"], body="Eins", nonce="1")

    def mark():
        state = ReadState.objects.filter(user=anna, room=room).first()
        return state and state.last_read_id

    reader = await connect(anna, "lernnetzwerk-nrw")
    await reader.send({"type": "sync", "after": 0})
    assert (await reader.recv_type("message"))["id"] == first.pk
    assert (await reader.recv_type("synced"))["last_id"] == first.pk
    assert await database_sync_to_async(mark)() == first.pk

    # Moved back by hand: an idle keepalive (nothing after `after`) leaves the mark alone.
    await database_sync_to_async(
        lambda: ReadState.objects.filter(user=anna, room=room).update(last_read_id=0)
    )()
    await reader.send({"type": "sync", "after": first.pk})
    await reader.recv_type("synced")
    assert await database_sync_to_async(mark)() == 0

    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await karl.send({"type": "post", "body": "Zwei", "nonce": "2"})
    second = await reader.recv_nonce("2")
    await reader.close()
    await karl.close()
    assert await database_sync_to_async(mark)() == second["id"]
