"""Live updates outside the board: a forum topic's new posts, and the notification badge."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from events.publish import access_changed, notification_count, topic_posted
from tests.events.conftest import APP
from tests.factories import UserFactory, forum_topic, member

pytestmark = pytest.mark.django_db(transaction=True)


async def _socket(user, path):
    communicator = WebsocketCommunicator(APP, path)
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def _close_code(communicator) -> int:
    output = await communicator.receive_output(timeout=2)
    assert output["type"] == "websocket.close"
    return output["code"]


@pytest.fixture
def topic_world(transactional_db):
    reader = member()
    return {"topic": forum_topic(), "reader": reader, "outsider": UserFactory()}


async def test_topic_socket_relays_new_posts_to_readers(topic_world):
    topic = topic_world["topic"]
    reader = await _socket(topic_world["reader"], f"/ws/topic/{topic.pk}/")
    assert json.loads(await reader.receive_from()) == {"type": "hello", "topic": topic.pk}
    post = await database_sync_to_async(topic.posts.get)()
    await database_sync_to_async(topic_posted)(post=post)
    assert json.loads(await reader.receive_from()) == {
        "type": "topic.post",
        "post_id": post.pk,
        "topic_id": topic.pk,
    }
    await reader.disconnect()


async def test_topic_post_through_the_forum_service_reaches_the_page(topic_world):
    from network.forums.services.posts import post_create

    topic = topic_world["topic"]
    reader = await _socket(topic_world["reader"], f"/ws/topic/{topic.pk}/")
    await reader.receive_from()
    await database_sync_to_async(post_create)(
        topic=topic, author=topic_world["reader"], body="Neue Antwort"
    )
    frame = json.loads(await reader.receive_from())
    assert frame["type"] == "topic.post" and frame["topic_id"] == topic.pk
    await reader.disconnect()


async def test_topic_socket_refuses_strangers_unknown_topics_and_anonymous(topic_world):
    topic = topic_world["topic"]
    stranger = await _socket(topic_world["outsider"], f"/ws/topic/{topic.pk}/")
    assert await _close_code(stranger) == 4403
    await stranger.disconnect()
    missing = await _socket(topic_world["reader"], "/ws/topic/999999/")
    assert await _close_code(missing) == 4404
    await missing.disconnect()
    anonymous = await _socket(None, f"/ws/topic/{topic.pk}/")
    assert await _close_code(anonymous) == 4401
    await anonymous.disconnect()


async def test_topic_socket_refuses_members_who_may_not_read_the_topic(transactional_db):
    """The same rule as the topic page: a coordinators-only category is closed to other
    members, a deleted topic to everyone but its moderators; they get no topic events."""
    from network.forums.models import ModerationAction
    from network.forums.services.moderation import topic_moderate
    from tests.factories import ForumCategoryFactory, StaffFactory, coordinator

    def world():
        closed = ForumCategoryFactory(visibility="coordinators")
        chair = coordinator()
        staff = StaffFactory()
        deleted = forum_topic(title="Wird gelöscht")
        topic_moderate(
            topic=deleted, by=staff, action=ModerationAction.DELETE_TOPIC, reason="Doppelt"
        )
        return {
            "closed_topic": forum_topic(closed, author=chair),
            "deleted_topic": deleted,
            "fachkraft": member(),
            "chair": chair,
        }

    w = await database_sync_to_async(world)()
    fachkraft = await _socket(w["fachkraft"], f"/ws/topic/{w['closed_topic'].pk}/")
    assert await _close_code(fachkraft) == 4403
    await fachkraft.disconnect()
    gone = await _socket(w["fachkraft"], f"/ws/topic/{w['deleted_topic'].pk}/")
    assert await _close_code(gone) == 4403
    await gone.disconnect()
    # The coordinator may read the closed category: connected, and told of new posts.
    chair = await _socket(w["chair"], f"/ws/topic/{w['closed_topic'].pk}/")
    assert json.loads(await chair.receive_from())["type"] == "hello"
    await chair.disconnect()


async def test_notification_socket_updates_the_badge(transactional_db):
    user = await database_sync_to_async(member)()
    other = await database_sync_to_async(member)()
    mine = await _socket(user, "/ws/notifications/")
    theirs = await _socket(other, "/ws/notifications/")
    await database_sync_to_async(notification_count)(user_id=user.pk, unread=3)
    assert json.loads(await mine.receive_from()) == {"type": "notification.new", "unread": 3}
    assert await theirs.receive_nothing(0.3)
    # a board event for the same person's group is not for this socket
    await database_sync_to_async(access_changed)(user_id=user.pk)
    assert await mine.receive_nothing(0.3)
    await mine.disconnect()
    await theirs.disconnect()


async def test_notification_socket_refuses_anonymous(transactional_db):
    anonymous = await _socket(None, "/ws/notifications/")
    assert await _close_code(anonymous) == 4401
    await anonymous.disconnect()


async def test_topic_socket_stops_when_the_membership_ends(topic_world):
    """The page stays open, the membership ends: the next post is not announced to it."""
    from network.models import Membership
    from network.services.memberships import membership_end

    topic, reader = topic_world["topic"], topic_world["reader"]
    socket = await _socket(reader, f"/ws/topic/{topic.pk}/")
    await socket.receive_from()  # hello

    def end():
        membership = Membership.objects.get(user=reader)
        membership_end(membership=membership, by=reader)

    await database_sync_to_async(end)()
    await database_sync_to_async(topic_posted)(post=await database_sync_to_async(topic.posts.get)())
    assert await _close_code(socket) == 4403
