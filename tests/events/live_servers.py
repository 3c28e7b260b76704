"""Real ASGI server processes (daphne) for the board's multi-process tests, sharing one Redis and
the test database; a private redis-server a test may restart; and a WebSocket client that behaves
like board.js: reconnect with backoff, `sync` from the newest id up to which it holds everything,
`sync` when a message's `seq` skips, drop a seq it holds, re-send unsent posts with the same
nonce, and a keepalive `sync`."""

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from websockets.asyncio.client import connect as ws_connect

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    return (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )


class PrivateRedis:
    """A redis-server of the test's own on a free port (no persistence, in a temporary folder):
    the one a test may stop, restart or reconfigure. The shared Redis on 6379 is never touched."""

    def __init__(self):
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="kinderstark-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "PrivateRedis":
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while self.cli("ping") != "PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self, down_seconds: float = 1.0) -> None:
        """Stopped (its data gone, as after a crash without persistence) and started again on
        the same port after `down_seconds`."""
        self.stop()
        time.sleep(down_seconds)
        self.start()

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True, check=False
        )
        return done.stdout.strip()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class Servers:
    """`count` daphne processes on free ports with their own channel and cache prefix."""

    def __init__(
        self,
        *,
        count: int,
        database_url: str,
        redis_url: str,
        ping_interval: int = 5,
        ping_timeout: int = 10,
    ):
        self.ping_interval, self.ping_timeout = ping_interval, ping_timeout
        prefix = f"t{uuid.uuid4().hex[:8]}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CHANNEL_PREFIX": f"{prefix}-ch",
            "CACHE_PREFIX": f"{prefix}-c",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "LOG_LEVEL": "ERROR",
        }
        self.env.pop("TEST_DATABASE_NAME", None)
        self.ports = [free_port() for _ in range(count)]
        # Each process is reached directly (no nginx in front), so each one's own address is a
        # trusted origin for the board's Origin check.
        self.env["CSRF_TRUSTED_ORIGINS"] = ",".join(f"http://127.0.0.1:{p}" for p in self.ports)
        self.processes = []

    def start(self) -> "Servers":
        for port in self.ports:
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                        "--ping-interval", str(self.ping_interval),
                        "--ping-timeout", str(self.ping_timeout),
                        "config.asgi:application",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )  # fmt: skip
        # Django's start-up takes seconds; on a loaded CI machine tens of them.
        deadline = time.time() + 90
        for port in self.ports:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.time() > deadline:
                        self.stop()  # the fixture's teardown never runs when start fails
                        raise RuntimeError(f"daphne on {port} did not start") from None
                    time.sleep(0.2)
        return self

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


class BoardClient:
    """One person's browser tab, in Python, speaking the board protocol as board.js does.

    `messages` holds what the page shows, by id. `doubled` counts message frames the seq rule
    let through although the tab already showed that id (must stay 0); `copies` counts frames
    dropped as copies (a seq already held, or an id again inside a sync), `gap_syncs` the syncs a
    seq skip caused, `closes` the close codes the server sent."""

    GAP_WAIT = 1.5  # seconds, as board.js
    REFUSED = (4401, 4403, 4404)  # close codes after which board.js does not come back

    def __init__(
        self,
        *,
        port: int | None = None,
        slug: str,
        session_id: str,
        name: str = "",
        base: str | None = None,
        keepalive: float = 25.0,
    ):
        base = base or f"http://127.0.0.1:{port}"
        self.url = base.replace("http://", "ws://") + f"/ws/board/{slug}/"
        self.headers = {"Cookie": f"sessionid={session_id}"}
        self.origin = base
        self.name = name
        self.keepalive = keepalive
        self.messages: dict[int, dict] = {}
        self.duplicates = 0  # frames for an id already shown, whatever the reason
        self.doubled = 0
        self.copies = 0
        self.gap_syncs = 0
        self.closes: list[int | None] = []
        self.refused = False
        self.last_id = 0  # every message up to this id is held
        self.last_seq: int | None = None  # … and up to this seq (None until the first synced)
        self.syncing = False
        self.seq_while_syncing = 0
        # seqs (with their ids) that came while one before them is still missing
        self.ahead: dict[int, int] = {}
        self._gap_timer: asyncio.TimerHandle | None = None
        self.pending: dict[str, str] = {}
        self.errors: list[dict] = []
        self.rate_limited = 0
        self.synced_count = 0
        self.half_dead = 0  # keepalive syncs never answered (the socket was then closed)
        self.connections = 0
        self.online: list = []
        self.synced = asyncio.Event()
        self._ws = None
        self._task = None
        self._stop = False

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        self._stop = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def _run(self) -> None:
        attempt = 0
        while not self._stop:
            keepalive = None
            try:
                async with ws_connect(
                    self.url, additional_headers=self.headers, origin=self.origin, open_timeout=5
                ) as ws:
                    self._ws = ws
                    self.connections += 1
                    self.syncing, self.seq_while_syncing = True, 0
                    self.ahead = {}
                    if self._gap_timer is not None:
                        self._gap_timer.cancel()
                        self._gap_timer = None
                    attempt = 0
                    keepalive = asyncio.create_task(self._keepalive(ws))
                    try:
                        async for raw in ws:
                            await self._frame(ws, json.loads(raw))
                    finally:
                        self.closes.append(ws.close_code)
            except (TimeoutError, OSError, Exception):  # noqa: S110
                pass
            if keepalive is not None:
                keepalive.cancel()
            self._ws = None
            self.synced.clear()
            if self._stop:
                return
            if self.closes and self.closes[-1] in self.REFUSED:
                self.refused = True  # as board.js: not logged in, not allowed, no such room
                return
            delay = min(5.0, 0.2 * 2**attempt) * (0.5 + 0.5 * (uuid.uuid4().int % 100) / 100)
            attempt += 1
            await asyncio.sleep(delay)

    async def _keepalive(self, ws) -> None:
        """As board.js: a `sync` every `keepalive` seconds; no `synced` within 10 s means the
        connection is half-dead, so it is closed and opened again."""
        while True:
            await asyncio.sleep(self.keepalive)
            if self.synced.is_set():
                answered = self.synced_count
                await self._sync(ws)
                await asyncio.sleep(10)
                if self.synced_count == answered:
                    self.half_dead += 1
                    await ws.close()
                    return

    async def _sync(self, ws) -> None:
        await ws.send(json.dumps({"type": "sync", "after": self.last_id}))
        if not self.syncing:
            self.syncing, self.seq_while_syncing = True, 0

    def _show(self, frame: dict, *, complete: bool) -> None:
        if frame["id"] in self.messages:
            self.duplicates += 1
        self.messages[frame["id"]] = frame
        if complete:
            self.last_id = max(self.last_id, frame["id"])
        self.pending.pop(frame["nonce"], None)

    def _close_gap(self) -> None:
        """Messages that came ahead of a missing one count once the missing one is there."""
        self.ahead = {seq: i for seq, i in self.ahead.items() if seq > self.last_seq}
        while self.last_seq + 1 in self.ahead:
            self.last_seq += 1
            self.last_id = max(self.last_id, self.ahead.pop(self.last_seq))
        if not self.ahead and self._gap_timer is not None:
            self._gap_timer.cancel()
            self._gap_timer = None

    async def _gap_sync(self, ws) -> None:
        self._gap_timer = None
        if self.ahead and ws is self._ws:
            self.gap_syncs += 1
            with contextlib.suppress(Exception):
                await self._sync(ws)

    async def _frame(self, ws, frame: dict) -> None:
        kind = frame["type"]
        if kind == "hello":
            self.online = frame["online"]
            await self._sync(ws)
        elif kind == "message":
            # the answer to an unsent post, whichever way it comes (also a copy)
            self.pending.pop(frame["nonce"], None)
            seq = frame.get("seq")
            if self.syncing or self.last_seq is None or seq is None:
                # a sync's frames, taken by id (an id shown before is the overlap copy); last_id
                # moves only with `synced`: a socket lost mid-sync must sync from the old one
                if frame["id"] in self.messages:
                    self.copies += 1
                    return
                self.seq_while_syncing = max(self.seq_while_syncing, seq or 0)
                self._show(frame, complete=False)
            elif seq <= self.last_seq or seq in self.ahead:
                self.copies += 1
            elif seq > self.last_seq + 1:
                # as board.js: the missing one gets GAP_WAIT seconds to arrive (two daphne
                # processes may deliver neighbours out of order), then the client syncs
                if frame["id"] in self.messages:
                    self.doubled += 1
                self.ahead[seq] = frame["id"]
                self._show(frame, complete=False)
                if self._gap_timer is None:
                    self._gap_timer = asyncio.get_running_loop().call_later(
                        self.GAP_WAIT, lambda: asyncio.ensure_future(self._gap_sync(ws))
                    )
            else:
                if frame["id"] in self.messages:
                    self.doubled += 1
                self.last_seq = seq
                self._show(frame, complete=True)
                self._close_gap()
        elif kind == "synced":
            self.synced_count += 1
            self.syncing = False
            self.last_id = max(self.last_id, frame["last_id"])
            self.last_seq = max(
                self.last_seq or 0, frame.get("last_seq") or 0, self.seq_while_syncing
            )
            self._close_gap()
            self.synced.set()
            for nonce, body in list(self.pending.items()):
                await ws.send(json.dumps({"type": "post", "body": body, "nonce": nonce}))
        elif kind == "presence":
            self.online = frame["online"]
        elif kind == "error":
            body = self.pending.get(frame.get("nonce"))
            if frame["code"] == "rate_limited" and body is not None:
                # as board.js: the post is sent again after 4 s
                self.rate_limited += 1
                asyncio.get_running_loop().call_later(
                    4, lambda: asyncio.ensure_future(self._resend(frame["nonce"]))
                )
            else:
                self.errors.append(frame)

    async def _resend(self, nonce: str) -> None:
        body = self.pending.get(nonce)
        if body is not None and self._ws is not None and self.synced.is_set():
            with contextlib.suppress(Exception):
                await self._ws.send(json.dumps({"type": "post", "body": body, "nonce": nonce}))

    async def post(self, body: str) -> str:
        nonce = uuid.uuid4().hex
        self.pending[nonce] = body
        if self._ws is not None and self.synced.is_set():
            with contextlib.suppress(Exception):
                await self._ws.send(json.dumps({"type": "post", "body": body, "nonce": nonce}))
        return nonce


async def wait_for(predicate, timeout: float = 20.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()
