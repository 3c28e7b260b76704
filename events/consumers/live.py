"""The sockets that only listen: an open forum topic's new posts, and the header's unread count."""

from channels.db import database_sync_to_async

from core.models import User
from events import layer_watch
from events.consumers.base import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_NOT_LOGGED_IN,
    LiveConsumer,
)
from events.publish import listener_closed, listener_opened, topic_group, user_group


class ListeningConsumer(LiveConsumer):
    """A socket that only listens to one group (`self.group`, None until it may), and that
    events.layer_watch joins to it again and catches up (`catch_up`) after Redis lost it."""

    group: str | None = None

    async def _listen(self, group: str) -> None:
        self.group = group
        await self.channel_layer.group_add(group, self.channel_name)
        listener_opened(self)
        layer_watch.start()

    async def disconnect(self, code):
        listener_closed(self)
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        """Nothing to say from the client; frames are ignored."""

    async def rejoin(self) -> None:
        if self.group:
            await self.channel_layer.group_add(self.group, self.channel_name)


class TopicConsumer(ListeningConsumer):
    """`/ws/topic/<id>/`: tells an open forum topic page that new posts have arrived. The page
    shows a notice with a button; it never jumps."""

    async def connect(self):
        self.told: set[int] = set()  # the posts this page has been told of
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        topic_id = self.scope["url_route"]["kwargs"]["topic_id"]
        state, self.from_number = await database_sync_to_async(_topic_access)(
            user_id=user.pk, topic_id=topic_id
        )
        if state == "missing":
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if state != "ok":
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id, self.topic_id = user.pk, topic_id
        await self._listen(topic_group(topic_id=topic_id))
        await self.send_json({"type": "hello", "topic": topic_id})

    async def topic_post(self, event):
        # Asked again for every post (posts are rare, readers few): an ended membership, a
        # changed category or a moved topic stops the notices at once.
        state, _ = await database_sync_to_async(_topic_access)(
            user_id=self.user_id, topic_id=self.topic_id
        )
        if state != "ok":
            listener_closed(self)
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.told.add(event["post_id"])
        await self.send_json(dict(event.items()))

    async def catch_up(self) -> None:
        """The posts since the page was opened that it has not been told of, one notice each."""
        from network.forums.selectors.posts import topic_post_ids_after

        if not self.group:
            return
        post_ids = await database_sync_to_async(topic_post_ids_after)(
            topic_id=self.topic_id, number=self.from_number
        )
        for post_id in post_ids:
            if post_id not in self.told and self.group:
                await self.topic_post(
                    {"type": "topic.post", "post_id": post_id, "topic_id": self.topic_id}
                )


def _topic_access(*, user_id: int, topic_id: int) -> tuple[str, int]:
    """("ok", "forbidden" or "missing", as network's forum selectors decide; the number of the
    topic's last post)."""
    from network.forums.selectors.permissions import user_may_read_topic
    from network.forums.selectors.topics import topic_by_id

    topic = topic_by_id(topic_id=topic_id)
    if topic is None:
        return "missing", 0
    user = User.objects.get(pk=user_id)
    return ("ok" if user_may_read_topic(user=user, topic=topic) else "forbidden"), topic.last_number


class NotificationConsumer(ListeningConsumer):
    """`/ws/notifications/`: the header badge's unread count, live (group `user.<id>`)."""

    async def connect(self):
        await self.accept()
        user = self._user()
        if user is None:
            await self.close(code=CLOSE_NOT_LOGGED_IN)
            return
        self.user_id = user.pk
        await self._listen(user_group(user_id=user.pk))

    async def notification_new(self, event):
        await self.send_json({"type": "notification.new", "unread": event.get("unread")})

    async def catch_up(self) -> None:
        """The unread count as it is now: a `notification.new` may have been lost."""
        from network.forums.selectors.notifications import notification_unread_count

        if self.group:
            unread = await database_sync_to_async(notification_unread_count)(user_id=self.user_id)
            await self.notification_new({"unread": unread})
