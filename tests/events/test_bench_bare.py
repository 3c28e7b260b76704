"""The benchmarks' bare Channels consumer (/ws/bench/bare/, bench/board_fanout.py) exists only
where BENCH_BARE_VIEW=1 turned it on, like the bare HTTP view (tests/core/test_bench_bare.py), and
then only group-sends what it receives, to every socket on it."""

import json

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import override_settings

from config.asgi import application
from core.origins import site_origin
from events.asgi import protocol_router


async def _http(scope, receive, send):  # the HTTP side is not asked here
    raise AssertionError("no HTTP in these tests")


def _socket(app, path="/ws/bench/bare/"):
    return WebsocketCommunicator(app, path, headers=[(b"origin", site_origin().encode())])


@pytest.mark.skipif(settings.BENCH_BARE_VIEW, reason="BENCH_BARE_VIEW=1 in this environment")
@pytest.mark.django_db(transaction=True)
async def test_off_by_default_the_served_application_has_no_such_socket():
    communicator = _socket(application)
    # Channels' router finds no route: the socket is never accepted.
    with pytest.raises(ValueError, match="No route found"):
        await communicator.connect()
    # The board itself is routed by the same application (closed: nobody is logged in).
    board = _socket(application, "/ws/board/lernnetzwerk-nrw/")
    connected, _ = await board.connect()
    assert connected
    assert (await board.receive_output(timeout=2))["code"] == 4401
    await board.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_off_the_router_has_no_such_socket():
    with override_settings(BENCH_BARE_VIEW=False):
        app = protocol_router(http=_http)
    with pytest.raises(ValueError, match="No route found"):
        await _socket(app).connect()


@pytest.mark.django_db(transaction=True)
async def test_on_it_group_sends_what_it_receives_to_every_socket():
    with override_settings(BENCH_BARE_VIEW=True):
        app = protocol_router(http=_http)
    first, second = _socket(app), _socket(app)
    try:
        # Anonymous: no authentication, no database.
        assert (await first.connect())[0]
        assert (await second.connect())[0]
        frame = {"type": "post", "body": "seq 7", "nonce": "n7"}
        await first.send_to(text_data=json.dumps(frame))
        assert json.loads(await first.receive_from(timeout=2)) == frame
        assert json.loads(await second.receive_from(timeout=2)) == frame
        assert await first.receive_nothing(timeout=0.2)
    finally:
        await first.disconnect()
        await second.disconnect()
