"""A channel layer for the embedded, one-process setup (no REDIS_URL).

Channels' InMemoryChannelLayer sweeps every channel queue and every group membership for expired
entries on each receive and each group_send. Every open socket waits in receive, so each frame
delivered costs a pass over all connections: a broadcast to a room of N costs N² steps, which the
fan-out bench showed as the largest single cost of the process (a quarter of the event loop with
200 clients, about 100 µs CPU per frame). This layer sweeps at most once a second; messages expire
after `expiry` (30 s here) and memberships after a day, so a second's lateness changes nothing.

Its group_send also puts the message into each member's queue directly, where Channels' starts a
task per member and waits for them one by one; and a message whose values are all plain scalars
(every board broadcast: type, id, the encoded frame) is copied shallowly, where Channels
deep-copies each one. Each member still gets a copy of its own, and a full member is skipped.

Selected in config/settings.py: CHANNEL_LAYERS["default"]["BACKEND"] =
"events.layers.InMemoryChannelLayer".
"""

import asyncio
import time
from copy import deepcopy

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

SWEEP_EVERY = 1.0  # seconds
_SCALARS = (str, int, float, bool, bytes, type(None))


def _copy(message: dict) -> dict:
    if all(type(value) in _SCALARS for value in message.values()):
        return dict(message)
    return deepcopy(message)


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    _next_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY
        super()._clean_expired()

    def _put(self, channel: str, message: dict) -> bool:
        """Queue a copy of `message` for `channel`; False if its queue is full."""
        queue = self.channels.get(channel)
        if queue is None:
            queue = self.channels[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        try:
            queue.put_nowait((time.time() + self.expiry, _copy(message)))
        except asyncio.QueueFull:
            return False
        return True

    async def send(self, channel, message):
        if not isinstance(message, dict):
            raise TypeError("message is not a dict")
        self.require_valid_channel_name(channel)
        if "__asgi_channel__" in message:
            raise ValueError("a message may not name __asgi_channel__")
        if not self._put(channel, message):
            raise ChannelFull(channel)

    async def group_send(self, group, message):
        if not isinstance(message, dict):
            raise TypeError("message is not a dict")
        self.require_valid_group_name(group)
        self._clean_expired()
        # As in Channels: a full member misses this message, the others still get it.
        for channel in list(self.groups.get(group, ())):
            self._put(channel, message)
