"""The project's ASGI application plus a bare Channels consumer at /ws/bare/ that only
group-sends what it receives: the floor the board's fan-out is compared with."""

import atexit
import cProfile
import json
import os
from pathlib import Path

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

if os.environ.get("BENCH_MEMORY_LAYER"):
    # board_fanout.py --memory-layer: try another in-memory layer before settings name it.
    from django.conf import settings

    if settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("InMemoryChannelLayer"):
        settings.CHANNEL_LAYERS["default"]["BACKEND"] = os.environ["BENCH_MEMORY_LAYER"]

from config.asgi import application as project_application

GROUP = "bench.bare"


class BareConsumer(AsyncWebsocketConsumer):
    # Like the board's consumers, no hop to the database thread per message (Channels' default
    # dispatch closes old DB connections for every message): the floor is the fan-out itself.
    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is not None:
            await handler(message)

    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            GROUP, {"type": "bare.message", "frame": json.loads(text_data)}
        )

    async def bare_message(self, event):
        await self.send(text_data=json.dumps(event["frame"]))


bare = BareConsumer.as_asgi()


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope["path"] == "/ws/bare/":
        return await bare(scope, receive, send)
    return await project_application(scope, receive, send)


if os.environ.get("BENCH_PROFILE"):
    # board_fanout.py --profile: the event loop's thread, which is where the fan-out runs.
    _profile = cProfile.Profile()
    _profile.enable()
    _out = Path(os.environ["BENCH_PROFILE"])
    _out.mkdir(parents=True, exist_ok=True)
    atexit.register(lambda: _profile.dump_stats(_out / f"daphne-{os.getpid()}.prof"))
