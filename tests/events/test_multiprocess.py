"""Two real daphne processes sharing one Redis and the PostgreSQL test database, with real
WebSocket clients on each: every message reaches the clients of both, presence and the rate limit
hold across processes, a client that goes silent is dropped by the server's pings, and a Redis
restart or a broadcast Redis refuses loses nothing: the sockets stay open and are caught up in
place (events.layer_watch). The Redis is a redis-server of this module's own on a free port
(tests.events.live_servers.PrivateRedis): restarting it touches nobody else's."""

import asyncio
import base64
import os
import shutil
import time

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test import Client as HttpClient

from events.models import Message
from events.services import room_ensure_defaults
from tests.events.live_servers import BoardClient, PrivateRedis, Servers, database_url, wait_for
from tests.factories import MunicipalityFactory, StaffFactory, member

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server to start a private Redis")
    redis = PrivateRedis().start()
    yield redis
    redis.remove()


@pytest.fixture
def servers(private_redis, transactional_db):
    running = Servers(
        count=2, database_url=database_url(connection.settings_dict), redis_url=private_redis.url
    ).start()
    yield running
    running.stop()


@pytest.fixture
def people(transactional_db):
    room_ensure_defaults()
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    users = [member(dortmund), member(koeln), member(dortmund), StaffFactory()]
    sessions = []
    for user in users:
        http = HttpClient()
        http.force_login(user)
        sessions.append(http.cookies["sessionid"].value)
    return users, sessions


def _clients(servers, sessions) -> list[BoardClient]:
    return [
        BoardClient(
            port=servers.ports[i % 2], slug="lernnetzwerk-nrw", session_id=session, name=f"c{i}"
        )
        for i, session in enumerate(sessions)
    ]


async def _start(clients):
    for client in clients:
        client.start()
    assert await wait_for(lambda: all(c.synced.is_set() for c in clients), 20)


async def test_every_message_reaches_the_clients_of_both_processes(servers, people):
    _users, sessions = people
    clients = _clients(servers, sessions)
    try:
        await _start(clients)
        # presence across processes: everyone sees all four
        assert await wait_for(lambda: all(len(c.online) == 4 for c in clients), 10)
        for round_ in range(5):
            for client in clients:
                await client.post(f"Runde {round_} von {client.name}")
        stored = await database_sync_to_async(
            lambda: list(Message.objects.values_list("id", flat=True))
        )()
        assert await wait_for(
            lambda: all(len(c.messages) == 20 for c in clients) and len(stored) <= 20, 15
        )
        ids = set(
            await database_sync_to_async(
                lambda: list(Message.objects.values_list("id", flat=True))
            )()
        )
        assert len(ids) == 20
        for client in clients:
            assert set(client.messages) == ids, client.name
            assert client.duplicates == 0
            assert client.errors == []
    finally:
        for client in clients:
            await client.stop()


async def test_rate_limit_holds_across_processes(servers, people):
    _users, sessions = people
    # the same person in two tabs, one on each process
    tabs = [
        BoardClient(port=servers.ports[0], slug="lernnetzwerk-nrw", session_id=sessions[0]),
        BoardClient(port=servers.ports[1], slug="lernnetzwerk-nrw", session_id=sessions[0]),
    ]
    try:
        await _start(tabs)
        for i in range(12):
            await tabs[i % 2].post(f"schnell {i}")
        # The two posts over the limit are refused with rate_limited (the client, as board.js,
        # sends them again 4 s later), whichever process they reached.
        assert await wait_for(lambda: sum(t.rate_limited for t in tabs) >= 2, 10)
        stored = await database_sync_to_async(Message.objects.count)()
        assert stored == 10
        assert [e for t in tabs for e in t.errors] == []
    finally:
        for tab in tabs:
            await tab.stop()


async def _half_dead_socket(port: int, session_id: str):
    """A WebSocket that opens and then goes silent, as a laptop whose lid closed mid-session:
    the TCP connection stays up, but nothing is read and no ping is ever answered."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            "GET /ws/board/lernnetzwerk-nrw/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n"
            f"Cookie: sessionid={session_id}\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    status = await asyncio.wait_for(reader.readline(), 10)
    assert b" 101 " in status, status
    return writer


@pytest.fixture
def quick_ping_servers(private_redis, transactional_db):
    running = Servers(
        count=2,
        database_url=database_url(connection.settings_dict),
        redis_url=private_redis.url,
        ping_interval=1,
        ping_timeout=2,
    ).start()
    yield running
    running.stop()


async def test_a_half_dead_client_is_dropped_by_the_pings_and_leaves_who_is_online(
    quick_ping_servers, people
):
    users, sessions = people
    servers = quick_ping_servers
    watcher = BoardClient(port=servers.ports[1], slug="lernnetzwerk-nrw", session_id=sessions[0])
    silent = await _half_dead_socket(servers.ports[0], sessions[1])
    try:
        await _start([watcher])

        def online_ids():
            return {person["id"] for person in watcher.online}

        # the silent person is online, across processes, until the server gives up on them
        assert await wait_for(lambda: users[1].pk in online_ids(), 10)
        assert await wait_for(lambda: users[1].pk not in online_ids(), 15)
        assert online_ids() == {users[0].pk}
        # the watcher answers its pings and stays connected
        assert watcher.connections == 1
        await watcher.post("Noch jemand da?")
        assert await wait_for(lambda: len(watcher.messages) == 1, 10)
    finally:
        silent.close()
        await watcher.stop()


async def test_redis_restart_every_client_has_every_message_once(servers, people, private_redis):
    _users, sessions = people
    clients = _clients(servers, sessions)
    try:
        await _start(clients)
        for i, client in enumerate(clients):
            await client.post(f"vor dem Neustart {i}")
        assert await wait_for(lambda: all(len(c.messages) == 4 for c in clients), 10)

        restart = asyncio.get_running_loop().run_in_executor(None, private_redis.restart)
        # posts while Redis is going away and coming back
        for i in range(8):
            await clients[i % 4].post(f"während des Neustarts {i}")
            await asyncio.sleep(0.25)
        await restart
        for i, client in enumerate(clients):
            await client.post(f"nach dem Neustart {i}")

        def all_there():
            ids = set(Message.objects.values_list("id", flat=True))
            return len(ids) == 16 and all(set(c.messages) == ids for c in clients)

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if await database_sync_to_async(all_there)():
                break
            await asyncio.sleep(0.5)
        ids = set(
            await database_sync_to_async(
                lambda: list(Message.objects.values_list("id", flat=True))
            )()
        )
        assert len(ids) == 16  # each post stored once, also those re-sent after a reconnect
        for client in clients:
            assert set(client.messages) == ids, (client.name, sorted(ids - set(client.messages)))
            # A message broadcast between the new socket's hello and its sync comes twice (the
            # sync sends every message after the id, DESIGN.md); the client keeps it once by id.
            assert client.duplicates <= len(ids)
            assert client.doubled == 0, client.name
    finally:
        for client in clients:
            await client.stop()


async def test_a_redis_that_lost_its_groups_catches_every_socket_up_in_place(
    servers, people, private_redis
):
    """A message posted just after Redis restarted is broadcast to groups Redis has forgotten,
    and nothing later shows its gap. Each process notices the lost groups itself
    (events.layer_watch) within seconds, not at a heartbeat 10-20 s later: its sockets join again
    and get the message over the socket that stayed open; the next one arrives live."""
    _users, sessions = people
    clients = _clients(servers, sessions)
    try:
        await _start(clients)
        await asyncio.get_running_loop().run_in_executor(None, private_redis.restart)
        await clients[0].post("Gleich nach dem Neustart")
        assert await wait_for(lambda: all(len(c.messages) == 1 for c in clients), 6), [
            len(c.messages) for c in clients
        ]
        await clients[1].post("Wieder live")
        assert await wait_for(lambda: all(len(c.messages) == 2 for c in clients), 3), [
            len(c.messages) for c in clients
        ]
        for client in clients:
            assert (client.connections, client.closes, client.gap_syncs) == (1, [], 0), client.name
            assert client.duplicates == 0, client.name
    finally:
        for client in clients:
            await client.stop()


async def test_a_broadcast_redis_refuses_reaches_the_sockets_of_its_process_all_the_same(
    servers, people, private_redis
):
    """A group_send that fails every attempt (here Redis refuses the ZRANGE that group_send reads
    a group with, as an ACL would): the message is stored, and the process catches its sockets up
    from the database at the watch's next look, over the sockets that stay open."""
    _users, sessions = people
    writer = BoardClient(port=servers.ports[0], slug="lernnetzwerk-nrw", session_id=sessions[0])
    watcher = BoardClient(port=servers.ports[0], slug="lernnetzwerk-nrw", session_id=sessions[1])
    try:
        await _start([writer, watcher])
        assert private_redis.cli("ACL", "SETUSER", "default", "-zrange") == "OK"
        try:
            await writer.post("Kommt das trotzdem an?")
            assert await wait_for(lambda: len(watcher.messages) == 1, 15)
            stored = await database_sync_to_async(
                lambda: list(Message.objects.values_list("id", flat=True))
            )()
            assert len(stored) == 1
            assert set(watcher.messages) == set(writer.messages) == set(stored)
        finally:
            private_redis.cli("ACL", "SETUSER", "default", "+zrange")
        for client in (writer, watcher):
            assert (client.connections, client.closes, client.duplicates) == (1, [], 0)
    finally:
        await writer.stop()
        await watcher.stop()


async def test_a_frame_too_big_closes_with_4009_at_a_real_client(servers, people):
    import json

    from websockets.asyncio.client import connect as ws_connect
    from websockets.exceptions import ConnectionClosed

    _users, sessions = people
    port = servers.ports[1]
    async with ws_connect(
        f"ws://127.0.0.1:{port}/ws/board/lernnetzwerk-nrw/",
        additional_headers={"Cookie": f"sessionid={sessions[0]}"},
        origin=f"http://127.0.0.1:{port}",
    ) as ws:
        assert json.loads(await ws.recv())["type"] == "hello"
        await ws.send(json.dumps({"type": "post", "body": "x" * 70_000, "nonce": "gross"}))
        with pytest.raises(ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), 10)
        assert ws.close_code == 4009
    assert await database_sync_to_async(Message.objects.count)() == 0
