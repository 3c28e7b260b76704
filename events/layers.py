"""A channel layer for the embedded, one-process setup (no REDIS_URL).

Channels' InMemoryChannelLayer sweeps every channel queue and every group membership for expired
entries on each receive and each group_send. Every open socket waits in receive, so each frame
delivered costs a pass over all connections: a broadcast to a room of N costs N² steps, which the
fan-out bench showed as the largest single cost of the process (a quarter of the event loop with
200 clients, about 100 µs CPU per frame). This layer sweeps at most once a second; messages expire
after `expiry` (30 s here) and memberships after a day, so a second's lateness changes nothing.

Selected in config/settings.py: CHANNEL_LAYERS["default"]["BACKEND"] =
"events.layers.InMemoryChannelLayer".
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

SWEEP_EVERY = 1.0  # seconds


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    _next_sweep = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY
        super()._clean_expired()
