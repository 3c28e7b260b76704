"""The live board on make prod's topology (nginx, two daphne, Redis) under faults, with Python
clients that speak the board protocol as DESIGN.md says (tests.events.live_servers.BoardClient:
sync on hello, on a `seq` skip and every 25 s, reconnect with backoff, re-send unsent posts with
their nonce). Every client posts about one message a second (the rate limit allows one) through
nginx; at the end each client must show exactly the messages the database holds, none twice.

- A daphne process killed with SIGKILL: the other answers, the killed one's clients reconnect
  (to the other, or to the restarted one) and sync.
- Redis restarted (the topology's own redis-server, never the shared one) with traffic for a
  minute after: nothing lost or doubled, and /healthz is ok within 5 s of Redis being back and
  never 503 again while it is up.
"""

import asyncio
import os
import signal
import threading
import time

import pytest

from tests.events.live_servers import BoardClient
from tests.fault.conftest import PASSWORD, browser, logged_in, login

ROOM = "lernnetzwerk-nrw"
CLIENTS = 8


def _sessions(topology, people, tag: str) -> list[str]:
    emails = people(tag, CLIENTS)["emails"]
    sessions = []
    for address in emails:
        session = browser()
        assert logged_in(login(session, topology.url, address, PASSWORD))
        sessions.append(session.cookies["sessionid"])
    return sessions


def _room_messages(topology, after: int) -> dict[int, str]:
    rows = topology.sql(
        "SELECT m.id, m.nonce FROM events_message m JOIN events_room r ON r.id = m.room_id "
        "WHERE r.slug = %s AND m.id > %s AND m.deleted_at IS NULL",
        [ROOM, after],
    )
    return dict(rows)


def _room_state(topology) -> tuple[int, int]:
    """The room's newest message id and its last_seq."""
    [(last_id, last_seq)] = topology.sql(
        "SELECT coalesce((SELECT max(id) FROM events_message WHERE room_id = r.id), 0), "
        "r.last_seq FROM events_room r WHERE r.slug = %s",
        [ROOM],
    )
    return last_id, last_seq


async def _traffic(clients, seconds: float, posted: list, label: str) -> None:
    """Each client posts about once a second (the board allows ten in ten seconds)."""
    end = time.monotonic() + seconds
    number = 0
    while time.monotonic() < end:
        for client in clients:
            posted.append(await client.post(f"{label} {number} von {client.name}"))
        number += 1
        await asyncio.sleep(1.05)


async def _converged(topology, clients, start_id: int, posted: list, seconds: float) -> dict:
    """Waits until every post is stored and every client shows exactly the stored messages."""
    deadline = time.monotonic() + seconds
    began = time.monotonic()
    while True:
        stored = _room_messages(topology, start_id)
        shown_ok = all(
            {i for i in c.messages if i > start_id} == set(stored) and not c.pending
            for c in clients
        )
        if set(stored.values()) >= set(posted) and shown_ok:
            return {"stored": stored, "seconds": round(time.monotonic() - began, 1)}
        if time.monotonic() > deadline:
            missing = {
                c.name: sorted(set(stored) - {i for i in c.messages if i > start_id})
                for c in clients
            }
            raise AssertionError(
                f"not converged in {seconds} s: {len(stored)} stored of {len(posted)} posted, "
                f"missing per client {missing}, pending {[len(c.pending) for c in clients]}, "
                f"connections {[c.connections for c in clients]}, synced "
                f"{[c.synced.is_set() for c in clients]}, syncing {[c.syncing for c in clients]}, "
                f"closes {[c.closes for c in clients]}, errors {[c.errors for c in clients]}, "
                f"half-dead {[c.half_dead for c in clients]}"
            )
        await asyncio.sleep(0.5)


def _check(clients, stored: dict, posted: list, start_id: int) -> None:
    # Every post stored once (a re-sent one keeps its nonce), and nothing else in the room.
    assert sorted(stored.values()) == sorted(posted)
    for client in clients:
        shown = {i: m for i, m in client.messages.items() if i > start_id}
        assert set(shown) == set(stored), client.name  # nothing lost
        assert client.doubled == 0, client.name  # nothing let through twice
        assert client.errors == [], (client.name, client.errors)
    # The seqs of what every client shows: gapless from the first to the last.
    seqs = sorted(m["seq"] for m in clients[0].messages.values() if m["id"] > start_id)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def _figures(label: str, clients, result: dict, **extra) -> None:
    print(
        f"\n{label}: {len(result['stored'])} messages, {len(clients)} clients, converged "
        f"{result['seconds']} s after the traffic; reconnects "
        f"{[c.connections - 1 for c in clients]}, seq-skip syncs {[c.gap_syncs for c in clients]}, "
        f"copies dropped {[c.copies for c in clients]}, half-dead "
        f"{[c.half_dead for c in clients]}, close codes "
        f"{sorted({code for c in clients for code in c.closes if code is not None})}"
        + "".join(f", {key} {value}" for key, value in extra.items())
    )


async def _open(topology, sessions, start_id: int) -> list[BoardClient]:
    clients = []
    for number, session in enumerate(sessions):
        client = BoardClient(base=topology.url, slug=ROOM, session_id=session, name=f"c{number}")
        client.last_id = start_id
        client.start()
        clients.append(client)
    deadline = time.monotonic() + 30
    while not all(c.synced.is_set() for c in clients):
        assert time.monotonic() < deadline, "clients did not connect"
        await asyncio.sleep(0.1)
    return clients


@pytest.mark.deadline(150)
def test_daphne_killed_under_board_load_its_clients_reconnect_and_lose_nothing(topology, people):
    sessions = _sessions(topology, people, "board-kill")
    start_id, _ = _room_state(topology)
    daphnes = topology.processes(r"daphne")
    assert len(daphnes) == 2

    async def scenario():
        clients = await _open(topology, sessions, start_id)
        posted: list = []
        try:
            before = [c.connections for c in clients]
            traffic = asyncio.create_task(_traffic(clients, 20, posted, "Last"))
            await asyncio.sleep(6)
            os.kill(daphnes[0], signal.SIGKILL)
            killed_at = time.monotonic()
            # the other process answers meanwhile: a new socket opens and syncs
            probe = BoardClient(base=topology.url, slug=ROOM, session_id=sessions[0], name="p")
            probe.last_id = start_id
            probe.start()
            while not probe.synced.is_set():
                assert time.monotonic() - killed_at < 10, "no daphne answered after the kill"
                await asyncio.sleep(0.1)
            await probe.stop()
            await traffic
            result = await _converged(topology, clients, start_id, posted, 60)
            moved = [c for c, b in zip(clients, before, strict=True) if c.connections > b]
            # least_conn spread the clients over both processes: some were on the killed one
            assert moved, "no client was on the killed daphne"
            _check(clients, result["stored"], posted, start_id)
            _figures("daphne SIGKILL", clients, result, clients_moved=len(moved))
        finally:
            for client in clients:
                await client.stop()

    asyncio.run(scenario())
    topology.wait_until(
        lambda: len(topology.processes(r"daphne")) == 2, 20, "the killed daphne is started again"
    )


@pytest.mark.deadline(240)
def test_redis_restarted_during_board_traffic_nothing_lost_and_healthz_recovers(topology, people):
    if topology.redis is None:
        pytest.skip("FAULT_REDIS_URL is set: only a redis-server of the topology's own restarts")
    sessions = _sessions(topology, people, "board-redis")
    start_id, _ = _room_state(topology)
    health: list[tuple[float, int]] = []
    stop = threading.Event()

    def watch_health():
        while not stop.is_set():
            health.append((time.monotonic(), topology.healthz()))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch_health, daemon=True)
    watcher.start()

    async def scenario():
        clients = await _open(topology, sessions, start_id)
        posted: list = []
        try:
            traffic = asyncio.create_task(_traffic(clients, 70, posted, "Neustart"))
            await asyncio.sleep(8)
            await asyncio.get_running_loop().run_in_executor(None, topology.redis.restart)
            back_at = time.monotonic()
            await traffic  # about a minute more after Redis is back
            result = await _converged(topology, clients, start_id, posted, 60)
            _check(clients, result["stored"], posted, start_id)
            return clients, result, back_at
        finally:
            for client in clients:
                await client.stop()

    try:
        clients, result, back_at = asyncio.run(scenario())
    finally:
        stop.set()
        watcher.join(timeout=10)
    after = [(t - back_at, code) for t, code in health if t >= back_at]
    first_ok = next(t for t, code in after if code == 200)
    assert first_ok <= 5, after[:40]
    assert [code for t, code in after if t >= first_ok and code != 200] == [], after
    _figures(
        "Redis restart",
        clients,
        result,
        healthz_ok_after=f"{first_ok:.1f} s",
        healthz_polls_after=len(after),
    )
