"""The one way the rest of the platform tells connected browsers about a change.

One function per kind of event: it alone names the event's group and its payload, and the
event's "type" names the consumer handler that receives it (Channels replaces the dot:
"board.message" → `BoardConsumer.board_message`). A service calls the function; no other module
spells a group name or an event dict, so a typo is an AttributeError, not a silently lost event
(tests/events/test_publish_kinds.py checks every kind against the consumers' handlers).

Group names say who may read them; consumers join them through the helpers below:
"board.<room_id>" (room_group), "topic.<topic_id>" (topic_group), "user.<user_id>" (user_group).

Events go out after the surrounding transaction commits, so a rolled-back write is never seen
(zulip's send_event_on_commit). A failing send (Redis restarting) is tried SEND_ATTEMPTS times
with a short backoff; if it still fails, the write stays (the database is the record) and this
process notes that its live sockets may have missed something: once Redis answers again,
events.layer_watch catches each of them up in place (it joins its groups again and gets what it
lacks from the database). Clients of other processes see the gap in the board's
`seq` at the next message, or sync at their next keepalive.

Where the send runs: in daphne, on the process's event loop (async_to_sync from a sync view or
database thread comes back to it, where the sockets live). A process without an event loop of its
own (gunicorn's sync workers) calls `publish_from_own_loop()` once at start-up: its sends then run
on one loop in a thread of their own, which keeps the channel layer's Redis connections between
requests. Without it every publish made async_to_sync start a new loop and a new Redis
connection (10–18 ms of a cancellation's request).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import weakref
from typing import TYPE_CHECKING, Protocol

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from events.selectors import message_payload

if TYPE_CHECKING:
    from core.models import User
    from events.consumers.presence import RoomPresence
    from events.models import Message, Room
    from network.forums.models import Post

logger = logging.getLogger(__name__)

SEND_ATTEMPTS = 4
SEND_BACKOFF = (0.05, 0.2, 0.5)  # seconds before the second, third and fourth attempt
# How long a request waits for its send on the own loop: longer than every attempt with its
# backoff, so a send is never left behind unlogged.
SEND_WAIT = 10.0


class CatchingUp(Protocol):
    """A board socket, as events.layer_watch catches it up."""

    room_id: int
    presence: RoomPresence

    def held_up_to(self) -> int | None:
        """The newest message id the socket has (None before its `hello`)."""

    async def rejoin(self) -> None:
        """Join the socket's groups and the room's presence again."""

    async def catch_up(self, events: list[dict]) -> None:
        """Send what the socket lacks of these events (board_catch_up's)."""


class Listening(Protocol):
    """A socket that only listens (an open forum topic, the notification badge), as
    events.layer_watch catches it up."""

    async def rejoin(self) -> None:
        """Join the socket's group again."""

    async def catch_up(self) -> None:
        """Tell the page what it may have missed, read from the database."""


# The live sockets open in this process (the consumers add and discard themselves), and whether
# one of them may have missed a broadcast since events.layer_watch last caught them up.
_sockets: weakref.WeakSet[CatchingUp] = weakref.WeakSet()
_listeners: weakref.WeakSet[Listening] = weakref.WeakSet()
_missed = False


def socket_opened(socket: CatchingUp) -> None:
    _sockets.add(socket)


def socket_closed(socket: CatchingUp) -> None:
    _sockets.discard(socket)


def open_sockets() -> list[CatchingUp]:
    return list(_sockets)


def listener_opened(listener: Listening) -> None:
    _listeners.add(listener)


def listener_closed(listener: Listening) -> None:
    _listeners.discard(listener)


def open_listeners() -> list[Listening]:
    return list(_listeners)


def mark_missed() -> None:
    """This process's live sockets may have missed a broadcast, or their groups (a send or a
    heartbeat's join failed): events.layer_watch catches them up once Redis answers."""
    global _missed
    _missed = True


def take_missed() -> bool:
    """Whether mark_missed() was called since the last time this was asked."""
    global _missed
    missed, _missed = _missed, False
    return missed


# --- groups -------------------------------------------------------------------------------------


def room_group(*, room_id: int) -> str:
    """A room's connections: only those `room_access` lets read."""
    return f"board.{room_id}"


def topic_group(*, topic_id: int) -> str:
    """The open pages of a forum topic: only those its category lets read."""
    return f"topic.{topic_id}"


def user_group(*, user_id: int) -> str:
    """Every live connection of one person (board and notification sockets); each consumer
    handles the kinds meant for it and ignores the others."""
    return f"user.{user_id}"


# --- kinds of event -------------------------------------------------------------------------------


def access_changed(*, user_id: int) -> None:
    """The person's rights may have changed (a membership ended, a registration was cancelled, a
    mute, a meeting room's members): each of their board sockets re-checks its room and closes
    with 4403 where they may no longer read."""
    _publish(group=user_group(user_id=user_id), event={"type": "access.changed"})


def notification_count(*, user_id: int, unread: int) -> None:
    """The person's unread notification count, for the header badge (`notification.new`)."""
    _publish(
        group=user_group(user_id=user_id), event={"type": "notification.new", "unread": unread}
    )


def topic_posted(*, post: Post) -> None:
    """A new post in a topic: its open pages show a notice (`topic.post`)."""
    _publish(
        group=topic_group(topic_id=post.topic_id),
        event={"type": "topic.post", "post_id": post.pk, "topic_id": post.topic_id},
    )


def board_message(*, message: Message) -> None:
    """A new board message: the room's sockets send the `message` frame."""
    _publish(
        group=room_group(room_id=message.room_id),
        event={"type": "board.message", "id": message.pk, **_message_frames("message", message)},
    )


def board_edited(*, message: Message) -> None:
    """An edited board message: the room's sockets send the `edited` frame."""
    _publish(
        group=room_group(room_id=message.room_id),
        event={"type": "board.edited", **_message_frames("edited", message)},
    )


def board_deleted(*, message: Message) -> None:
    """A deleted board message: the room's sockets send `deleted` with its id."""
    _publish(
        group=room_group(room_id=message.room_id),
        event={"type": "board.deleted", "id": message.pk},
    )


def board_typing(*, room: Room, user: User) -> None:
    """Someone is typing in a room: the others' sockets send `typing`."""
    _publish(
        group=room_group(room_id=room.pk),
        event={"type": "board.typing", "user": {"id": user.pk, "name": user.display_name}},
    )


def board_access_changed(*, room: Room) -> None:
    """The room itself changed (archived or reopened): every socket in it re-checks access."""
    _publish(group=room_group(room_id=room.pk), event={"type": "board.access_changed"})


async def board_presence(*, room_id: int, online: list[dict]) -> None:
    """Who is online in a room, sent at once from a consumer (joins and leaves are no database
    writes, so there is no commit to wait for): every socket sends the `presence` frame."""
    frame = encode_frame({"type": "presence", "online": online})
    await get_channel_layer().group_send(
        room_group(room_id=room_id), {"type": "board.presence", "frame": frame}
    )


# --- the plumbing ---------------------------------------------------------------------------------


def _publish(*, group: str, event: dict) -> None:
    """Queue `event` (a dict with a "type" naming the consumer handler) for `group`, sent once
    the transaction commits."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        if _own_loop is None:
            async_to_sync(_send)(layer, group, event)
        else:
            sending = asyncio.run_coroutine_threadsafe(_send(layer, group, event), _own_loop)
            sending.result(timeout=SEND_WAIT)

    transaction.on_commit(send, robust=True)


_own_loop: asyncio.AbstractEventLoop | None = None


def publish_from_own_loop() -> None:
    """Send this process's events on one event loop of its own, run by a daemon thread (see the
    module's docstring). For a process that has no loop of its own: gunicorn's post_worker_init
    calls it, after the fork, since a thread does not survive one."""
    global _own_loop
    if _own_loop is not None:
        return
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, name="publish", daemon=True).start()
    _own_loop = loop


async def _send(layer, group: str, event: dict) -> None:
    """group_send, tried SEND_ATTEMPTS times; when every attempt failed, this process's live
    sockets are caught up later (mark_missed), since some of them have now missed a frame."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            await layer.group_send(group, event)
        except Exception:
            if attempt + 1 < SEND_ATTEMPTS:
                await asyncio.sleep(SEND_BACKOFF[attempt])
                continue
            logger.exception(
                "publish: %s to %s failed %d times; %d live sockets are caught up when Redis "
                "answers",
                event.get("type"),
                group,
                SEND_ATTEMPTS,
                len(_sockets) + len(_listeners),
            )
            mark_missed()
        else:
            if attempt:
                logger.warning(
                    "publish: %s to %s sent at attempt %d", event["type"], group, attempt + 1
                )
            return


def board_catch_up(*, messages: list[Message], edited: list[Message], deleted: list[int]):
    """The events a board socket may have missed, as the room's broadcasts carry them (oldest
    message first, then the edits and deletions of older ones): events.layer_watch hands them to
    each socket of the room, which sends those it lacks."""
    return [
        *({"type": "board.message", "id": m.pk, **_message_frames("message", m)} for m in messages),
        *({"type": "board.edited", **_message_frames("edited", m)} for m in edited),
        *({"type": "board.deleted", "id": message_id} for message_id in deleted),
    ]


def _message_frames(kind: str, message: Message) -> dict:
    """A broadcast's two encodings: `frame` for everyone, `author_frame` (with the Markdown
    `body`) for the author's own connections, named by `author_id`."""
    return {
        "frame": encode_frame({"type": kind, **message_payload(message=message)}),
        "author_id": message.author_id,
        "author_frame": encode_frame(
            {"type": kind, **message_payload(message=message, reader_id=message.author_id)}
        ),
    }


def encode_frame(frame: dict) -> str:
    """A frame as the text a socket sends. A broadcast is encoded once, where it is published,
    and every connection sends that text as it is: a room of 500 does not serialise a message
    500 times, and the channel layer copies a string, not a nested dict, per connection."""
    return json.dumps(frame, ensure_ascii=False)
