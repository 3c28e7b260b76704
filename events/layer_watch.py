"""Notices that Redis has lost the channel layer's groups; the board's sockets then come back.

A Redis restarted without its data forgets every group membership: the sockets stay open, but
the room's broadcasts reach nobody, and the consumers' heartbeat (events.presence.HEARTBEAT)
would join them again only after up to 20 s. Every daphne process therefore reads one key, the
layer's epoch, every BOARD_LAYER_WATCH_SECONDS from the cache (the same Redis: REDIS_URL). A
missing key means Redis has lost its data: the first process to see it writes a new epoch, and
each process that sees the epoch change asks its board sockets to reconnect (close code 4012),
so each client joins again and syncs what it missed (DESIGN.md's protocol). Off (0) with the
in-memory layer, which no restart can empty while its process lives.
"""

import asyncio
import logging
import uuid

from django.conf import settings
from django.core.cache import cache

from events.publish import reconnect_all

logger = logging.getLogger(__name__)

EPOCH_KEY = "events:layer-epoch"

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


async def watch(*, every: float) -> None:
    seen = None
    while True:
        try:
            epoch = await current_epoch()
        except Exception:  # Redis unreachable: publish's retries and the heartbeat cover it
            logger.warning("layer watch: Redis did not answer")
        else:
            if seen is not None and epoch != seen:
                logger.warning("layer watch: Redis has lost the groups; board sockets reconnect")
                await reconnect_all()
            seen = epoch
        await asyncio.sleep(every)
