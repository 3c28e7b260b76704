"""`/ws/bench/bare/`: the benchmarks' bare Channels consumer (bench/board_fanout.py), routed only
when BENCH_BARE_VIEW=1 (events.routing), like the bare HTTP view /bench/bare. It joins one group
and group-sends every frame it receives, as it came: no database, no authorisation, no rule. The
board's fan-out on the same topology (nginx, the daphne processes, Redis) is compared with it."""

import json

from events.consumers.base import LiveConsumer

GROUP = "bench.bare"


class BenchBareConsumer(LiveConsumer):
    async def connect(self):
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(
            GROUP, {"type": "bench.frame", "frame": json.loads(text_data or "null")}
        )

    async def bench_frame(self, event):
        await self.send(text_data=json.dumps(event["frame"]))
