"""The ASGI handler lets at most `limit` requests compute their response at once."""

import asyncio
import os
import subprocess
import sys
import threading
import time

import pytest
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from core.asgi import BoundedASGIHandler

active = {"now": 0, "most": 0}
_lock = threading.Lock()


def slow(request):
    with _lock:
        active["now"] += 1
        active["most"] = max(active["most"], active["now"])
    time.sleep(0.15)
    with _lock:
        active["now"] -= 1
    return HttpResponse("fertig")


urlpatterns = [path("langsam/", slow)]


async def _get(handler) -> tuple[int, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "path": "/langsam/",
        "raw_path": b"/langsam/",
        "query_string": b"",
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 1234),
        "server": ("localhost", 80),
        "scheme": "http",
    }
    communicator = ApplicationCommunicator(handler, scope)
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(5)
    body = await communicator.receive_output(5)
    return start["status"], body["body"]


@pytest.mark.parametrize("limit, most", [(1, 1), (2, 2), (0, 4)])
async def test_at_most_limit_requests_compute_at_once(settings, limit, most):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["localhost"]
    active.update(now=0, most=0)
    handler = BoundedASGIHandler(limit=limit)
    results = await asyncio.gather(*[_get(handler) for _ in range(4)])
    assert results == [(200, b"fertig")] * 4
    assert active["most"] == most


def test_the_asgi_application_freezes_its_startup_heap():
    """config/asgi.py keeps what it loaded out of full garbage collections (their pauses were
    the board's p99 latency): in a fresh process, importing it leaves most objects frozen."""
    code = (
        "import gc; before = gc.get_freeze_count(); import config.asgi; "
        "print(before, gc.get_freeze_count(), len(gc.get_objects()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    before, frozen, tracked = map(int, out.stdout.split())
    assert before == 0
    assert frozen > 100_000 and tracked < frozen / 10
