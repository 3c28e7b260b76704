"""Catches the live sockets up in place when the channel layer may have lost something.

A Redis restarted without its data forgets every group membership: the sockets stay open, but
the room's broadcasts reach nobody, and the consumers' heartbeat (events.presence.HEARTBEAT)
would join them again only after up to 20 s; the broadcasts sent meanwhile, and those that failed
while Redis was down (events.publish marks them), never arrive. Every daphne process therefore
reads one key, the layer's epoch, every BOARD_LAYER_WATCH_SECONDS from the cache (the same
Redis: REDIS_URL). A missing key means Redis has lost its data: the first process to see it
writes a new epoch. A process that sees the epoch change, or that missed a broadcast, catches its
board sockets up once Redis answers:

1. every socket joins its groups and the room's presence again (first, so nothing broadcast from
   then on can fall between the joins and the read);
2. one read per room: the messages after the newest one each socket of the room had at the watch's
   last good look but one, and the edits and deletions of older ones since then;
3. each socket sends what it lacks of them (a socket remembers what it delivered), then re-checks
   the person's access at its next heartbeat; the room learns who is online once more.

The sockets stay open: no reconnect, no new session, access and hello reads per client, which a
hundred clients coming back at once made wait for seconds in each process's one database thread.
The sockets that only listen (an open forum topic, the notification badge) join their group again
too, and tell their page what it missed: the topic's new posts, the unread count as it is now.
A client that still misses something (a broadcast of another process that failed) sees the gap
in the `seq` and syncs (DESIGN.md's protocol). Off (0) with the in-memory layer, which no restart
can empty while its process lives.
"""

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.cache import cache

from events import publish
from events.models import Room
from events.selectors import SYNC_BATCH, messages_after, messages_changed

logger = logging.getLogger(__name__)

EPOCH_KEY = "events:layer-epoch"
# Edits and deletions are read back from this long before the last good look: a broadcast that
# Redis had taken but the process not yet delivered when Redis went down is caught up too.
CHANGES_MARGIN = timedelta(seconds=5)

_watchers: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}


def start() -> None:
    """Start this process's watch on the running event loop, once (called by each board socket
    on connect)."""
    every = settings.BOARD_LAYER_WATCH_SECONDS
    if not every:
        return
    loop = asyncio.get_running_loop()
    task = _watchers.get(loop)
    if task is None or task.done():
        _watchers[loop] = loop.create_task(watch(every=every))


async def current_epoch() -> str:
    """The layer's epoch; a new one if Redis has none (fresh, or restarted without its data)."""
    epoch = await cache.aget(EPOCH_KEY)
    if epoch is None:
        await cache.aadd(EPOCH_KEY, uuid.uuid4().hex, timeout=None)
        epoch = await cache.aget(EPOCH_KEY)
    return epoch


class Look:
    """What the watch saw at a good look (Redis answered, nothing missed): when, and per room
    the newest message id every socket of the room then had."""

    def __init__(self):
        self.at = datetime.now(UTC)
        self.floors: dict[int, int] = {}
        for socket in publish.open_sockets():
            held = socket.held_up_to()
            if held is not None:
                self.floors[socket.room_id] = min(self.floors.get(socket.room_id, held), held)


async def watch(*, every: float) -> None:
    seen = None
    # The last two good looks: the older one is where a catch-up starts, one look's margin for a
    # broadcast that was on its way at the newer one.
    looks = [Look(), Look()]
    while True:
        try:
            epoch = await current_epoch()
        except Exception:  # Redis unreachable: the sends and heartbeats that fail mark it
            logger.warning("layer watch: Redis did not answer")
        else:
            lost = seen is not None and epoch != seen
            seen = epoch
            if lost:
                logger.warning("layer watch: Redis has lost the groups; board sockets catch up")
            if publish.take_missed() or lost:
                try:
                    await catch_up_all(looks[0])
                except Exception:
                    logger.warning("layer watch: catching up failed; next time", exc_info=True)
                    publish.mark_missed()
            else:
                looks = [looks[1], Look()]
        await asyncio.sleep(every)


async def catch_up_all(look: Look) -> None:
    """Catch every live socket of this process up on what it may have missed since `look`: the
    board's first, then those that only listen (a topic page's notice of new posts, the
    notification badge), which ask the database for what they would have been told."""
    started = time.perf_counter()
    sockets = publish.open_sockets()
    listeners = publish.open_listeners()
    if not sockets and not listeners:
        return
    await asyncio.gather(*(socket.rejoin() for socket in [*sockets, *listeners]))
    rooms: dict[int, list] = {}
    for socket in sockets:
        rooms.setdefault(socket.room_id, []).append(socket)
    for room_id, room_sockets in rooms.items():
        held = [h for h in (s.held_up_to() for s in room_sockets) if h is not None]
        if not held:
            continue
        after = min(look.floors.get(room_id, min(held)), min(held))
        events = await _missed(room_id=room_id, after=after, since=look.at - CHANGES_MARGIN)
        for socket in room_sockets:
            try:
                await socket.catch_up(events)
            except Exception:  # closing already: its client reconnects and syncs
                logger.warning("layer watch: a socket could not be caught up", exc_info=True)
        await room_sockets[0].presence.broadcast_soon()  # who is online, as Redis lost it
    for listener in listeners:
        try:
            await listener.catch_up()
        except Exception:
            logger.warning("layer watch: a listening socket could not be caught up", exc_info=True)
    logger.warning(
        "layer watch: %d board sockets in %d rooms and %d other live sockets caught up in %.2f s",
        len(sockets),
        len(rooms),
        len(listeners),
        time.perf_counter() - started,
    )


@database_sync_to_async
def _missed(*, room_id: int, after: int, since: datetime) -> list[dict]:
    room = Room(pk=room_id)
    edited, deleted = messages_changed(room=room, up_to=after, since=since)
    return publish.board_catch_up(
        messages=messages_after(room=room, after=after, limit=SYNC_BATCH),
        edited=edited,
        deleted=deleted,
    )
