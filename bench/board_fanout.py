"""Fan-out of the live board: N clients in one room, posts at a steady rate.

For each size (default 50, 200, 500 connected clients) and each channel layer (the in-memory
layer with one daphne process; Redis with two daphne processes, clients split between them), it
measures the delivery latency (post sent → `message` frame received, at every client) p50/p95/p99,
the frames delivered per second and the frames lost, for the board consumer and, in the same run,
for a bare Channels consumer that only group-sends (the floor), and prints the ratio.

    .venv/bin/python bench/board_fanout.py                      # everything
    .venv/bin/python bench/board_fanout.py --sizes 50 --layers memory --duration 5

Needs PostgreSQL (a database of its own, created and migrated here) and, for the Redis layer,
Redis on REDIS_URL. Run by hand, never in the test suite; it uses both cores for minutes.

With --url it drives the production topology instead (issue 14, "Speed over HTTP"): a running
`make prod` (deploy/prod.sh: nginx, gunicorn, two daphne behind nginx at /ws/, Redis) with
BENCH_BARE_VIEW=1, which also serves the bare Channels consumer at /ws/bench/bare/ on the same
nginx and daphne processes. It prepares its people in the server's database (this shell's
DATABASE_URL, `manage.py shell`: approved members with sessions, whose cookies the sockets send,
Origin = the site's URL) and runs, in one go: the bare consumer (200 clients, the floor), then the
board in `lernnetzwerk-nrw` with 200 clients that behave like board.js (the fault suite's client:
sync on hello, on a `seq` skip and every 25 s, reconnect and sync, re-send unsent posts with their
nonce). Latency is post sent → message shown, at every client; lost and doubled are counted once
every client has synced, by id (what the database holds against what each client shows) and by
`seq` (gapless per room). Targets: board p99 ≤ 2× the bare consumer's p99, 0 lost, 0 doubled.

    redis-server --port 6391 --bind 127.0.0.1 --save "" --appendonly no --dir /tmp --daemonize yes
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kinderstark_bench
    BENCH_BARE_VIEW=1 PORT=8093 RUN=/tmp/prod-bench REDIS_URL=redis://127.0.0.1:6391/0 \
        setsid deploy/prod.sh                                    # or make prod; another terminal
    .venv/bin/python bench/board_fanout.py --url http://127.0.0.1:8093 --clients 200 \
        --duration 20 [--restart-redis redis://127.0.0.1:6391/0]
    redis-cli -p 6391 shutdown nosave                            # afterwards; and stop make prod

--restart-redis adds a third run, the board again with Redis restarted when half the posts are
sent (`shutdown nosave`, one second down, started again on the same port, daemonised so it
outlives the script): the sockets stay open and are caught up in place (events.layer_watch); a
client that still sees a gap syncs as DESIGN.md says, and lost/doubled after sync must be 0.
It only takes a throw-away redis-server of the topology's own on this machine, without
persistence, as started above; it refuses 6379, the shared one.
"""

import argparse
import asyncio
import contextlib
import gc
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from websockets.asyncio.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable

# N people with approved memberships in one municipality and a logged-in session each
# (their session keys as JSON): for `manage.py shell` (--url) and, through SETUP, `python -c`.
PEOPLE = r"""
import json
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from core.models import User
from events.services import room_ensure_defaults
from network.models import Membership, MembershipRole, MembershipStatus, Municipality
N = __N__
room_ensure_defaults()
town, _ = Municipality.objects.get_or_create(slug="bench-board", defaults=dict(
    name="Bench-Board-Stadt", kind="kreisfreie_stadt", region="LWL", municipality_key="98999999",
    cohort=1, active=True))
emails = [f"board{i}@bench.example" for i in range(N)]
have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
new = [User(email=e, name=f"Board {i}") for i, e in enumerate(emails) if e not in have]
for u in new:
    u.set_unusable_password()
User.objects.bulk_create(new)
users = sorted(User.objects.filter(email__in=emails), key=lambda u: emails.index(u.email))
member = set(Membership.objects.filter(user__in=users).values_list("user_id", flat=True))
Membership.objects.bulk_create([Membership(user=u, municipality=town, role=MembershipRole.STAFF,
    status=MembershipStatus.APPROVED) for u in users if u.pk not in member])
keys = []
for u in users:
    s = SessionStore()
    s[SESSION_KEY] = str(u.pk)
    s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    s[HASH_SESSION_KEY] = u.get_session_auth_hash()
    s.create()
    keys.append(s.session_key)
print(json.dumps({"sessions": keys}))
"""

SETUP = "import django\ndjango.setup()\n" + PEOPLE  # the same people, for `python -c`


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_database(url: str, users: int) -> list[str]:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [PY, "manage.py", "migrate", "--no-input", "-v", "0", "--skip-checks"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    out = subprocess.run(
        [PY, "-c", SETUP.replace("__N__", str(users))],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])["sessions"]


class Servers:
    def __init__(
        self, *, layer: str, database_url: str, redis_url: str, profile_dir=None, memory_layer=None
    ):
        self.count = 1 if layer == "memory" else 2
        self.ports = [free_port() for _ in range(self.count)]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "ERROR",
            "CONN_MAX_AGE": "60",
            # The board accepts only the site's own origins (core.origins): each server's own.
            "CSRF_TRUSTED_ORIGINS": ",".join(f"http://127.0.0.1:{port}" for port in self.ports),
        }
        self.env.pop("REDIS_URL", None)
        if layer == "redis":
            prefix = f"bench{uuid.uuid4().hex[:6]}"
            self.env.update(
                REDIS_URL=redis_url, CHANNEL_PREFIX=f"{prefix}-ch", CACHE_PREFIX=f"{prefix}-c"
            )
        if memory_layer:
            self.env["BENCH_MEMORY_LAYER"] = memory_layer
        if profile_dir:
            self.env["BENCH_PROFILE"] = str(profile_dir)
        self.processes = []

    def url_for(self, kind: str):
        """i -> (WebSocket URL, Origin) of the i-th socket: round robin over the processes."""
        path = "/ws/board/lernnetzwerk-nrw/" if kind == "board" else "/ws/bare/"

        def url_for(i):
            port = self.ports[i % len(self.ports)]
            return f"ws://127.0.0.1:{port}{path}", f"http://127.0.0.1:{port}"

        return url_for

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server processes have used so far."""
        total = 0
        for p in self.processes:
            fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        for port in self.ports:
            self.processes.append(
                subprocess.Popen(
                    [PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                     "bench.board_asgi:application"],
                    cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        for port in self.ports:
            for _ in range(150):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        for p in self.processes:
            p.terminate()
        for p in self.processes:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()


class Receiver:
    def __init__(self):
        self.arrivals: dict[int, float] = {}
        self.duplicates = 0
        self.ready = asyncio.Event()
        self.failed = None


def seq_of(frame: dict, kind: str) -> int | None:
    if kind == "board":
        if frame.get("type") != "message":
            return None
        text = frame["body_html"]
        return int(text.split("seq ", 1)[1].split("<", 1)[0])
    if frame.get("type") != "post":
        return None
    return int(frame["body"].split("seq ", 1)[1])


async def client(url, session, origin, receiver: Receiver, kind: str, stop: asyncio.Event):
    try:
        await _client(url, session, origin, receiver, kind, stop)
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        receiver.failed = repr(exc)
        receiver.ready.set()


async def _client(url, session, origin, receiver: Receiver, kind: str, stop: asyncio.Event):
    async with ws_connect(
        url,
        additional_headers={"Cookie": f"sessionid={session}"},
        origin=origin,
        open_timeout=120,
        max_queue=None,
    ) as ws:
        if kind == "bare":
            receiver.ready.set()
        async for raw in ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            if frame.get("type") == "hello":
                await ws.send(json.dumps({"type": "sync", "after": frame["last_id"]}))
                continue
            if frame.get("type") == "synced":
                receiver.ready.set()
                continue
            seq = seq_of(frame, kind)
            if seq is None:
                continue
            if seq in receiver.arrivals:
                receiver.duplicates += 1
            else:
                receiver.arrivals[seq] = now
            if stop.is_set():
                break


@contextlib.contextmanager
def collector_paused():
    """This process's own full garbage collections took 30-40 ms with hundreds of connections
    open, and every frame arriving meanwhile was timed late. The figures are the servers', so
    the collector rests while the clock runs."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


async def run_once(*, kind, servers, sessions, posters, size, rate, duration):
    stop = asyncio.Event()
    receivers, tasks = [], []
    url_for = servers.url_for(kind)

    # connect in batches, so the joins' presence frames do not pile up
    for i in range(size):
        receiver = Receiver()
        url, origin = url_for(i)
        receivers.append(receiver)
        tasks.append(asyncio.create_task(client(url, sessions[i], origin, receiver, kind, stop)))
        if i % 25 == 24:
            await asyncio.wait([asyncio.create_task(r.ready.wait()) for r in receivers], timeout=90)
    await asyncio.wait([asyncio.create_task(r.ready.wait()) for r in receivers], timeout=120)
    not_ready = sum(1 for r in receivers if not r.ready.is_set() or r.failed)

    poster_sockets = []
    for j in range(posters):
        url, origin = url_for(j)
        ws = await ws_connect(
            url,
            additional_headers={"Cookie": f"sessionid={sessions[size + j]}"},
            origin=origin,
            max_queue=None,
        )
        poster_sockets.append(ws)

    async def drain(ws):
        try:
            async for _ in ws:
                pass
        except Exception:  # noqa: S110
            pass

    drains = [asyncio.create_task(drain(ws)) for ws in poster_sockets]
    await asyncio.sleep(2)  # let join presence settle
    with collector_paused():
        sent: dict[int, float] = {}
        total = int(rate * duration)
        server_cpu, client_cpu = servers.cpu_seconds(), time.process_time()
        start = time.perf_counter()
        for seq in range(total):
            target = start + seq / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            ws = poster_sockets[seq % posters]
            sent[seq] = time.perf_counter()
            frame = {"type": "post", "body": f"seq {seq}", "nonce": uuid.uuid4().hex}
            await ws.send(json.dumps(frame))
        # wait for stragglers
        deadline = time.perf_counter() + 15
        while time.perf_counter() < deadline:
            if all(len(r.arrivals) >= total for r in receivers):
                break
            await asyncio.sleep(0.1)
    last = max((max(r.arrivals.values()) for r in receivers if r.arrivals), default=start)
    server_cpu = servers.cpu_seconds() - server_cpu
    client_cpu = time.process_time() - client_cpu
    stop.set()
    for t in tasks + drains:
        t.cancel()
    for ws in poster_sockets:
        await ws.close()
    await asyncio.gather(*tasks, *drains, return_exceptions=True)

    # The first second of posts warms up connections and caches: counted for losses, not timed.
    warm = int(rate)
    delivered = sum(len(r.arrivals) for r in receivers)
    latencies = [
        (at - sent[seq]) * 1000
        for r in receivers
        for seq, at in r.arrivals.items()
        if seq in sent and seq >= warm
    ]
    return {
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "fps": delivered / max(1e-9, last - start),
        "lost": total * size - delivered,
        "dups": sum(r.duplicates for r in receivers),
        "posts": total,
        # CPU per delivered frame, so a loaded machine's wall times can be read against it
        "server_us": server_cpu / max(1, delivered) * 1e6,
        "client_us": client_cpu / max(1, delivered) * 1e6,
        "not_connected": not_ready,
    }


# --- --url: the production topology (make prod: nginx, two daphne, Redis) ------------------------

ROOM = "lernnetzwerk-nrw"
P99_FACTOR = 2


def _sql(database_url: str, query: str, params: list) -> list[tuple]:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(query, params).fetchall()


def room_last_id(database_url: str) -> int:
    [(last_id,)] = _sql(
        database_url,
        "SELECT coalesce(max(m.id), 0) FROM events_message m JOIN events_room r "
        "ON r.id = m.room_id WHERE r.slug = %s",
        [ROOM],
    )
    return last_id


def room_messages(database_url: str, after: int) -> list[tuple[int, str, int]]:
    """(id, nonce, seq) of the room's messages after `after`, as the database holds them."""
    return _sql(
        database_url,
        "SELECT m.id, m.nonce, m.seq FROM events_message m JOIN events_room r "
        "ON r.id = m.room_id WHERE r.slug = %s AND m.id > %s AND m.deleted_at IS NULL",
        [ROOM, after],
    )


class Topology:
    """A running `make prod` (deploy/prod.sh) at `url`: every socket goes through its nginx."""

    def __init__(self, url: str):
        self.url = url.rstrip("/")
        self.ws = "ws" + self.url[len("http") :]

    def url_for(self, kind: str):
        path = f"/ws/board/{ROOM}/" if kind == "board" else "/ws/bench/bare/"
        return lambda i: (self.ws + path, self.url)

    def cpu_seconds(self) -> float:
        """CPU time of the daphne processes started from this checkout (make prod's two)."""
        from bench.httpload import processes

        total = 0.0
        for pid, command, seconds in processes():
            try:
                if "daphne" in command and Path(f"/proc/{pid}/cwd").resolve() == ROOT:
                    total += seconds
            except OSError:
                continue
        return total


class OwnRedis:
    """The topology's own redis-server (never the shared one on 6379): a throw-away one without
    persistence on this machine, which --restart-redis stops (`shutdown nosave`: its data gone, as
    after a crash) and starts again on the same port, daemonised, so it outlives this script."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.port = parts.port or 6379
        if parts.hostname not in ("127.0.0.1", "localhost") or self.port == 6379:
            sys.exit(f"--restart-redis: {url} is not a private redis-server on this machine")
        if self.cli("ping") != "PONG":
            sys.exit(f"--restart-redis: no redis-server answers at {url}")
        save = self.cli("config", "get", "save").splitlines()[1:]
        appendonly = self.cli("config", "get", "appendonly").splitlines()[1:]
        if any(save) or appendonly != ["no"]:
            sys.exit(f"--restart-redis: {url} persists its data; start a throw-away one (--help)")
        self.dir = self.cli("config", "get", "dir").splitlines()[1]
        self.down_at = self.up_at = None

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    def restart(self, down_seconds: float = 1.0) -> None:
        self.cli("shutdown", "nosave")
        while self.cli("ping") == "PONG":
            time.sleep(0.05)
        self.down_at = time.perf_counter()
        time.sleep(down_seconds)
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--daemonize", "yes"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        while self.cli("ping") != "PONG":
            time.sleep(0.05)
        self.up_at = time.perf_counter()


def timed_board_client(**kwargs):
    """The fault suite's board client (tests.events.live_servers.BoardClient: sync on hello, on a
    `seq` skip and every 25 s, reconnect with backoff, re-send unsent posts with their nonce), which
    also notes when each message (by nonce) was first shown."""
    from tests.events.live_servers import BoardClient

    class TimedBoardClient(BoardClient):
        def __init__(self, **kw):
            super().__init__(**kw)
            self.arrivals: dict[str, float] = {}

        def _show(self, frame, *, complete):
            self.arrivals.setdefault(frame["nonce"], time.perf_counter())
            super()._show(frame, complete=complete)

    return TimedBoardClient(**kwargs)


async def until(predicate, timeout: float, step: float = 0.1) -> bool:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            return False
        await asyncio.sleep(step)
    return True


async def run_board_url(
    *, topology, database_url, sessions, size, posters, rate, duration, redis=None
):
    """The board through nginx with board.js's behaviour; with `redis`, Redis is restarted when
    half the posts are sent. Lost and doubled are counted once every client has synced."""
    start_id = room_last_id(database_url)

    def open_client(i: int, name: str):
        client = timed_board_client(base=topology.url, slug=ROOM, session_id=sessions[i], name=name)
        client.last_id = start_id
        client.start()
        return client

    receivers = []
    for i in range(size):
        receivers.append(open_client(i, f"c{i}"))
        if i % 25 == 24:
            await until(lambda: all(c.synced.is_set() or c.refused for c in receivers), 90)
            if any(c.refused for c in receivers):
                sys.exit(
                    f"the board refused the bench's people (close codes "
                    f"{sorted({c.closes[-1] for c in receivers if c.refused})}): are their "
                    "sessions valid for this server (DATABASE_URL, AUTHENTICATION_BACKENDS)?"
                )
    await until(lambda: all(c.synced.is_set() for c in receivers), 120)
    not_connected = sum(1 for c in receivers if not c.synced.is_set())
    senders = [open_client(size + j, f"p{j}") for j in range(posters)]
    await until(lambda: all(c.synced.is_set() for c in senders), 60)
    await asyncio.sleep(2)  # let the joins' presence settle

    sent: dict[str, float] = {}
    order: list[str] = []
    restart = None
    with collector_paused():
        total = int(rate * duration)
        server_cpu, client_cpu = topology.cpu_seconds(), time.process_time()
        start = time.perf_counter()
        for n in range(total):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if redis is not None and restart is None and n >= total // 2:
                restart = asyncio.get_running_loop().run_in_executor(None, redis.restart)
            at = time.perf_counter()
            nonce = await senders[n % posters].post(f"Bench {n}")
            sent[nonce] = at
            order.append(nonce)
        if restart is not None:
            await restart
        # stragglers: every client shows every post (a seq skip or the 25 s keepalive syncs)
        await until(
            lambda: all(len(c.arrivals.keys() & sent.keys()) >= total for c in receivers), 45
        )
        last = max((max(c.arrivals.values()) for c in receivers if c.arrivals), default=start)
    server_cpu = topology.cpu_seconds() - server_cpu
    client_cpu = time.process_time() - client_cpu
    # then the database's word: what is stored, against what every client shows
    deadline = time.perf_counter() + 30
    while True:
        stored = room_messages(database_url, start_id)
        ids = {row[0] for row in stored}
        shown_all = all({i for i in c.messages if i > start_id} >= ids for c in receivers)
        if (shown_all and not any(s.pending for s in senders)) or time.perf_counter() > deadline:
            break
        await asyncio.sleep(1)
    for client in receivers + senders:
        await client.stop()

    nonces = Counter(row[1] for row in stored)
    warm = set(order[: int(rate)])  # the first second warms up: counted for losses, not timed
    latencies = [
        (c.arrivals[nonce] - sent[nonce]) * 1000
        for c in receivers
        for nonce in sent
        if nonce not in warm and nonce in c.arrivals
    ]
    back = redis.up_at if redis is not None and redis.up_at else float("inf")
    after = [
        (c.arrivals[nonce] - sent[nonce]) * 1000
        for c in receivers
        for nonce in sent
        if sent[nonce] >= back and nonce in c.arrivals
    ]
    lost_by_id = lost_by_seq = doubled = 0
    seqs = {row[0]: row[2] for row in stored}
    for c in receivers:
        shown = {i for i in c.messages if i > start_id}
        lost_by_id += len(ids - shown)
        held = sorted(seqs[i] for i in shown & ids)
        if seqs:  # the room's seqs after start_id are gapless: count the ones a client lacks
            lost_by_seq += len(set(range(min(seqs.values()), max(seqs.values()) + 1)) - set(held))
        doubled += c.doubled
    delivered = sum(len(c.arrivals.keys() & sent.keys()) for c in receivers)
    return {
        "p50": pct(latencies, 50),
        "p95": pct(latencies, 95),
        "p99": pct(latencies, 99),
        "max": max(latencies, default=float("nan")),
        "fps": delivered / max(1e-9, last - start),
        "lost": lost_by_id,
        "lost_seq": lost_by_seq,
        "dups": doubled,
        "posts": total,
        "not_stored": len(sent.keys() - nonces.keys()),
        "stored_twice": sum(n - 1 for n in nonces.values() if n > 1),
        "reconnects": sum(c.connections - 1 for c in receivers),
        "gap_syncs": sum(c.gap_syncs for c in receivers),
        "server_us": server_cpu / max(1, delivered) * 1e6,
        "client_us": client_cpu / max(1, delivered) * 1e6,
        "not_connected": not_connected,
        # the restart run: posts sent once Redis was back, timed alone
        "after_p50": pct(after, 50),
        "after_p99": pct(after, 99),
        "redis_down_s": (
            redis.up_at - redis.down_at if redis is not None and redis.up_at else float("nan")
        ),
    }


def main_url(args) -> int:
    from bench.httpload import django_shell

    topology = Topology(args.url)
    redis = OwnRedis(args.restart_redis) if args.restart_redis else None
    size = args.clients
    print(f"preparing {size + args.posters} people in {os.environ.get('DATABASE_URL')} …")
    code = PEOPLE.replace("__N__", str(size + args.posters))
    sessions = django_shell(code)["sessions"]
    database_url = os.environ["DATABASE_URL"]
    print(
        f"{topology.url} (nginx, make prod): {size} clients in {ROOM}, posting {args.rate:g}/s "
        f"for {args.duration:g} s from {args.posters} posters; latency in ms, post sent → "
        "message shown at every client; srv µs: CPU of the topology's daphne per delivered frame",
        flush=True,
    )
    header = (
        f"{'run':<24}{'p50':>8}{'p95':>8}{'p99':>8}{'max':>8}{'frames/s':>10}{'lost':>6}"
        f"{'dups':>6}{'srv µs':>8}{'cli µs':>8}"
    )
    print(header)
    print("-" * len(header))
    runs = [("bare consumer", "bare", None), ("board", "board", None)]
    if redis is not None:
        runs.append(("board, Redis restarted", "board", redis))
    results = {}
    for label, kind, restart in runs:
        if kind == "bare":
            r = asyncio.run(
                run_once(kind="bare", servers=topology, sessions=sessions,
                         posters=args.posters, size=size, rate=args.rate, duration=args.duration)
            )  # fmt: skip
            r["max"] = float("nan")
        else:
            r = asyncio.run(
                run_board_url(topology=topology, database_url=database_url, sessions=sessions,
                              size=size, posters=args.posters, rate=args.rate,
                              duration=args.duration, redis=restart)
            )  # fmt: skip
        results[label] = r
        print(
            f"{label:<24}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}{r['max']:>8.0f}"
            f"{r['fps']:>10.0f}{r['lost']:>6}{r['dups']:>6}"
            f"{r['server_us']:>8.0f}{r['client_us']:>8.0f}",
            flush=True,
        )
        notes = [f"{r['not_connected']} clients not connected"] if r["not_connected"] else []
        if kind == "board":
            notes.append(
                f"lost by seq {r['lost_seq']}, posts not stored {r['not_stored']}, stored twice "
                f"{r['stored_twice']}, reconnects {r['reconnects']}, seq-skip syncs "
                f"{r['gap_syncs']}"
            )
        if restart is not None:
            notes.append(
                f"Redis down {r['redis_down_s']:.1f} s; posts sent after it was back: "
                f"p50 {r['after_p50']:.0f} ms, p99 {r['after_p99']:.0f} ms"
            )
        if notes:
            print(f"{'':<24}({'; '.join(notes)})", flush=True)
    bare_p99 = results["bare consumer"]["p99"]
    print()
    for label, r in results.items():
        if label == "bare consumer":
            continue
        ratio = r["p99"] / max(1e-9, bare_p99)
        zero = r["lost"] + r["lost_seq"] + r["dups"] + r["not_stored"] + r["stored_twice"] == 0
        print(
            f"{label}: p99 {ratio:.2f}× the bare consumer's "
            f"({'met' if ratio <= P99_FACTOR else 'missed'}"
            f", target ≤ {P99_FACTOR}×); lost/doubled after sync "
            f"{'0 (met)' if zero else 'not 0 (missed)'}"
        )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--layers", default="memory,redis")
    parser.add_argument("--rate", type=float, default=5.0, help="posts per second")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of posting")
    parser.add_argument("--posters", type=int, default=10)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ks_bench_board"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument(
        "--consumers", default="bare,board", help="bare (the floor), board, or both"
    )
    parser.add_argument(
        "--memory-layer",
        metavar="DOTTED.PATH",
        help="the in-memory layer's class, instead of the one settings name (e.g. "
        "channels.layers.InMemoryChannelLayer)",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="write a cProfile file per server process (and layer and size) into DIR",
    )
    parser.add_argument(
        "--url",
        help="drive a running `make prod` (BENCH_BARE_VIEW=1) at this address through its nginx, "
        "with this shell's DATABASE_URL; the bare consumer is its /ws/bench/bare/",
    )
    parser.add_argument("--clients", type=int, default=200, help="with --url: clients in the room")
    parser.add_argument(
        "--restart-redis",
        metavar="REDIS_URL",
        help="with --url: the topology's own throw-away redis-server (not 6379), restarted when "
        "half the posts are sent, in a third run",
    )
    args = parser.parse_args()
    if args.rate / args.posters > 1.0:
        parser.error("each poster must stay under the rate limit (10 posts / 10 s)")
    if args.url:
        if not os.environ.get("DATABASE_URL"):
            parser.error("--url needs the topology's DATABASE_URL in the environment")
        return main_url(args)
    if args.restart_redis:
        parser.error("--restart-redis goes with --url")
    sizes = [int(s) for s in args.sizes.split(",")]
    layers = args.layers.split(",")
    kinds = [kind for kind in ("bare", "board") if kind in args.consumers.split(",")]

    print(f"preparing {args.database_url} …", flush=True)
    sessions = prepare_database(args.database_url, max(sizes) + args.posters)
    if args.memory_layer:
        print(f"in-memory layer: {args.memory_layer}", flush=True)
    print(
        f"posting {args.rate:g}/s for {args.duration:g} s from {args.posters} posters; "
        "latency in ms, post sent → frame received at every client; "
        "srv/cli µs: CPU time of the servers / of this client process per delivered frame",
        flush=True,
    )
    header = (
        f"{'layer':<14}{'clients':>8} {'consumer':<7}{'p50':>8}{'p95':>8}{'p99':>8}"
        f"{'frames/s':>10}{'lost':>6}{'dups':>6}{'srv µs':>8}{'cli µs':>8}"
        "   ratio p99 board/bare"
    )
    print(header)
    print("-" * len(header))
    for layer in layers:
        label = "in-memory x1" if layer == "memory" else "redis x2"
        for size in sizes:
            results = {}
            with Servers(
                layer=layer,
                database_url=args.database_url,
                redis_url=args.redis_url,
                profile_dir=args.profile and Path(args.profile) / f"{layer}-{size}",
                memory_layer=args.memory_layer,
            ) as servers:
                for kind in kinds:
                    results[kind] = asyncio.run(
                        run_once(
                            kind=kind,
                            servers=servers,
                            sessions=sessions,
                            posters=args.posters,
                            size=size,
                            rate=args.rate,
                            duration=args.duration,
                        )
                    )
            for kind in kinds:
                r = results[kind]
                ratio = ""
                if kind == "board" and "bare" in results:
                    ratio = f"   {r['p99'] / max(1e-9, results['bare']['p99']):.2f}x"
                print(
                    f"{label:<14}{size:>8} {kind:<7}"
                    f"{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}"
                    f"{r['fps']:>10.0f}{r['lost']:>6}{r['dups']:>6}"
                    f"{r['server_us']:>8.0f}{r['client_us']:>8.0f}{ratio}"
                    + (
                        f"   ({r['not_connected']} clients not connected)"
                        if r["not_connected"]
                        else ""
                    ),
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
