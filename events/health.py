"""The channel layer's part of /healthz (settings.HEALTH_CHECKS): core asks it without
importing Channels."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def channel_layer() -> None:
    """Sends one message to a fresh channel of its own and reads it back; raises when the layer
    does not answer. A probe, not an event: no consumer receives it."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.send)(channel, {"type": "healthz.ping"})
    async_to_sync(layer.receive)(channel)
