"""The WebSocket consumers (events.routing): thin adapters that read a frame, authorise, call a
service and send. The board's are split by concern: `protocol` reads and checks the client's
frames, `handlers` answers each kind, `presence` keeps who is online, `board` is the socket."""

from events.consumers.base import LiveConsumer
from events.consumers.board import BoardConsumer
from events.consumers.live import NotificationConsumer, TopicConsumer

__all__ = ["BoardConsumer", "LiveConsumer", "NotificationConsumer", "TopicConsumer"]
