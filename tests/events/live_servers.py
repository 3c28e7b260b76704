"""Real ASGI server processes (daphne) for the board's multi-process tests, sharing one Redis and
the test database, and a WebSocket client that behaves like board.js: reconnect with backoff,
`sync` from the newest id it saw, re-send unsent posts with the same nonce."""

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
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
        deadline = time.time() + 30
        for port in self.ports:
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        break
                except OSError:
                    if time.time() > deadline:
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
    """One person's browser tab, in Python."""

    def __init__(self, *, port: int, slug: str, session_id: str, name: str = ""):
        self.url = f"ws://127.0.0.1:{port}/ws/board/{slug}/"
        self.headers = {"Cookie": f"sessionid={session_id}"}
        self.origin = f"http://127.0.0.1:{port}"
        self.name = name
        self.messages: dict[int, dict] = {}
        self.duplicates = 0
        self.last_id = 0
        self.pending: dict[str, str] = {}
        self.errors: list[dict] = []
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
            try:
                async with ws_connect(
                    self.url, additional_headers=self.headers, origin=self.origin, open_timeout=5
                ) as ws:
                    self._ws = ws
                    self.connections += 1
                    attempt = 0
                    async for raw in ws:
                        await self._frame(ws, json.loads(raw))
            except (TimeoutError, OSError, Exception):  # noqa: S110
                pass
            self._ws = None
            self.synced.clear()
            if self._stop:
                return
            delay = min(5.0, 0.2 * 2**attempt) * (0.5 + 0.5 * (uuid.uuid4().int % 100) / 100)
            attempt += 1
            await asyncio.sleep(delay)

    async def _frame(self, ws, frame: dict) -> None:
        kind = frame["type"]
        if kind == "hello":
            self.online = frame["online"]
            await ws.send(json.dumps({"type": "sync", "after": self.last_id}))
        elif kind == "message":
            if frame["id"] in self.messages:
                self.duplicates += 1
            self.messages[frame["id"]] = frame
            self.last_id = max(self.last_id, frame["id"])
            self.pending.pop(frame["nonce"], None)
        elif kind == "synced":
            self.last_id = max(self.last_id, frame["last_id"])
            self.synced.set()
            for nonce, body in list(self.pending.items()):
                await ws.send(json.dumps({"type": "post", "body": body, "nonce": nonce}))
        elif kind == "presence":
            self.online = frame["online"]
        elif kind == "error":
            self.errors.append(frame)

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
