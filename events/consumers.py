"""WebSocket consumers: thin adapters that parse a frame, authorise, call a service, send.

The board's protocol is DESIGN.md's public contract. Order matters on connect: a consumer joins
its group BEFORE it reads anything from the table, so a message stored in between reaches it
(as a live frame, or in the client's `sync`), and `delivered` drops the overlap so each message
reaches a connection once.

One addition to DESIGN.md's table, backward compatible: `synced` also carries `at` (the server's
time when the sync began), and `sync` may carry `since` (an earlier `at`); the server then also
sends `edited` and `deleted` frames for the messages up to `after` that changed since, so a page
that was offline learns of corrections and deletions, not only of new messages.
"""

import asyncio
import contextlib
import json
import logging
import random
from datetime import datetime

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from core.models import User
from events import presence
from events.exceptions import BoardError, InvalidFrame
from events.models import Room
from events.publish import board_presence, encode_frame, room_group, topic_group, user_group
from events.selectors import (
    HISTORY_MAX,
    SYNC_BATCH,
    message_payload,
    messages_after,
    messages_before,
    messages_changed,
    room_access,
    room_last_message_id,
    socket_user_and_room,
    users_by_ids,
)
from events.services import (
    message_delete,
    message_edit,
    message_post,
    room_for_slug,
    room_mark_read,
    typing_announce,
)

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 64 * 1024
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_BIG = 1009
CLOSE_TRY_AGAIN = 1012  # "service restart": the client reconnects and syncs
DELIVERED_KEEP = 5000
PRESENCE_COALESCE = 1  # seconds
RECHECK_EVERY = 6  # heartbeats (2 minutes)


def _parse_time(value) -> datetime | None:
    """An ISO 8601 time with its offset (as `synced` gives it), or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None or timezone.is_naive(parsed):
        return None
    return parsed


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class LiveConsumer(AsyncWebsocketConsumer):
    """Shared by the live sockets: JSON out, and group events of other sockets ignored (the
    `user.<id>` group carries events for board and notification sockets alike)."""

    async def dispatch(self, message):
        # Channels' own dispatch hops to the database thread (close_old_connections) for every
        # message; a room's fan-out would then queue each frame of each client behind the ORM
        # work of all of them. Every handler here that touches the database goes through
        # database_sync_to_async, which closes old connections itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is not None:
            await handler(message)

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=encode_frame(content))

    def _user(self):
        user = self.scope.get("user")
        return user if user is not None and user.is_authenticated else None


class BoardConsumer(LiveConsumer):
    """`/ws/board/<slug>/`: the live board's protocol."""

    async def connect(self):
        self.room_id = None
        self.joined = False
        self.heartbeat = None
        self.presence_task = None
        self.delivered: set[int] = set()
        self.max_delivered = 0
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        room, access = await self._open(self.scope["url_route"]["kwargs"]["slug"], user.pk)
        if room is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if not access.read:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.room_id = room.pk
        self.room_slug = room.slug
        self.room_title = room.title
        self.user_id = user.pk
        self.user_name = user.display_name
        self.group = room_group(room_id=room.pk)
        # Subscribe first, then read: nothing stored from here on can fall between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(user_group(user_id=user.pk), self.channel_name)
        self.joined = True
        await self._presence("join")
        last_id, online = await self._hello_data()
        await self.send_json(
            {
                "type": "hello",
                "room": {"slug": room.slug, "title": room.title},
                "user": {"id": user.pk, "name": user.display_name},
                "last_id": last_id,
                "online": online,
            }
        )
        self.presence_task = await self._coalesced_presence()
        self.heartbeat = asyncio.create_task(self._heartbeat())

    async def disconnect(self, code):
        for task in (self.heartbeat, self.presence_task):
            if task is not None:
                task.cancel()
        if not self.joined:
            return
        self.joined = False
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_discard(
                user_group(user_id=self.user_id), self.channel_name
            )
            await self._presence("leave")
            await self._broadcast_presence(await self._online())
        except Exception:  # the layer or Redis is gone: entries expire by themselves
            logger.warning("board: cleanup after disconnect failed", exc_info=True)
        if self.max_delivered:
            await self._mark_read(self.max_delivered)

    # --- frames from the client ------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None:
            if bytes_data is not None and len(bytes_data) > MAX_FRAME_BYTES:
                await self.close(code=CLOSE_TOO_BIG)
                return
            await self._error(InvalidFrame(_("Only text frames with JSON are understood.")))
            return
        if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_BIG)
            return
        if not self.joined:
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self._error(InvalidFrame(_("The frame is not valid JSON.")))
            return
        if not isinstance(frame, dict):
            await self._error(InvalidFrame(_("A frame must be a JSON object with a type.")))
            return
        nonce = frame.get("nonce")
        nonce = nonce if isinstance(nonce, str) and len(nonce) <= 64 else None
        handler = (
            self.HANDLERS.get(frame.get("type")) if isinstance(frame.get("type"), str) else None
        )
        if handler is None:
            await self._error(InvalidFrame(_("Unknown frame type.")), nonce)
            return
        try:
            await handler(self, frame)
        except BoardError as error:
            await self._error(error, nonce)

    async def handle_post(self, frame):
        body, nonce = frame.get("body"), frame.get("nonce")
        if not isinstance(body, str) or not isinstance(nonce, str):
            raise InvalidFrame(_("A post needs a text body and a nonce."))
        payload = await self._run(
            lambda user, room: message_payload(
                message=message_post(room=room, author=user, body=body, nonce=nonce)[0],
                reader_id=user.pk,
            )
        )
        # The sender's own copy goes straight back; the broadcast copy is dropped as a duplicate.
        self._remember(payload["id"])
        await self.send_json({"type": "message", **payload})

    async def handle_sync(self, frame):
        after = frame.get("after")
        if not _is_id(after):
            raise InvalidFrame(_("sync needs a message id in after (0 for the start)."))
        since = frame.get("since")
        if since is not None:
            since = _parse_time(since)
            if since is None:
                raise InvalidFrame(_("since must be the time of an earlier synced frame."))
        # Taken before reading: a change after this moment comes again next time, never not.
        at = timezone.now()
        last_id = after
        while True:
            batch = await self._run(
                lambda user, room, after=last_id: [
                    message_payload(message=m, reader_id=user.pk)
                    for m in messages_after(room=room, after=after)
                ]
            )
            # Every one, also those this socket sent before: a client that asks has lost them
            # (DESIGN.md). Remembered, so a broadcast still on its way is not sent again.
            for payload in batch:
                self._remember(payload["id"])
                await self.send_json({"type": "message", **payload})
            if batch:
                last_id = batch[-1]["id"]
            if len(batch) < SYNC_BATCH:
                break
        if since is not None:

            def read_changes(user, room):
                edited, deleted = messages_changed(room=room, up_to=after, since=since)
                return [message_payload(message=m, reader_id=user.pk) for m in edited], deleted

            edited, deleted = await self._run(read_changes)
            for payload in edited:
                await self.send_json({"type": "edited", **payload})
            for message_id in deleted:
                await self.send_json({"type": "deleted", "id": message_id})
        await self.send_json({"type": "synced", "last_id": last_id, "at": at.isoformat()})
        await self._mark_read(last_id)

    async def handle_history(self, frame):
        before = frame.get("before")
        limit = frame.get("limit", 50)
        if before is not None and not _is_id(before):
            raise InvalidFrame(_("history needs a message id in before."))
        if not _is_id(limit) or not 1 <= limit <= HISTORY_MAX:
            raise InvalidFrame(_("history takes a limit between 1 and 100."))

        def read(user, room):
            rows, has_more = messages_before(room=room, before=before or None, limit=limit)
            return [message_payload(message=m, reader_id=user.pk) for m in rows], has_more

        messages, has_more = await self._run(read)
        await self.send_json({"type": "history", "messages": messages, "has_more": has_more})

    async def handle_edit(self, frame):
        message_id, body = frame.get("id"), frame.get("body")
        if not _is_id(message_id) or not isinstance(body, str):
            raise InvalidFrame(_("edit needs a message id and a text body."))
        await self._run(
            lambda user, room: message_edit(room=room, user=user, message_id=message_id, body=body)
        )

    async def handle_delete(self, frame):
        message_id = frame.get("id")
        if not _is_id(message_id):
            raise InvalidFrame(_("delete needs a message id."))
        await self._run(
            lambda user, room: message_delete(room=room, user=user, message_id=message_id)
        )

    async def handle_typing(self, frame):
        await self._run(lambda user, room: typing_announce(room=room, user=user))

    HANDLERS = {
        "post": handle_post,
        "sync": handle_sync,
        "history": handle_history,
        "edit": handle_edit,
        "delete": handle_delete,
        "typing": handle_typing,
    }

    # --- events from the group ---------------------------------------------------------------

    # Broadcasts carry their frame already encoded (events.publish.encode_frame): sent as is.

    async def board_message(self, event):
        if event["id"] in self.delivered:
            return
        self._remember(event["id"])
        await self.send(text_data=self._frame_for_me(event))

    async def board_edited(self, event):
        await self.send(text_data=self._frame_for_me(event))

    async def board_deleted(self, event):
        await self.send_json({"type": "deleted", "id": event["id"]})

    async def board_typing(self, event):
        if event["user"]["id"] != self.user_id:
            await self.send_json({"type": "typing", "user": event["user"]})

    async def board_presence(self, event):
        await self.send(text_data=event["frame"])

    async def access_changed(self, event):
        await self._recheck()

    async def board_access_changed(self, event):
        await self._recheck()

    # --- helpers -------------------------------------------------------------------------------

    async def _error(self, error: BoardError, nonce: str | None = None) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            frame = {"type": "error", "code": error.code, "detail": str(error.message)}
        if nonce is not None:
            frame["nonce"] = nonce
        await self.send_json(frame)

    def _frame_for_me(self, event: dict) -> str:
        """The author's connections get the frame with the Markdown `body`, everyone else the
        one without."""
        if event.get("author_id") == self.user_id and "author_frame" in event:
            return event["author_frame"]
        return event["frame"]

    def _remember(self, message_id: int) -> None:
        self.delivered.add(message_id)
        self.max_delivered = max(self.max_delivered, message_id)
        if len(self.delivered) > DELIVERED_KEEP:
            self.delivered = set(sorted(self.delivered)[DELIVERED_KEEP // 2 :])

    @database_sync_to_async
    def _run(self, action):
        """Run `action(user, room)` with both freshly read, so a changed membership, mute or
        archive applies to the very next frame."""
        user, room = socket_user_and_room(user_id=self.user_id, room_id=self.room_id)
        return action(user, room)

    @database_sync_to_async
    def _open(self, slug: str, user_id: int):
        room = room_for_slug(slug=slug)
        if room is None:
            return None, None
        user = User.objects.get(pk=user_id)
        return room, room_access(user=user, room=room)

    @database_sync_to_async
    def _hello_data(self):
        room = Room.objects.get(pk=self.room_id)
        return room_last_message_id(room=room), users_by_ids(
            ids=presence.backend().online(self.room_id)
        )

    @database_sync_to_async
    def _mark_read(self, message_id: int) -> None:
        room_mark_read(
            user=User.objects.get(pk=self.user_id),
            room=Room.objects.get(pk=self.room_id),
            message_id=message_id,
        )

    async def _online(self) -> list[dict]:
        ids = await sync_to_async(presence.backend().online, thread_sensitive=False)(self.room_id)
        return await database_sync_to_async(users_by_ids)(ids=ids)

    async def _presence(self, what: str) -> None:
        store = presence.backend()
        if what == "join":
            call = sync_to_async(store.join, thread_sensitive=False)
            await call(self.room_id, self.user_id, self.channel_name)
        else:
            await sync_to_async(store.leave, thread_sensitive=False)(
                self.room_id, self.channel_name
            )

    async def _coalesced_presence(self):
        """Tell the room who is online about a second after a join, once for all the joins of
        that second (across processes, through the shared cache): a hundred people opening the
        room at the start of a course date cause a few presence frames each, not a hundred."""
        first = await sync_to_async(cache.add, thread_sensitive=False)(
            f"board:presence-due:{self.room_id}", 1, PRESENCE_COALESCE
        )
        if not first:
            return None

        async def later():
            await asyncio.sleep(PRESENCE_COALESCE)
            with contextlib.suppress(Exception):
                await self._broadcast_presence(await self._online())

        return asyncio.create_task(later())

    async def _broadcast_presence(self, online: list[dict]) -> None:
        await board_presence(room_id=self.room_id, online=online)

    async def _recheck(self) -> bool:
        def check(user, room):
            return room_access(user=user, room=room).read

        try:
            allowed = await self._run(check)
        except (User.DoesNotExist, Room.DoesNotExist):
            allowed = False
        if not allowed:
            await self.close(code=CLOSE_FORBIDDEN)
        return allowed

    async def _heartbeat(self):
        """Keep this connection's presence entry and group memberships alive (a restarted Redis
        has forgotten both), and re-check access, so an ended membership closes the socket even
        if nobody told us. Dead peers are dropped by the server's WebSocket pings."""
        beat = 0
        # Jittered, so a room that filled at once does not beat in lockstep.
        await asyncio.sleep(presence.HEARTBEAT * random.uniform(0.5, 1.0))  # noqa: S311
        while True:
            beat += 1
            try:
                await self.channel_layer.group_add(self.group, self.channel_name)
                await self.channel_layer.group_add(
                    user_group(user_id=self.user_id), self.channel_name
                )
                await self._presence("join")
            except Exception:
                logger.warning("board: heartbeat failed, asking the client to reconnect")
                await self.close(code=CLOSE_TRY_AGAIN)
                return
            # Access is re-read from the database only every few beats: changes arrive at once
            # as `access.changed`; this is the safety net if a service forgot to send it.
            if beat % RECHECK_EVERY == 0 and not await self._recheck():
                return
            await asyncio.sleep(presence.HEARTBEAT)


class TopicConsumer(LiveConsumer):
    """`/ws/topic/<id>/`: tells an open forum topic page that new posts have arrived. The page
    shows a notice with a button; it never jumps."""

    async def connect(self):
        self.group = None
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        topic_id = self.scope["url_route"]["kwargs"]["topic_id"]
        state = await database_sync_to_async(_topic_access)(user_id=user.pk, topic_id=topic_id)
        if state == "missing":
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if state != "ok":
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id, self.topic_id = user.pk, topic_id
        self.group = topic_group(topic_id=topic_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "hello", "topic": topic_id})

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing to say from the client; frames are ignored."""

    async def topic_post(self, event):
        # Asked again for every post (posts are rare, readers few): an ended membership, a
        # changed category or a moved topic stops the notices at once.
        state = await database_sync_to_async(_topic_access)(
            user_id=self.user_id, topic_id=self.topic_id
        )
        if state != "ok":
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json(dict(event.items()))


def _topic_access(*, user_id: int, topic_id: int) -> str:
    """ "ok", "forbidden" or "missing", as network's forum selectors decide."""
    from network.forums.selectors.permissions import user_may_read_topic
    from network.forums.selectors.topics import topic_by_id

    topic = topic_by_id(topic_id=topic_id)
    if topic is None:
        return "missing"
    user = User.objects.get(pk=user_id)
    return "ok" if user_may_read_topic(user=user, topic=topic) else "forbidden"


class NotificationConsumer(LiveConsumer):
    """`/ws/notifications/`: the header badge's unread count, live (group `user.<id>`)."""

    async def connect(self):
        self.group = None
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        self.group = user_group(user_id=user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing to say from the client; frames are ignored."""

    async def notification_new(self, event):
        await self.send_json({"type": "notification.new", "unread": event.get("unread")})
