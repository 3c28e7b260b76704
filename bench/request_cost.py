"""What one request of each page of bench/pages.py costs in-process: CPU milliseconds (median of
N requests after a warm-up), SQL queries, cache round trips and template renders, through
Django's test Client and the whole middleware stack, on the settings of the environment.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/request_cost.py \
        [--requests 30] [--profile "course catalogue"] [--only dashboard]

Needs the demo data (`manage.py load_demo`); adds bench/pages.py's 50-post topic if missing.
Unlike the HTTP benchmarks this is not disturbed by other work on the machine (CPU time of this
process only, without the database's), so it shows whether a change makes a page do less work.
--profile prints cProfile's 45 most expensive functions (cumulative; PROFILE_FILTER, a regular
expression, keeps only matching ones) for that page and its SQL.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("BENCH_BARE_VIEW", "1")


def pages() -> dict[str, list[tuple[str, str]]]:
    from bench.pages import PREPARE

    namespace: dict = {}
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        exec(PREPARE, namespace)  # noqa: S102 - the benchmark's own preparation
    finally:
        sys.stdout = stdout
    import json

    data = json.loads(out.getvalue())
    return {
        "bare": [("bare view", "/bench/bare")],
        "anonymous": [("home", "/"), ("curriculum", data["curriculum"]),
                      ("module", data["module"]), ("course catalogue", "/fortbildung/"),
                      ("date page", data["date"]), ("news", data["news"]),
                      ("search", "/suche/?q=Pr%C3%A4ventionskette")],
        "member": [("dashboard", "/mein-bereich/"), ("my training", "/fortbildung/meine/"),
                   ("forum categories", "/netzwerk/foren/"),
                   (f"topic, {data['posts']} posts", data["topic"]),
                   ("practice examples", "/netzwerk/praxisbeispiele/"),
                   ("board room", data["room"]), ("member's home", "/")],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", help="page name to profile with cProfile")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    args = parser.parse_args()

    import django

    django.setup()
    from events.publish import publish_from_own_loop

    # As gunicorn's workers do after start-up (deploy/gunicorn.conf.py): broadcasts go out on
    # one loop of this process instead of a new loop and Redis connection each.
    publish_from_own_loop()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from bench.pages import MEMBER
    from core.models import User

    calls = {"cache": 0, "queries": 0}
    sql: list[str] = []

    def count_query(execute, query, params, many, context):
        calls["queries"] += 1
        sql.append(query)
        return execute(query, params, many, context)

    connection.execute_wrappers.append(count_query)
    for name in ("get", "set", "get_many", "set_many", "add", "delete", "incr", "touch"):
        original = getattr(cache, name)

        def counted(*a, _original=original, **kw):
            calls["cache"] += 1
            return _original(*a, **kw)

        setattr(cache, name, counted)

    anonymous = Client(headers={"accept-language": "de"})
    member = Client(headers={"accept-language": "de"})
    member.force_login(User.objects.get(email=MEMBER))
    print(f"{'page':28} {'CPU ms':>7} {'queries':>8} {'cache':>6} {'bytes':>7}")
    for who, entries in pages().items():
        client = member if who == "member" else anonymous
        for name, path in entries:
            if args.only and args.only not in name:
                continue
            for _ in range(3):
                response = client.get(path)
                assert response.status_code == 200, (name, path, response.status_code)
            calls["cache"] = calls["queries"] = 0
            sql.clear()
            client.get(path)
            cache_calls, query_count, queries = calls["cache"], calls["queries"], list(sql)
            times = []
            for _ in range(args.requests):
                started = time.process_time()
                response = client.get(path)
                times.append((time.process_time() - started) * 1000)
            print(f"{name:28} {statistics.median(times):7.2f} {query_count:8d} "
                  f"{cache_calls:6d} {len(response.content):7d}")  # fmt: skip
            if args.profile and args.profile == name:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.requests):
                    client.get(path)
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats("cumulative")
                stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 45)
                for query in queries:
                    print("  ", query[:300])
    return 0


if __name__ == "__main__":
    sys.exit(main())
