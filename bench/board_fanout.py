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
from pathlib import Path

from websockets.asyncio.client import connect as ws_connect

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

SETUP = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from core.models import User
from network.models import Membership, Municipality
from events.services import room_ensure_defaults
n = int(sys.argv[1])
room_ensure_defaults()
town, _ = Municipality.objects.get_or_create(
    slug="benchstadt",
    defaults=dict(name="Benchstadt", kind="kreisfreie_stadt", region="LWL",
                  municipality_key="05999999"),
)
existing = User.objects.filter(email__startswith="bench").count()
new = [User(email=f"bench{i}@bench.example", name=f"Bench {i}") for i in range(existing, n)]
for u in new:
    u.set_unusable_password()
User.objects.bulk_create(new)
users = list(User.objects.filter(email__startswith="bench").order_by("id")[:n])
have = set(Membership.objects.filter(user__in=users).values_list("user_id", flat=True))
Membership.objects.bulk_create(
    [Membership(user=u, municipality=town, status="approved") for u in users if u.pk not in have]
)
keys = []
for u in users:
    s = SessionStore()
    s[SESSION_KEY] = str(u.pk)
    s[BACKEND_SESSION_KEY] = "core.auth_backends.ModelBackend"
    s[HASH_SESSION_KEY] = u.get_session_auth_hash()
    s.create()
    keys.append(s.session_key)
print(json.dumps(keys))
"""


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
        [PY, "-c", SETUP, str(users)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


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
    path = "/ws/board/lernnetzwerk-nrw/" if kind == "board" else "/ws/bare/"
    stop = asyncio.Event()
    receivers, tasks = [], []

    def url_for(i):
        port = servers.ports[i % len(servers.ports)]
        return f"ws://127.0.0.1:{port}{path}", f"http://127.0.0.1:{port}"

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
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    layers = args.layers.split(",")
    kinds = [kind for kind in ("bare", "board") if kind in args.consumers.split(",")]
    if args.rate / args.posters > 1.0:
        parser.error("each poster must stay under the rate limit (10 posts / 10 s)")

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
