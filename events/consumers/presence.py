"""Who is online in a room, as one connection takes part in it: its entry in the presence store
(events.presence), and the `presence` frames the room gets when people come and go."""

import asyncio
import contextlib

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.core.cache import cache

from events import presence
from events.publish import board_presence
from events.selectors import users_by_ids

PRESENCE_COALESCE = 1  # seconds


class RoomPresence:
    """One connection's presence in one room. The store is Redis or memory, so its calls run
    in a thread of their own rather than queue behind the ORM's."""

    def __init__(self, *, room_id: int, user_id: int, channel_name: str):
        self.room_id = room_id
        self.user_id = user_id
        self.channel_name = channel_name

    async def join(self) -> None:
        """Add (or refresh, on each heartbeat) this connection's entry."""
        store = presence.backend()
        await sync_to_async(store.join, thread_sensitive=False)(
            self.room_id, self.user_id, self.channel_name
        )

    async def leave(self) -> None:
        store = presence.backend()
        await sync_to_async(store.leave, thread_sensitive=False)(
            self.room_id, self.user_id, self.channel_name
        )

    async def online(self) -> list[dict]:
        """The people online in the room, as the protocol's user objects."""
        ids = await sync_to_async(presence.backend().online, thread_sensitive=False)(self.room_id)
        return await database_sync_to_async(users_by_ids)(ids=ids)

    async def broadcast(self) -> None:
        """Send the room a `presence` frame with who is online now."""
        await board_presence(room_id=self.room_id, online=await self.online())

    async def broadcast_soon(self) -> None:
        """Tell the room who is online about a second after a join or a leave, once for all the
        joins and leaves of that second (across processes, through the shared cache): a hundred
        people opening the room at the start of a course date, or a hundred sockets asked to
        reconnect at once, cause a few presence frames, not a hundred (each of them to every
        socket in the room). The one that sends it clears the mark before it reads who is
        online, so a change after that read sends a frame of its own. The send does not depend
        on this connection staying open."""
        key = f"board:presence-due:{self.room_id}"
        # The mark outlives a process that dies before it sends (then the next change sends).
        first = await sync_to_async(cache.add, thread_sensitive=False)(
            key, 1, PRESENCE_COALESCE * 5
        )
        if not first:
            return

        async def later():
            await asyncio.sleep(PRESENCE_COALESCE)
            with contextlib.suppress(Exception):
                await sync_to_async(cache.delete, thread_sensitive=False)(key)
                await self.broadcast()

        task = asyncio.create_task(later())
        _sending.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(_sending.discard)


_sending: set[asyncio.Task] = set()
