"""ASGI entry point: HTTP through Django, WebSockets through Channels.

The WebSocket side only accepts connections whose Origin is one of the site's own origins
(core.origins: scheme, host and port), and authenticates them
with the session cookie, as the board's protocol in DESIGN.md says.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the routing imports models.
django.setup(set_prefix=False)

from django.core.asgi import get_asgi_application  # noqa: E402

from core.origins import allowed_origins  # noqa: E402
from core.startup import freeze_startup_objects  # noqa: E402

django_asgi_app = get_asgi_application()

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

freeze_startup_objects()
