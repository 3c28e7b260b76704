"""What the live sockets share: their close codes, JSON frames out, and no database hop per
message."""

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

from events.publish import encode_frame

CLOSE_NOT_LOGGED_IN = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# Daphne (autobahn) sends only 1000 and 3000–4999; it refuses 1009 ("invalid close code") and
# then closes nothing. This mirrors it in the application's range.
CLOSE_TOO_BIG = 4009  # like 1009 "message too big"


class LiveConsumer(AsyncWebsocketConsumer):
    """Shared by the live sockets: JSON out, and group events of other sockets ignored (the
    `user.<id>` group carries events for board and notification sockets alike)."""

    async def dispatch(self, message):
        # Channels' own dispatch hops to the database thread (close_old_connections) for every
        # message; a room's fan-out would then queue each frame of each client behind the ORM
        # work of all of them. Every handler here that touches the database goes through
        # database_sync_to_async, which closes old connections itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is not None:
            await handler(message)

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=encode_frame(content))

    def _user(self):
        user = self.scope.get("user")
        return user if user is not None and user.is_authenticated else None
