"""The sockets that only listen: an open forum topic's new posts, and the header's unread count."""

from channels.db import database_sync_to_async

from core.models import User
from events.consumers.base import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_NOT_LOGGED_IN,
    LiveConsumer,
)
from events.publish import topic_group, user_group


class TopicConsumer(LiveConsumer):
    """`/ws/topic/<id>/`: tells an open forum topic page that new posts have arrived. The page
    shows a notice with a button; it never jumps."""

    async def connect(self):
        self.group = None
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        topic_id = self.scope["url_route"]["kwargs"]["topic_id"]
        state = await database_sync_to_async(_topic_access)(user_id=user.pk, topic_id=topic_id)
        if state == "missing":
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if state != "ok":
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id, self.topic_id = user.pk, topic_id
        self.group = topic_group(topic_id=topic_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "hello", "topic": topic_id})

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing to say from the client; frames are ignored."""

    async def topic_post(self, event):
        # Asked again for every post (posts are rare, readers few): an ended membership, a
        # changed category or a moved topic stops the notices at once.
        state = await database_sync_to_async(_topic_access)(
            user_id=self.user_id, topic_id=self.topic_id
        )
        if state != "ok":
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send_json(dict(event.items()))


def _topic_access(*, user_id: int, topic_id: int) -> str:
    """ "ok", "forbidden" or "missing", as network's forum selectors decide."""
    from network.forums.selectors.permissions import user_may_read_topic
    from network.forums.selectors.topics import topic_by_id

    topic = topic_by_id(topic_id=topic_id)
    if topic is None:
        return "missing"
    user = User.objects.get(pk=user_id)
    return "ok" if user_may_read_topic(user=user, topic=topic) else "forbidden"


class NotificationConsumer(LiveConsumer):
    """`/ws/notifications/`: the header badge's unread count, live (group `user.<id>`)."""

    async def connect(self):
        self.group = None
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        self.group = user_group(user_id=user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing to say from the client; frames are ignored."""

    async def notification_new(self, event):
        await self.send_json({"type": "notification.new", "unread": event.get("unread")})
