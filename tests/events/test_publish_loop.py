"""Broadcasts from a process without an event loop (gunicorn's sync workers) on the loop of
their own that events.publish.publish_from_own_loop starts: they arrive through real Redis, in
order, and keep their connection instead of opening one per publish (as async_to_sync did, 10–18
ms of a cancellation's request)."""

import asyncio
import threading

import pytest
import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from events import publish

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_layer(settings, redis_url):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": "test-publish-loop"},
        }
    }
    return get_channel_layer()


@pytest.fixture
def own_loop(monkeypatch, redis_layer):
    monkeypatch.setattr(publish, "_own_loop", None)
    before = set(threading.enumerate())
    publish.publish_from_own_loop()
    (thread,) = set(threading.enumerate()) - before
    loop = publish._own_loop
    yield loop
    # What a worker's exit does not need: the layer's connections of this loop closed, the
    # loop's thread ended and the loop closed, so the next test starts without them. (The
    # thread is taken at the start: once the loop stops, it may be gone before it is looked for.)
    asyncio.run_coroutine_threadsafe(redis_layer.close_pools(), loop).result(timeout=5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    assert not thread.is_alive()
    loop.close()


def _connections_received(redis_url) -> int:
    return redis.Redis.from_url(redis_url).info("stats")["total_connections_received"]


@pytest.mark.django_db
def test_publishes_from_sync_code_arrive_in_order_over_one_kept_connection(
    redis_layer, own_loop, redis_url, django_capture_on_commit_callbacks
):
    channel = async_to_sync(redis_layer.new_channel)()
    async_to_sync(redis_layer.group_add)(publish.user_group(user_id=7), channel)
    with django_capture_on_commit_callbacks(execute=True):
        publish.notification_count(user_id=7, unread=1)  # opens the loop's connection
    before = _connections_received(redis_url)
    for unread in range(2, 7):
        with django_capture_on_commit_callbacks(execute=True):
            publish.notification_count(user_id=7, unread=unread)
    opened = _connections_received(redis_url) - before - 1  # the count's own connection

    async def receive_six():
        return [(await redis_layer.receive(channel))["unread"] for _ in range(6)]

    received = async_to_sync(receive_six)()
    assert received == [1, 2, 3, 4, 5, 6]
    assert opened == 0


@pytest.mark.django_db
def test_without_the_own_loop_each_publish_opens_a_connection(
    redis_layer, redis_url, django_capture_on_commit_callbacks
):
    """What the own loop saves (and proof that the count above can see a new connection)."""
    assert publish._own_loop is None
    before = _connections_received(redis_url)
    for unread in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            publish.notification_count(user_id=8, unread=unread)
    assert _connections_received(redis_url) - before - 1 >= 3
