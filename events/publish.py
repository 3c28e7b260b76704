"""The one way the rest of the platform tells connected browsers about a change.

publish() sends to a channel-layer group after the surrounding transaction commits, so a
rolled-back write is never seen (zulip's send_event_on_commit). Group names say who may read
them: "board.<room_id>", "topic.<topic_id>", "user.<user_id>".

A failing send (Redis restarting) is logged and does not undo the write: the database is the
record, and clients catch up with `sync` when they reconnect.
"""

import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def publish(*, group: str, event: dict) -> None:
    """Queue `event` (a dict with a "type" naming the consumer handler) for `group`."""

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, event)

    transaction.on_commit(send, robust=True)


def encode_frame(frame: dict) -> str:
    """A frame as the text a socket sends. A broadcast is encoded once, where it is published,
    and every connection sends that text as it is: a room of 500 does not serialise a message
    500 times, and the channel layer copies a string, not a nested dict, per connection."""
    return json.dumps(frame, ensure_ascii=False)
