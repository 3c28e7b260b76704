"""What the HTTP benchmarks (bench/pages.py, bench/registration_storm.py) share: a small asyncio
HTTP/1.1 client with keep-alive and cookies (one connection per person, from an address of its
own on 127.0.0.0/8, as people behind nginx have), the login form, Django shell snippets against
the server's database, the embedded server, and the figures.

The server is started by hand on the production topology:

    BENCH_BARE_VIEW=1 PORT=8090 make prod

and the benchmarks are pointed at it with --url (and the same DATABASE_URL/REDIS_URL, which they
use to prepare their data with `manage.py shell`). BENCH_BARE_VIEW=1 serves /bench/bare, the bare
Django view every figure is set against.
"""

import asyncio
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BARE = "/bench/bare"
DEMO_PASSWORD = "kinderstark-demo"  # noqa: S105 - the README's demo logins
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One person: one keep-alive connection from its own loopback address, and its cookies."""

    def __init__(self, url: str, source: str | None = None):
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.source = source
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None

    async def _connect(self):
        local = (self.source, 0) if self.source else None
        self.reader, self.writer = await asyncio.open_connection(
            self.host, self.port, local_addr=local
        )

    async def request(self, method: str, path: str, form: dict | None = None):
        """Sends one request; returns (status, headers, body). Reconnects when nginx closed the
        idle connection."""
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 "Accept: text/html", "Accept-Language: de", "Connection: keep-alive"]  # fmt: skip
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded",
                      f"Content-Length: {len(body)}"]  # fmt: skip
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        for attempt in (1, 2):
            if self.writer is None:
                await self._connect()
            try:
                self.writer.write(raw)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise

    async def _response(self):
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" not in line:
                continue
            key, value = (part.strip() for part in line.split(":", 1))
            key = key.lower()
            headers[key] = value
            if key == "set-cookie":
                name, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "max-age=0" in value.lower() or not cookie_value.strip('"'):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = cookie_value
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunks.append((await self.reader.readexactly(size + 2))[:-2])
                if size == 0:
                    break
            body = b"".join(chunks)
        else:
            body = await self.reader.read()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    async def get_form(self, path: str) -> bytes:
        """GETs a page that must answer 200 and returns its body (with the CSRF token in it)."""
        status, _headers, body = await self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
        return body

    async def login(self, email: str, password: str) -> None:
        """Logs in through allauth's form and opens the page it leads to, as a browser does:
        that page shows the login's message and drops it, so no later request of the person
        carries it (every page would show it again and clear its cookie)."""
        page = await self.get_form("/konto/login/")
        token = CSRF_RE.search(page).group(1).decode()
        form = {"csrfmiddlewaretoken": token, "login": email, "password": password}
        status, headers, _body = await self.request("POST", "/konto/login/", form)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {email} failed: {status} {headers.get('location')}")
        await self.get_form(urlsplit(headers["location"]).path)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def source_address(i: int) -> str:
    """A loopback address of its own for person i (all of 127.0.0.0/8 is local on Linux)."""
    return f"127.0.{10 + i // 250}.{1 + i % 250}"


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def figures(latencies: list[float], elapsed: float) -> dict:
    ms = [x * 1000 for x in latencies]
    return {"n": len(ms), "rps": len(ms) / elapsed if elapsed else 0.0,
            "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
            "mean": statistics.fmean(ms) if ms else 0.0}  # fmt: skip


def line(label: str, f: dict, extra: str = "") -> str:
    return (f"{label:<34} {f['rps']:8.1f}/s  p50 {f['p50']:7.1f}  p95 {f['p95']:7.1f}  "
            f"p99 {f['p99']:7.1f} ms  (n={f['n']}){extra}")  # fmt: skip


def load_line() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def django_shell(code: str, env: dict | None = None) -> dict:
    """Runs `code` in `manage.py shell` against the server's database (DATABASE_URL of `env`);
    the code prints one JSON object as its last line."""
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        env={**os.environ, **(env or {}), "EMAIL_URL": "dummymail://"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.exit(f"manage.py shell failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedServer:
    """`make run`'s embedded default: manage.py runserver (daphne, one process) on a fresh
    SQLite database with the demo data, the in-memory channel layer and the local memory cache."""

    def __init__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="kinderstark-bench-")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{self.dir.name}/db.sqlite3",
                    "MEDIA_ROOT": f"{self.dir.name}/media", "BENCH_BARE_VIEW": "1",
                    "SITE_URL": self.url, "EMAIL_URL": "dummymail://"}  # fmt: skip
        for name in ("REDIS_URL", "CONN_MAX_AGE", "TRUSTED_PROXY_COUNT"):
            self.env.pop(name, None)
        self.process = None

    def __enter__(self):
        for command in (["migrate", "--no-input", "-v", "0"], ["load_demo"]):
            subprocess.run([PYTHON, "manage.py", *command], env=self.env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("runserver did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.dir.cleanup()


CPU_GROUPS = (
    ("gunicorn", "gunicorn"),
    ("daphne", "daphne"),
    ("task workers", "db_worker"),
    ("postgres", "postgres"),
    ("nginx", "nginx"),
    ("redis", "redis-server"),
)


def processes() -> Iterator[tuple[int, str, float]]:
    """(pid, command line, CPU seconds so far) of every process on the machine, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # gone meanwhile
        yield int(entry.name), command, (int(fields[11]) + int(fields[12])) / tick  # utime+stime


def cpu_by_group() -> Counter:
    """CPU seconds so far of every process on the machine, summed by CPU_GROUPS (matched in the
    command line; this benchmark's own process is 'client', the rest 'other')."""
    totals: Counter = Counter()
    for pid, command, seconds in processes():
        if pid == os.getpid():
            group = "client"
        else:
            group = next((name for name, word in CPU_GROUPS if word in command), "other")
        totals[group] += seconds
    return totals


def cpu_line(before: Counter, after: Counter, requests: int) -> str:
    """CPU milliseconds per request of each group between two cpu_by_group() readings."""
    spent = {group: (after[group] - before[group]) * 1000 / max(requests, 1) for group in after}
    ranked = sorted(spent.items(), key=lambda item: -item[1])
    shown = "  ".join(f"{group} {ms:.1f}" for group, ms in ranked if ms >= 0.05)
    return f"  CPU ms per request: {shown}  (all {sum(spent.values()):.1f})"
