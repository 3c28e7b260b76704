"""What one register POST and one cancel POST cost in-process, and how long each holds the course
date's row lock: CPU ms, the database's CPU ms (every PostgreSQL process of the machine: run it
with nothing else going on), SQL queries (all, and those inside the locked transaction), cache round
trips, the lock's hold time (wall ms from the locking query's answer to the commit) and the
redirect target's GET the person waits for next, through Django's test Client and every middleware.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/register_cost.py \
        [--people 40] [--capacity 20] [--maximum 3] [--municipalities 15] [--profile register]

Needs the demo data (`manage.py load_demo`). Prepares, as bench/registration_storm.py does, a new
course date and new Fachkräfte with approved memberships; each logs in (force_login), opens the
date's page and POSTs its register form; then every second one cancels from the date's page (the
form's `next` is the date's page), so half the cancellations free a seat and promote a waiting
person. Medians per kind. Tasks go to the database backend as in production (the worker is not
run). Unlike the HTTP storm this is not disturbed by other work on the machine: it shows whether
a change makes the locked path do less. --profile register|cancel prints cProfile's 40 most
expensive functions of that POST (PROFILE_SORT=tottime to rank them by their own time).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class Meter:
    """Counts queries, cache calls and the locked transaction of the requests it watches."""

    def __init__(self, connection, cache):
        self.connection = connection
        self.reset()
        connection.execute_wrappers.append(self._execute)
        for name in ("commit", "rollback"):
            original = getattr(connection, name)

            def ended(*a, _original=original, **kw):
                result = _original(*a, **kw)
                self._unlock()
                return result

            setattr(connection, name, ended)
        for name in ("get", "set", "get_many", "set_many", "add", "delete", "incr", "touch"):
            original = getattr(cache, name)

            def counted(*a, _original=original, **kw):
                self.cache += 1
                return _original(*a, **kw)

            setattr(cache, name, counted)

    def reset(self):
        self.queries = self.locked_queries = self.cache = 0
        self.lock_ms = self.lock_cpu_ms = 0.0
        self.locked_since = None
        self.sql: list[tuple[bool, str]] = []

    def _execute(self, execute, sql, params, many, context):
        self.queries += 1
        inside = self.locked_since is not None
        if inside:
            self.locked_queries += 1
        self.sql.append((inside, sql))
        result = execute(sql, params, many, context)
        if not inside and "FOR UPDATE" in sql and '"training_coursedate"' in sql:
            self.locked_queries += 1
            self.sql[-1] = (True, sql)
            self.locked_since = (time.perf_counter(), time.process_time())
        return result

    def _unlock(self):
        if self.locked_since is not None:
            wall, cpu = self.locked_since
            self.lock_ms += (time.perf_counter() - wall) * 1000
            self.lock_cpu_ms += (time.process_time() - cpu) * 1000
            self.locked_since = None


def prepare(args) -> dict:
    from bench.registration_storm import PASSWORD, PREPARE

    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        exec(  # noqa: S102 - the storm's own preparation, in this process
            PREPARE.format(
                people=args.people, capacity=args.capacity, maximum=args.maximum,
                towns=args.municipalities, password=PASSWORD,
            ),
            {},
        )  # fmt: skip
    finally:
        sys.stdout = stdout
    return json.loads(out.getvalue())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=40)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument("--maximum", type=int, default=3)
    parser.add_argument("--municipalities", type=int, default=15)
    parser.add_argument("--profile", choices=("register", "cancel"))
    parser.add_argument("--sql", action="store_true", help="print the SQL of one POST of each kind")
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

    from bench.httpload import cpu_by_group
    from core.models import User
    from training.models import LIVE_STATUSES, Registration

    world = prepare(args)
    meter = Meter(connection, cache)
    path = world["path"]
    rows = {"register": [], "cancel": [], "date page after register": [],
            "my training / date page after cancel": []}  # fmt: skip
    samples: dict[str, list[tuple[bool, str]]] = {}
    profiler = cProfile.Profile(time.process_time) if args.profile else None

    def measure(kind, call):
        meter.reset()
        profiling = profiler is not None and kind == args.profile
        database = cpu_by_group()["postgres"]
        started = time.process_time()
        if profiling:
            profiler.enable()
        response = call()
        if profiling:
            profiler.disable()
        cpu = (time.process_time() - started) * 1000
        database = (cpu_by_group()["postgres"] - database) * 1000
        m = meter
        rows[kind].append(
            (cpu, database, m.queries, m.locked_queries, m.cache, m.lock_ms, m.lock_cpu_ms)
        )
        samples.setdefault(kind, list(meter.sql))
        return response

    clients = []
    for email in world["emails"]:
        client = Client(headers={"accept-language": "de"})
        client.force_login(User.objects.get(email=email))
        client.get(path)  # the page the person registers from (and its session, warm)
        clients.append((email, client))
    for _email, client in clients:
        response = measure("register", lambda c=client: c.post(f"{path}anmelden/", {"notes": ""}))
        assert response.status_code == 302, response.status_code
        measure("date page after register", lambda c=client, r=response: c.get(r.url))
    for _email, client in clients[::2]:
        user = User.objects.get(email=_email)
        registration = Registration.objects.get(
            participant=user, course_date_id=world["pk"], status__in=LIVE_STATUSES
        )
        url = f"/fortbildung/anmeldungen/{registration.pk}/abmelden/"
        response = measure("cancel", lambda c=client, u=url: c.post(u, {"next": path}))
        assert response.status_code == 302, response.status_code
        measure("my training / date page after cancel", lambda c=client, r=response: c.get(r.url))

    print(f"{len(clients)} people register for one date ({args.capacity} seats, ≤ {args.maximum} "
          f"per municipality), then every second one cancels; medians")  # fmt: skip
    print(f"{'request':38} {'CPU ms':>7} {'DB CPU':>7} {'queries':>8} {'locked':>7} {'cache':>6} "
          f"{'lock ms':>8} {'lock CPU':>9}")  # fmt: skip
    for kind, values in rows.items():
        cpu, database, queries, locked, cache_calls, lock_ms, lock_cpu = (
            statistics.mean(column) if i == 1 else statistics.median(column)
            for i, column in enumerate(zip(*values, strict=True))
        )
        print(f"{kind:38} {cpu:7.2f} {database:7.2f} {queries:8.0f} {locked:7.0f} "
              f"{cache_calls:6.0f} {lock_ms:8.2f} {lock_cpu:9.2f}")  # fmt: skip
    if args.sql:
        for kind in ("register", "cancel"):
            print(f"\n{kind}:")
            for inside, sql in samples[kind]:
                print(f"  {'L' if inside else ' '} {sql[:220]}")
    if profiler:
        stats = pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(os.environ.get("PROFILE_FILTER", ""), 40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
