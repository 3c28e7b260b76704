"""Benchmark of course registration under concurrency on PostgreSQL.

    .venv/bin/python bench/registration_race.py [--clients 50] [--per-client 40] [--dates 2]
                                                [--processes CPUS] [--keep]

Creates its own database (`kinderstark_bench_registration` on the server of DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/), migrates it, and builds programme municipalities with
approved members and a few course dates with a per-municipality maximum. Then N clients (threads
spread over a few processes, each with its own database connection) register their people at
once through training.services.registration.registration_create — the same code path as the
page, with the row lock, the re-count, the waiting list and the e-mails (rendered, sent to a
dummy backend).
A second phase mixes cancellations (which promote from the waiting list) with registrations.
Before the clock starts, every client registers and cancels one warm-up person on a separate
warm-up date (not counted, not in the invariant check): the first use of templates,
translation catalogues and database plans in a fresh process costs up to two seconds and would
otherwise be the p99 of every run, though a running server has paid it long before.

Prints registrations per second, p50/p95/p99 latency per registration, the number of
"Bitte erneut versuchen" answers (lock not had within 3 s), and the invariant check:
`over capacity: N` (seats beyond the capacity or a municipality's maximum, summed over the
dates), `free seat while a fitting person waits: N`, `waiting-list gaps: N`.
Targets: ≥ 200 registrations/s, p99 ≤ 500 ms, over capacity: 0.
"""

import argparse
import multiprocessing as mp
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "kinderstark_bench_registration"
TARGET_RATE = 200
TARGET_P99_MS = 500


def _bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinderstark")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/registration_race.py needs PostgreSQL (DATABASE_URL=postgres://…)")
    return urlunsplit((parts.scheme, parts.netloc, f"/{DB_NAME}", "", ""))


def _setup_env(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_URL"] = "dummymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CONN_MAX_AGE"] = "600"
    sys.path.insert(0, str(ROOT))


def _create_database(url: str, *, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(
        (parts.scheme.replace("postgres", "postgresql"), parts.netloc, "/postgres", "", "")
    )
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{DB_NAME}"')


def prepare(
    *, people: int, dates: int, capacity: int, max_per_municipality: int, warmup: int
) -> dict:
    """Migrate and build the world; returns ids for the clients."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress  # noqa: F401 - app loaded
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password

    from core.models import User
    from network.models import Membership, MembershipRole, MembershipStatus, Municipality
    from training.models import Course, CourseDate, Registration

    UNUSABLE = make_password(None)
    Registration.objects.all().delete()
    CourseDate.objects.all().delete()
    Course.objects.filter(title__startswith="Bench ").delete()
    Membership.objects.filter(user__email__endswith="@bench.example").delete()
    User.objects.filter(email__endswith="@bench.example").delete()
    Municipality.objects.filter(slug__startswith="bench-").delete()

    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(
                name=f"Bench-Kommune {i}",
                slug=f"bench-{i}",
                kind="kreisfreie_stadt",
                region="LWL" if i % 2 else "LVR",
                municipality_key=f"99{i:06d}",
                cohort=1,
                active=True,
            )
            for i in range(40)
        ]
    )

    def approved_members(prefix: str, name: str, count: int) -> list:
        users = User.objects.bulk_create(
            [
                User(email=f"{prefix}{i}@bench.example", name=f"{name} {i}", password=UNUSABLE)
                for i in range(count)
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    municipality=municipalities[i % len(municipalities)],
                    role=MembershipRole.STAFF,
                    status=MembershipStatus.APPROVED,
                )
                for i, user in enumerate(users)
            ]
        )
        return users

    users = approved_members("p", "Person", people)
    warmup_users = approved_members("w", "Warm-up", warmup)
    course = Course.objects.create(title="Bench Präventionskette", provider="LWL", hours=6)
    start = timezone.now() + timedelta(days=30)
    warmup_date_id = CourseDate.objects.create(
        course=course,
        start=start - timedelta(days=1),
        end=start - timedelta(days=1) + timedelta(hours=6),
        capacity=warmup,
    ).pk
    date_ids = [
        CourseDate.objects.create(
            course=course,
            start=start + timedelta(days=i),
            end=start + timedelta(days=i, hours=6),
            capacity=capacity,
            max_per_municipality=max_per_municipality,
        ).pk
        for i in range(dates)
    ]
    return {
        "user_ids": [u.pk for u in users],
        "date_ids": date_ids,
        "warmup_user_ids": [u.pk for u in warmup_users],
        "warmup_date_id": warmup_date_id,
    }


def _client_process(url, jobs_per_thread, warmup, ready, go, results, switch_interval):
    """One process with several client threads; every thread has its own connection."""
    # Many threads share one interpreter lock: a thread holding the course date's row lock
    # should get it back quickly when its query returns, as a worker process would.
    sys.setswitchinterval(switch_interval)
    _setup_env(url)
    import django

    django.setup()
    from django.db import connections

    from core.models import User
    from training.exceptions import TrainingError, TryAgain
    from training.models import CourseDate, Registration
    from training.services.registration import registration_cancel, registration_create

    out = []
    lock = threading.Lock()

    def run(jobs, warmup_job):
        latencies, cancel_latencies, try_again, errors = [], [], 0, 0
        # Warm up before the clock starts: one registration and its cancellation, uncounted.
        warmup_user_id, warmup_date_id = warmup_job
        warmup_user = User.objects.get(pk=warmup_user_id)
        done = registration_create(
            course_date=CourseDate.objects.get(pk=warmup_date_id),
            participant=warmup_user,
            by=warmup_user,
        )
        registration_cancel(registration=done, by=warmup_user)
        ready.put(1)
        go.wait()
        for kind, user_id, date_id in jobs:
            user = User.objects.get(pk=user_id)
            begin = time.perf_counter()
            try:
                if kind == "register":
                    course_date = CourseDate.objects.get(pk=date_id)
                    registration_create(course_date=course_date, participant=user, by=user)
                    latencies.append(time.perf_counter() - begin)
                else:
                    registration = (
                        Registration.objects.filter(participant=user, course_date_id=date_id)
                        .exclude(status="cancelled")
                        .first()
                    )
                    if registration is not None:
                        registration_cancel(registration=registration, by=user)
                        cancel_latencies.append(time.perf_counter() - begin)
            except TryAgain:
                try_again += 1
            except TrainingError:
                errors += 1
        connections.close_all()
        with lock:
            out.append((latencies, cancel_latencies, try_again, errors))

    threads = [
        threading.Thread(target=run, args=(jobs, job))
        for jobs, job in zip(jobs_per_thread, warmup, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(out)


def run_phase(url, jobs_per_client, warmup, processes, switch_interval=0.005):
    """Run the clients' job lists at once, each client after its warm-up job (user id, date
    id); returns (wall seconds, per-client results)."""
    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    groups = [
        (jobs_per_client[i::processes], warmup[i::processes], ready, go, results, switch_interval)
        for i in range(processes)
    ]
    workers = [
        ctx.Process(target=_client_process, args=(url, *group)) for group in groups if group[0]
    ]
    for worker in workers:
        worker.start()
    for _ in range(len(jobs_per_client)):
        ready.get(timeout=120)
    begin = time.perf_counter()
    go.set()
    collected = []
    for _ in workers:
        collected.extend(results.get(timeout=600))
    wall = time.perf_counter() - begin
    for worker in workers:
        worker.join()
    return wall, collected


def check_invariants(date_ids) -> dict:
    from collections import Counter

    from training.models import SEAT_STATUSES, CourseDate, Registration
    from training.selectors import waiting_queue, with_waiting_position

    over = free_while_waiting = gaps = 0
    for course_date in CourseDate.objects.filter(pk__in=date_ids):
        seats = list(Registration.objects.filter(course_date=course_date, status__in=SEAT_STATUSES))
        per = Counter(r.municipality_id for r in seats)
        over += max(0, len(seats) - course_date.capacity)
        limit = course_date.max_per_municipality
        if limit:
            over += sum(max(0, n - limit) for n in per.values())
        if len(seats) < course_date.capacity:
            for waiting in waiting_queue(course_date=course_date):
                if limit is None or per[waiting.municipality_id] < limit:
                    free_while_waiting += 1
        positions = sorted(
            with_waiting_position(
                Registration.objects.filter(course_date=course_date, status="waiting")
            ).values_list("waiting_position", flat=True)
        )
        gaps += int(positions != list(range(1, len(positions) + 1)))
    return {"over": over, "free": free_while_waiting, "gaps": gaps}


def _percentile(values, q):
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def report(title, wall, collected, key=0):
    latencies = [x for result in collected for x in result[key]]
    try_again = sum(result[2] for result in collected)
    errors = sum(result[3] for result in collected)
    rate = len(latencies) / wall if wall else 0
    ms = [x * 1000 for x in latencies]
    print(f"{title}: {len(latencies)} in {wall:.2f} s = {rate:.0f}/s")
    print(
        f"  latency p50 {_percentile(ms, 50):.1f} ms, p95 {_percentile(ms, 95):.1f} ms, "
        f"p99 {_percentile(ms, 99):.1f} ms, max {max(ms, default=0):.1f} ms, "
        f"mean {statistics.fmean(ms) if ms else 0:.1f} ms"
    )
    print(f"  'Bitte erneut versuchen' (lock timeout): {try_again}, other refusals: {errors}")
    return rate, _percentile(ms, 99)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=40)
    parser.add_argument("--dates", type=int, default=2)
    parser.add_argument("--capacity", type=int, default=300)
    parser.add_argument("--max-per-municipality", type=int, default=12)
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--keep", action="store_true", help="reuse the bench database")
    parser.add_argument(
        "--switch-interval",
        type=float,
        default=0.005,
        help="sys.setswitchinterval of the client processes (Python's default 0.005 s)",
    )
    args = parser.parse_args()

    url = _bench_database_url()
    _create_database(url, fresh=not args.keep)
    _setup_env(url)
    people = args.clients * args.per_client
    world = prepare(
        people=people,
        dates=args.dates,
        capacity=args.capacity,
        max_per_municipality=args.max_per_municipality,
        warmup=args.clients,
    )
    from django.db import connections

    connections.close_all()
    rng = random.Random(42)
    user_ids, date_ids = world["user_ids"], world["date_ids"]
    print(
        f"registration race: {args.clients} concurrent clients in {args.processes} processes, "
        f"{people} people, {args.dates} dates × {args.capacity} seats "
        f"(≤ {args.max_per_municipality} per municipality), PostgreSQL {DB_NAME}"
    )

    # Phase 1: everybody registers for one of the dates.
    assigned = {uid: rng.choice(date_ids) for uid in user_ids}
    jobs = [
        [("register", uid, assigned[uid]) for uid in user_ids[c :: args.clients]]
        for c in range(args.clients)
    ]
    warmup = [(uid, world["warmup_date_id"]) for uid in world["warmup_user_ids"]]
    wall, collected = run_phase(url, jobs, warmup, args.processes, args.switch_interval)
    rate, p99 = report("registrations", wall, collected)

    # Phase 2: cancellations (with promotion) interleaved with new registrations for the other date.
    mixed = []
    for c in range(args.clients):
        mine = user_ids[c :: args.clients]
        chosen = rng.sample(mine, k=min(len(mine), 10))
        jobs_c = []
        for uid in chosen:
            jobs_c.append(("cancel", uid, assigned[uid]))
            other = rng.choice([d for d in date_ids if d != assigned[uid]] or date_ids)
            jobs_c.append(("register", uid, other))
        rng.shuffle(jobs_c)
        mixed.append(jobs_c)
    wall2, collected2 = run_phase(url, mixed, warmup, args.processes, args.switch_interval)
    report("mixed: registrations", wall2, collected2, key=0)
    report("mixed: cancellations (with promotion)", wall2, collected2, key=1)

    import django  # noqa: F401 - set up by prepare()

    result = check_invariants(date_ids)
    print(f"over capacity: {result['over']}")
    print(f"free seat while a fitting person waits: {result['free']}")
    print(f"waiting-list gaps: {result['gaps']}")
    ok = (
        rate >= TARGET_RATE
        and p99 <= TARGET_P99_MS
        and result["over"] == 0
        and result["free"] == 0
        and result["gaps"] == 0
    )
    print(
        f"targets (≥ {TARGET_RATE}/s, p99 ≤ {TARGET_P99_MS} ms, over capacity 0): "
        f"{'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
