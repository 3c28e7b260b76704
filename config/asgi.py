"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket side only accepts connections whose Origin is one of the site's own origins
(core.origins: scheme, host and port), and authenticates them
with the session cookie, as the board's protocol in DESIGN.md says.
"""

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the routing imports models.
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from core.asgi import BoundedASGIHandler  # noqa: E402
from core.origins import allowed_origins  # noqa: E402

django_asgi_app = BoundedASGIHandler(limit=settings.ASGI_CONCURRENT_REQUESTS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402

from events.routing import websocket_urlpatterns  # noqa: E402


class SiteOriginValidator(OriginValidator):
    """Only pages of this site open the board: the Origin's scheme, host and port must be one of
    core.origins.allowed_origins() (channels' AllowedHostsOriginValidator compares the host
    alone, so http://127.0.0.1:9999 passed for a site at http://127.0.0.1:8000). Read from the
    settings at each connection, so a test that changes them is heard."""

    def __init__(self, application):
        super().__init__(application, [])

    def validate_origin(self, parsed_origin):
        self.allowed_origins = allowed_origins()
        return super().validate_origin(parsed_origin)


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# What is loaded by now (Django, Wagtail, the apps, their modules) lives as long as the process.
# Python's full garbage collections went through all of it every few seconds under load, and
# each stopped the event loop for 100–150 ms: every WebSocket frame in flight waited (the board's
# p99 delivery latency with 200 clients, bench/board_fanout.py: 150 -> 48 ms). Collected first,
# so no garbage is kept; frozen, so later collections only look at what came after.
gc.collect()
gc.freeze()
