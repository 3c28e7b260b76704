"""Benchmark of the curriculum pages under concurrent load, next to a bare Django view.

    .venv/bin/python bench/pages.py [--seconds 8] [--connections 16]

Builds a throw-away SQLite database (or uses DATABASE_URL) with the six demo modules, their
courses, dates and material, starts uvicorn (one worker) on config.asgi with bench/pages_site.py as
settings (the project's settings and URLs plus one bare view rendering a trivial template), and
drives it with N keep-alive connections of a small asyncio HTTP/1.1 client. For the home page,
the curriculum index and a module page, as an anonymous visitor and as a logged-in member, it
prints requests per second, p50/p95/p99 latency, and `ratio N.NN` of requests per second to the
bare view (measured before and after, averaged). Targets: anonymous ≥ 0.5, logged in ≥ 0.2.
"""

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"anonymous": 0.5, "member": 0.2}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict) -> dict:
    """Migrate, build the curriculum and a member with a session; returns paths and cookie."""
    code = r"""
import django, json, os, datetime
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.test import Client
from django.utils import timezone
from cms import demo
from cms.models import ModulePage
from tests.factories import CourseDateFactory, member
demo.load(password="bench-passwort-123", log=lambda message: None)
for page in ModulePage.objects.all():
    for days in (14, 40, 70):
        start = timezone.now() + datetime.timedelta(days=days)
        CourseDateFactory(course=page.course, start=start, end=start + datetime.timedelta(hours=6))
user = member(email="bench-member@kommune.example")
client = Client()
client.force_login(user)
module = ModulePage.objects.live().order_by("number").first()
print(json.dumps({"cookie": "sessionid=" + client.cookies["sessionid"].value,
                  "module": module.url}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"preparing the database failed:\n{out.stderr[-3000:]}")
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    def __init__(self, env: dict, port: int):
        self.port = port
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--workers", "1", "--lifespan", "off", "--no-access-log",
             "--log-level", "warning"],
            env=env,
            cwd=ROOT,
        )  # fmt: skip

    def wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("uvicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            key, value = line.split(":", 1)
            headers[key.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _connection(port, request: bytes, until: float, latencies: list, errors: list):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            writer.write(request)
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def _load(port, path, cookie, seconds, connections):
    headers = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Accept: text/html",
               "Accept-Language: de", "Connection: keep-alive"]  # fmt: skip
    if cookie:
        headers.append(f"Cookie: {cookie}")
    request = ("\r\n".join(headers) + "\r\n\r\n").encode()
    latencies: list[float] = []
    errors: list[int] = []
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(
        *[_connection(port, request, until, latencies, errors) for _ in range(connections)]
    )
    elapsed = time.perf_counter() - start
    return latencies, errors, elapsed


def measure(port, path, cookie, seconds, connections) -> dict:
    asyncio.run(_load(port, path, cookie, 2.0, connections))  # warm up
    latencies, errors, elapsed = asyncio.run(_load(port, path, cookie, seconds, connections))
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} answers were not 200 (e.g. {errors[0]})")
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50": quantiles[49] * 1000,
        "p95": quantiles[94] * 1000,
        "p99": quantiles[98] * 1000,
        "n": len(latencies),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kinderstark-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.pages_site",
        "MEDIA_ROOT": str(workdir / "media"),
        "PYTHONPATH": str(ROOT),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    port = _free_port()
    server = None
    try:
        print(f"preparing the database ({env['DATABASE_URL'].split(':')[0]}) …", flush=True)
        data = prepare(env)
        server = Server(env, port)
        server.wait()
        pages = [
            ("home", "/"),
            ("curriculum index", "/curriculum/"),
            ("module page", data["module"]),
        ]
        print(f"uvicorn, 1 worker, {args.connections} connections, {args.seconds:.0f} s each\n")
        bare_before = measure(port, "/bench/bare/", None, args.seconds, args.connections)
        results = []
        for who, cookie in (("anonymous", None), ("member", data["cookie"])):
            for name, path in pages:
                results.append(
                    (who, name, measure(port, path, cookie, args.seconds, args.connections))
                )
        bare_after = measure(port, "/bench/bare/", None, args.seconds, args.connections)
        bare_rps = (bare_before["rps"] + bare_after["rps"]) / 2

        def line(label, r, ratio=None):
            text = (f"{label:<32} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  "
                    f"p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms")  # fmt: skip
            return text + (f"  ratio {ratio:.2f}" if ratio is not None else "")

        print(line("bare view (before)", bare_before))
        print(line("bare view (after)", bare_after))
        failed = False
        for who, name, r in results:
            ratio = r["rps"] / bare_rps
            ok = ratio >= TARGETS[who]
            failed |= not ok
            print(line(f"{name} ({who})", r, ratio) + ("" if ok else f"  < {TARGETS[who]}"))
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
