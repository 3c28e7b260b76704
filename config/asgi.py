"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket side only accepts connections whose Origin is an allowed host, and authenticates them
with the session cookie, as the board's protocol in DESIGN.md says.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the routing imports models.
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from core.asgi import BoundedASGIHandler  # noqa: E402

django_asgi_app = BoundedASGIHandler(limit=settings.ASGI_CONCURRENT_REQUESTS)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from events.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
