"""What every server process does once it has loaded the project."""

import gc


def freeze_startup_objects() -> None:
    """What is loaded by now (Django, Wagtail, the apps, their modules) lives as long as the
    process. Python's full garbage collections went through all of it every few seconds under
    load, and each stopped the event loop for 100–150 ms: every WebSocket frame in flight waited
    (the board's p99 delivery latency with 200 clients, bench/board_fanout.py: 150 -> 48 ms).
    Collected first, so no garbage is kept; frozen, so later collections only look at what came
    after. Called by config/asgi.py (daphne) and by gunicorn's post_fork, in each worker."""
    gc.collect()
    gc.freeze()
