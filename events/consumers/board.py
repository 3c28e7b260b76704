"""`/ws/board/<slug>/`: the live board's socket (DESIGN.md, "The live board's WebSocket
protocol"). A thin adapter: it reads a frame (protocol), lets a handler call a service with the
socket's user and room, freshly read (handlers), and relays the room's broadcasts.

Order matters on connect: a consumer joins its group BEFORE it reads anything from the table, so
a message stored in between reaches it (as a live frame, or in the client's `sync`), and
`delivered` drops the overlap so each message reaches a connection once.

One addition to DESIGN.md's table, backward compatible: `synced` also carries `at` (the server's
time when the sync began), and `sync` may carry `since` (an earlier `at`); the server then also
sends `edited` and `deleted` frames for the messages up to `after` that changed since, so a page
that was offline learns of corrections and deletions, not only of new messages.
"""

import asyncio
import logging
import random

from channels.db import database_sync_to_async

from core.models import User
from events import layer_watch, presence
from events.consumers import protocol
from events.consumers.base import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_NOT_LOGGED_IN,
    CLOSE_TOO_BIG,
    LiveConsumer,
)
from events.consumers.handlers import BoardHandlers
from events.consumers.presence import RoomPresence
from events.exceptions import BoardError
from events.models import Room
from events.publish import mark_missed, room_group, socket_closed, socket_opened, user_group
from events.selectors import room_access, room_last_message_id, socket_user_and_room, users_by_ids
from events.services import room_for_slug, room_mark_read

logger = logging.getLogger(__name__)

DELIVERED_KEEP = 5000
RECHECK_EVERY = 6  # heartbeats (2 minutes)


class BoardConsumer(BoardHandlers, LiveConsumer):
    """`/ws/board/<slug>/`: the live board's protocol."""

    async def connect(self):
        self.room_id = None
        self.joined = False
        self.heartbeat = None
        self.delivered: set[int] = set()
        self.max_delivered = 0
        self.hello_last_id: int | None = None  # the room's newest message id at `hello`
        self.read_mark = 0  # the read mark this socket last wrote
        self.recheck_due = False
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
        self.user_id = user.pk
        self.group = room_group(room_id=room.pk)
        self.presence = RoomPresence(
            room_id=room.pk, user_id=user.pk, channel_name=self.channel_name
        )
        # Subscribe first, then read: nothing stored from here on can fall between the two.
        await self._join()
        self.joined = True
        socket_opened(self)
        last_id, last_seq, online = await self._hello_data()
        self.hello_last_id = last_id
        await self.send_json(
            {
                "type": "hello",
                "room": {"slug": room.slug, "title": room.title},
                "user": {"id": user.pk, "name": user.display_name},
                "last_id": last_id,
                "last_seq": last_seq,
                "online": online,
            }
        )
        await self.presence.broadcast_soon()
        self.heartbeat = asyncio.create_task(self._heartbeat())
        layer_watch.start()

    async def disconnect(self, code):
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        socket_closed(self)
        if not self.joined:
            return
        self.joined = False
        try:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            await self.channel_layer.group_discard(
                user_group(user_id=self.user_id), self.channel_name
            )
            await self.presence.leave()
            await self.presence.broadcast_soon()
        except Exception:  # the layer or Redis is gone: entries expire by themselves
            logger.warning("board: cleanup after disconnect failed", exc_info=True)
        await self._mark_read(self.max_delivered)

    # --- frames from the client ------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if protocol.too_big(text_data, bytes_data):
            await self.close(code=CLOSE_TOO_BIG)
            return
        if text_data is not None and not self.joined:
            return
        nonce = None
        try:
            frame = protocol.decode(text_data)
            nonce = protocol.nonce_of(frame)
            await self.handle(protocol.read(frame))
        except BoardError as error:
            await self.send_json(protocol.error_frame(error, nonce))

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

    # --- caught up in place (events.layer_watch) -----------------------------------------------

    def held_up_to(self) -> int | None:
        """The newest message id this socket has (None before its `hello`)."""
        if self.hello_last_id is None:
            return None
        return max(self.hello_last_id, self.max_delivered)

    async def rejoin(self) -> None:
        """Join the room's and the person's groups and the room's presence again (a restarted
        Redis has forgotten them); access is re-read at the next heartbeat."""
        await self._join()
        self.recheck_due = True

    async def catch_up(self, events: list[dict]) -> None:
        """Send what this socket lacks of events it may have missed (events.publish's
        board_catch_up): a message it delivered already, or one before its `hello` (the page or
        its own sync has those), is left out; edits and deletions come again, which the client
        takes as they are."""
        if self.hello_last_id is None or not self.joined:
            return
        for event in events:
            if event["type"] == "board.message" and event["id"] <= self.hello_last_id:
                continue
            await self.dispatch(event)

    # --- helpers -------------------------------------------------------------------------------

    def _frame_for_me(self, event: dict) -> str:
        """The author's connections get the frame with the Markdown `body`, everyone else the
        one without."""
        if event.get("author_id") == self.user_id and "author_frame" in event:
            return event["author_frame"]
        return event["frame"]

    async def _join(self) -> None:
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(user_group(user_id=self.user_id), self.channel_name)
        await self.presence.join()

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
        return (
            room_last_message_id(room=room),
            room.last_seq,
            users_by_ids(ids=presence.backend().online(self.room_id)),
        )

    async def _mark_read(self, message_id: int) -> None:
        """Move the person's read mark to `message_id`, unless this socket has marked that far
        already (an idle client's keepalive sync every 25 s writes nothing)."""
        if message_id <= self.read_mark:
            return
        self.read_mark = message_id
        await database_sync_to_async(room_mark_read)(
            user_id=self.user_id, room_id=self.room_id, message_id=message_id
        )

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
        """Keep this connection's presence entry and group memberships alive, and re-check
        access, so an ended membership closes the socket even if nobody told us. A join that
        fails (Redis away) has this process's sockets caught up once Redis answers
        (events.layer_watch). Dead peers are dropped by the server's WebSocket pings."""
        beat = 0
        # Jittered, so a room that filled at once does not beat in lockstep.
        await asyncio.sleep(presence.HEARTBEAT * random.uniform(0.5, 1.0))  # noqa: S311
        while True:
            beat += 1
            try:
                await self._join()
            except Exception:
                logger.warning("board: heartbeat could not join the groups; caught up later")
                mark_missed()
            # Access is re-read from the database only every few beats: changes arrive at once
            # as `access.changed`; this is the safety net if a service forgot to send it, or if
            # Redis lost it (a catch-up asks for it at the next beat).
            if beat % RECHECK_EVERY == 0 or self.recheck_due:
                self.recheck_due = False
                if not await self._recheck():
                    return
            await asyncio.sleep(presence.HEARTBEAT)
