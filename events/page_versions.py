"""The version of what a board room's page shows for everybody besides its messages (the room
itself: title, archived; who is muted): kept member pages (core.middleware
.MemberPageCacheMiddleware) hold it in their key, so an archiving shows on the next view, not a
few seconds later. The messages need none: the page syncs them over its socket."""

import time

from django.core.cache import cache
from django.db import transaction

ROOMS_VERSION_KEY = "events:rooms-version"


def rooms_changed(**_signal_kwargs) -> None:
    """Receiver of Room's and ModerationLogEntry's post_save and post_delete (events.apps). After
    the commit: a page rendered before it must not be kept under the new version."""
    transaction.on_commit(lambda: cache.set(ROOMS_VERSION_KEY, time.time_ns(), timeout=None))
