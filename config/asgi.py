"""ASGI entry point: HTTP through Django, WebSockets through Channels (events.asgi)."""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the routing imports models.
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from core.asgi import BoundedASGIHandler  # noqa: E402

django_asgi_app = BoundedASGIHandler(limit=settings.ASGI_CONCURRENT_REQUESTS)

# Channels is events' business (the WebSocket side, its Origin check and authentication).
from events.asgi import protocol_router  # noqa: E402

application = protocol_router(http=django_asgi_app)

# What is loaded by now (Django, Wagtail, the apps, their modules) lives as long as the process.
# Python's full garbage collections went through all of it every few seconds under load, and
# each stopped the event loop for 100–150 ms: every WebSocket frame in flight waited (the board's
# p99 delivery latency with 200 clients, bench/board_fanout.py: 150 -> 48 ms). Collected first,
# so no garbage is kept; frozen, so later collections only look at what came after.
gc.collect()
gc.freeze()
