"""Live sockets caught up in place after the channel layer lost their groups (events.layer_watch):
what a board socket missed arrives once, over the socket that stayed open, an open topic page
and the notification badge learn what they missed, and the next broadcast arrives live again.
The groups are dropped through the layer's own group_discard, as a restarted Redis forgets them;
tests/events/test_multiprocess.py restarts a real Redis."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from events import layer_watch, publish
from events.models import Message
from events.services import message_delete, message_edit, message_post
from network.models import MembershipStatus

pytestmark = pytest.mark.django_db(transaction=True)

post_db = database_sync_to_async(message_post)


async def _lose_the_groups() -> None:
    """What a Redis restart does to the layer: every socket is out of its groups."""
    layer = get_channel_layer()
    for socket in publish.open_sockets():
        await layer.group_discard(publish.room_group(room_id=socket.room_id), socket.channel_name)
        await layer.group_discard(publish.user_group(user_id=socket.user_id), socket.channel_name)
    for listener in publish.open_listeners():
        await layer.group_discard(listener.group, listener.channel_name)


async def _messages(client) -> list[dict]:
    return [f for f in await client.drain() if f["type"] == "message"]


async def test_missed_messages_arrive_once_over_the_open_socket(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    room = board_world["network"]
    await anna.send({"type": "post", "body": "Vorher", "nonce": "v"})
    await karl.recv_nonce("v")
    await anna.drain()
    look = layer_watch.Look()  # the watch's last good look

    await _lose_the_groups()
    missed, _ = await post_db(room=room, author=board_world["anna"], body="Verpasst", nonce="m")
    assert await karl.nothing(timeout=0.3)  # the broadcast reached nobody

    await layer_watch.catch_up_all(look)
    [to_karl] = await _messages(karl)
    [to_anna] = await _messages(anna)
    assert (to_karl["id"], to_karl["body_html"]) == (missed.pk, "<p>Verpasst</p>")
    assert "body" not in to_karl
    assert to_anna["body"] == "Verpasst"  # the author's frame, with the Markdown

    # The groups are joined again: the next message arrives live, once.
    await karl.send({"type": "post", "body": "Danach", "nonce": "d"})
    assert (await anna.recv_nonce("d"))["body_html"] == "<p>Danach</p>"
    # A second catch-up finds nothing these sockets lack.
    await layer_watch.catch_up_all(look)
    assert await _messages(anna) == []
    assert [f["nonce"] for f in await _messages(karl)] == ["d"]  # its own post, nothing more
    await anna.close()
    await karl.close()


async def test_edits_and_deletions_missed_meanwhile_arrive(board_world, connect):
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    room = board_world["network"]
    await anna.send({"type": "post", "body": "Erste Fassung", "nonce": "e"})
    edited = await karl.recv_nonce("e")
    await anna.send({"type": "post", "body": "Gleich weg", "nonce": "g"})
    gone = await karl.recv_nonce("g")
    await anna.drain()
    look = layer_watch.Look()

    await _lose_the_groups()
    await database_sync_to_async(message_edit)(
        room=room, user=board_world["anna"], message_id=edited["id"], body="Zweite Fassung"
    )
    await database_sync_to_async(message_delete)(
        room=room, user=board_world["anna"], message_id=gone["id"]
    )
    assert await karl.nothing(timeout=0.3)

    await layer_watch.catch_up_all(look)
    frames = [f for f in await karl.drain() if f["type"] != "presence"]
    assert [(f["type"], f["id"]) for f in frames] == [
        ("edited", edited["id"]),
        ("deleted", gone["id"]),
    ]
    assert frames[0]["body_html"] == "<p>Zweite Fassung</p>"
    await anna.close()
    await karl.close()


async def test_a_message_from_before_the_socket_opened_is_not_sent_again(board_world, connect):
    """The page and its own sync have what came before the socket's hello."""
    room = board_world["network"]
    await post_db(room=room, author=board_world["karl"], body="Alt", nonce="a")
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()
    await _lose_the_groups()
    await layer_watch.catch_up_all(layer_watch.Look())
    assert await _messages(anna) == []
    assert await database_sync_to_async(Message.objects.count)() == 1
    await anna.close()


async def test_access_lost_meanwhile_closes_the_socket_at_the_next_heartbeat(
    board_world, connect, monkeypatch
):
    """The `access.changed` a Redis restart swallowed: after a catch-up, the next heartbeat
    re-reads access, not only every RECHECK_EVERY beats."""
    monkeypatch.setattr("events.presence.HEARTBEAT", 0.2)
    monkeypatch.setattr("events.consumers.board.RECHECK_EVERY", 10_000)
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    await anna.drain()
    await _lose_the_groups()
    await database_sync_to_async(
        lambda: board_world["anna"].memberships.update(status=MembershipStatus.ENDED)
    )()
    await asyncio.sleep(0.5)
    assert await anna.ws.receive_nothing(timeout=0.1)  # no recheck due yet: still open
    await layer_watch.catch_up_all(layer_watch.Look())
    output = await anna.ws.receive_output(timeout=2)
    while output["type"] == "websocket.send":  # presence
        output = await anna.ws.receive_output(timeout=2)
    assert output == {"type": "websocket.close", "code": 4403}
    await anna.close()


async def test_a_broadcast_that_failed_marks_the_process_for_a_catch_up(board_world, monkeypatch):
    """Every attempt of a send failed: the write stays, and the watch catches the sockets up."""

    class Refusing:
        async def group_send(self, group, event):
            raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(publish, "SEND_BACKOFF", (0, 0, 0))
    publish.take_missed()
    await publish._send(Refusing(), "board.1", {"type": "board.message"})
    assert publish.take_missed() is True
    assert publish.take_missed() is False


async def test_an_open_topic_page_learns_of_the_posts_it_missed(transactional_db):
    from network.forums.services.posts import post_create
    from tests.events.test_live_updates import _socket
    from tests.factories import forum_topic, member

    topic = await database_sync_to_async(forum_topic)()
    reader = await database_sync_to_async(member)()
    page = await _socket(reader, f"/ws/topic/{topic.pk}/")
    assert json.loads(await page.receive_from())["type"] == "hello"
    create = database_sync_to_async(post_create)
    told = await create(topic=topic, author=reader, body="Live angekündigt")
    assert json.loads(await page.receive_from())["post_id"] == told.pk

    await _lose_the_groups()
    missed = [await create(topic=topic, author=reader, body=f"Verpasst {i}") for i in range(2)]
    assert await page.receive_nothing(0.3)
    await layer_watch.catch_up_all(layer_watch.Look())
    frames = [json.loads(await page.receive_from()) for _ in missed]
    assert [f["post_id"] for f in frames] == [p.pk for p in missed]  # one notice each, once
    assert await page.receive_nothing(0.3)

    after = await create(topic=topic, author=reader, body="Wieder live")
    assert json.loads(await page.receive_from())["post_id"] == after.pk
    await page.disconnect()


async def test_the_notification_badge_gets_the_count_it_missed(transactional_db):
    from network.forums.models import Notification, NotificationKind
    from tests.events.test_live_updates import _socket
    from tests.factories import member

    user = await database_sync_to_async(member)()
    badge = await _socket(user, "/ws/notifications/")
    await _lose_the_groups()
    create = database_sync_to_async(Notification.objects.create)
    await create(user=user, kind=NotificationKind.REPLY)
    await database_sync_to_async(publish.notification_count)(user_id=user.pk, unread=1)  # lost
    assert await badge.receive_nothing(0.3)
    await layer_watch.catch_up_all(layer_watch.Look())
    assert json.loads(await badge.receive_from()) == {"type": "notification.new", "unread": 1}
    await database_sync_to_async(publish.notification_count)(user_id=user.pk, unread=0)
    assert json.loads(await badge.receive_from()) == {"type": "notification.new", "unread": 0}
    await badge.disconnect()
