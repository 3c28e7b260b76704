"""The WebSocket side of the ASGI application (config/asgi.py): the board, topic and notification
sockets through Channels.

Only connections whose Origin is one of the site's own origins (core.origins: scheme, host and
port) are accepted, and they are authenticated with the session cookie, as the board's protocol
in DESIGN.md says.
"""

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import OriginValidator

from core.origins import allowed_origins
from events.routing import websocket_routes


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


def protocol_router(*, http) -> ProtocolTypeRouter:
    """HTTP to `http` (Django's handler), WebSockets to the consumers of events.routing (with
    the benchmarks' bare consumer where BENCH_BARE_VIEW=1 is set when this is called)."""
    return ProtocolTypeRouter(
        {
            "http": http,
            "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_routes()))),
        }
    )
