"""The channel layer as production configures it (config.settings with REDIS_URL), against real
Redis, in a process of its own: a daphne process takes a herd of group operations at once (a
hundred board sockets of a killed process reconnecting to this one, or joining their groups again
after a Redis restart, at once) without running out of pooled
connections (redis-py's pool refuses the 101st by default: MaxConnectionsError)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.redis

ROOT = Path(__file__).resolve().parents[2]

HERD = """
import asyncio
import django

django.setup()
from channels.layers import get_channel_layer


async def main():
    layer = get_channel_layer()
    names = [f"specific.herd!{i}" for i in range(300)]
    await asyncio.gather(*(layer.group_add("herd", name) for name in names))
    await asyncio.gather(*(layer.group_discard("herd", name) for name in names))
    print("ok")


asyncio.run(main())
"""


def test_a_process_takes_a_herd_of_group_operations_at_once(redis_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": redis_url,
        "CHANNEL_PREFIX": "test-herd",
    }
    done = subprocess.run(
        [sys.executable, "-c", HERD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")
