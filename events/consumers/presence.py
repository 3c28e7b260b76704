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
        await sync_to_async(store.leave, thread_sensitive=False)(self.room_id, self.channel_name)

    async def online(self) -> list[dict]:
        """The people online in the room, as the protocol's user objects."""
        ids = await sync_to_async(presence.backend().online, thread_sensitive=False)(self.room_id)
        return await database_sync_to_async(users_by_ids)(ids=ids)

    async def broadcast(self) -> None:
        """Send the room a `presence` frame with who is online now."""
        await board_presence(room_id=self.room_id, online=await self.online())

    async def broadcast_soon(self) -> asyncio.Task | None:
        """Tell the room who is online about a second after a join, once for all the joins of
        that second (across processes, through the shared cache): a hundred people opening the
        room at the start of a course date cause a few presence frames each, not a hundred.
        Returns the task that will send it, or None if another join of this second sends it."""
        first = await sync_to_async(cache.add, thread_sensitive=False)(
            f"board:presence-due:{self.room_id}", 1, PRESENCE_COALESCE
        )
        if not first:
            return None

        async def later():
            await asyncio.sleep(PRESENCE_COALESCE)
            with contextlib.suppress(Exception):
                await self.broadcast()

        return asyncio.create_task(later())
