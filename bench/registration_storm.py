"""Registration storm over HTTP: many people register for one course date at once, through nginx.

    BENCH_BARE_VIEW=1 PORT=8090 make prod          # in another terminal, with your DATABASE_URL
    .venv/bin/python bench/registration_storm.py --url http://127.0.0.1:8090 [--people 120]
        [--late 40] [--capacity 60] [--maximum 3] [--municipalities 30]

Prepares in the server's database (same DATABASE_URL, `manage.py shell`) a new course date with
C seats and at most M per municipality, and N + L new people with verified e-mail addresses and
approved memberships spread over K municipalities. Every person has a connection of its own from
an address of its own (127.0.x.y), logs in through the login form and opens the date's page for
its CSRF token. Then:
1. the N people POST the register form at the same moment;
2. L of them holding a seat POST "cancel" (which promotes from the waiting list) while the L late
   people POST the register form, all at once.
Before each burst the task workers finish the mails of the burst before (or of an earlier run),
and the same connections GET /bench/bare at the same concurrency (3 rounds), the yardstick for
the POSTs' latency. Prints POSTs/s, p50/p95/p99, the answers' status codes, under each figure the
CPU milliseconds per request that each kind of process on the machine spent meanwhile
(gunicorn, PostgreSQL, the task workers, nginx, this client …), and from the database: seats
over capacity, over the municipality maximum, free seats while a fitting person waits. Targets:
0 over capacity, 0 over the maximum, 0 5xx, register p99 ≤ 3 × the bare view's p99 at the same
concurrency.
"""

import argparse
import asyncio
import re
import sys
import time
from collections import Counter
from itertools import zip_longest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.httpload import (
    BARE,
    CSRF_RE,
    Client,
    cpu_by_group,
    cpu_line,
    django_shell,
    figures,
    line,
    load_line,
    source_address,
)

PASSWORD = "bench-storm-passwort"  # noqa: S105 - throw-away bench people
P99_FACTOR = 3
CANCEL_RE = re.compile(rb'action="(/fortbildung/anmeldungen/\d+/abmelden/)"')

PREPARE = r"""
import json, secrets
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from core.models import User
from network.models import Membership, MembershipRole, MembershipStatus, Municipality
from training.models import Course, CourseDate

PEOPLE, CAPACITY, MAXIMUM, TOWNS, PASSWORD = {people}, {capacity}, {maximum}, {towns}, {password!r}
towns = [Municipality.objects.get_or_create(slug=f"bench-{{i}}", defaults=dict(
    name=f"Bench-Kommune {{i}}", kind="kreisfreie_stadt", region="LWL" if i % 2 else "LVR",
    municipality_key=f"99{{i:06d}}", cohort=1, active=True))[0] for i in range(TOWNS)]
tag, hashed = secrets.token_hex(3), make_password(PASSWORD)
users = User.objects.bulk_create([User(email=f"person{{i}}-{{tag}}@bench.example",
    name=f"Person {{i}}", password=hashed) for i in range(PEOPLE)])
EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, verified=True, primary=True)
    for u in users])
Membership.objects.bulk_create([Membership(user=u, municipality=towns[i % TOWNS],
    role=MembershipRole.STAFF, status=MembershipStatus.APPROVED) for i, u in enumerate(users)])
start = timezone.now() + timedelta(days=60)
date = CourseDate.objects.create(course=Course.objects.order_by("pk").first(), start=start,
    end=start + timedelta(hours=6), capacity=CAPACITY, max_per_municipality=MAXIMUM)
print(json.dumps({{"path": date.get_absolute_url(), "pk": date.pk,
                  "emails": [u.email for u in users]}}))
"""

CHECK = r"""
import json
from collections import Counter
from training.models import SEAT_STATUSES, CourseDate, Registration
from training.selectors import waiting_queue
date = CourseDate.objects.get(pk={pk})
seats = Counter(Registration.objects.filter(course_date=date, status__in=SEAT_STATUSES)
                .values_list("municipality_id", flat=True))
taken = sum(seats.values())
fitting = [r for r in waiting_queue(course_date=date)
           if seats[r.municipality_id] < date.max_per_municipality]
print(json.dumps({{"seats": taken, "capacity": date.capacity,
    "waiting": Registration.objects.filter(course_date=date, status="waiting").count(),
    "over_capacity": max(0, taken - date.capacity),
    "over_maximum": sum(max(0, n - date.max_per_municipality) for n in seats.values()),
    "free_while_waiting": len(fitting) if taken < date.capacity else 0}}))
"""


QUIET = r"""
import json, time
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
started = time.monotonic()
def due():
    return DBTaskResult.objects.filter(status="READY").filter(
        Q(run_after__isnull=True) | Q(run_after__lte=timezone.now())).count()
while due() and time.monotonic() - started < {seconds}:
    time.sleep(1)
print(json.dumps({{"waited": round(time.monotonic() - started), "left": due()}}))
"""


def quiet() -> None:
    """Waits until the task workers have nothing due. The mails of an earlier burst (or run),
    sent at low priority, take the CPU the web processes leave between their queries, and
    PostgreSQL's for the mails' rows: each burst starts where the first one does, with the
    bare view measured right before it; its own mails are sent while it runs."""
    waited = django_shell(QUIET.format(seconds=180))
    print(f"task workers idle after {waited['waited']} s ({waited['left']} tasks still due)")


async def gated(semaphore, coroutine):
    async with semaphore:
        return await coroutine


async def burst(requests) -> tuple[dict, Counter]:
    """Sends every (client, method, path, form) at the same moment; figures and status codes."""
    latencies, statuses = [], Counter()

    async def one(client, method, path, form):
        started = time.perf_counter()
        status, _headers, _body = await client.request(method, path, form)
        latencies.append(time.perf_counter() - started)
        statuses[status] += 1

    cpu, start = cpu_by_group(), time.perf_counter()
    await asyncio.gather(*(one(*request) for request in requests))
    result = figures(latencies, time.perf_counter() - start), statuses
    print(cpu_line(cpu, cpu_by_group(), len(requests)))
    return result


async def bare(clients, rounds=3) -> dict:
    """/bench/bare from the same connections at the same concurrency, `rounds` bursts pooled."""
    latencies, elapsed, cpu = [], 0.0, cpu_by_group()
    for _ in range(rounds):
        round_latencies = []

        async def one(client, out=round_latencies):
            started = time.perf_counter()
            status, _headers, _body = await client.request("GET", BARE)
            out.append(time.perf_counter() - started)
            if status != 200:
                raise RuntimeError(f"{BARE}: {status} (is BENCH_BARE_VIEW=1 set?)")

        start = time.perf_counter()
        await asyncio.gather(*(one(c) for c in clients))
        elapsed += time.perf_counter() - start
        latencies += round_latencies
    print(cpu_line(cpu, cpu_by_group(), len(latencies)))
    return figures(latencies, elapsed)


def register_form(page: bytes) -> dict:
    return {"csrfmiddlewaretoken": CSRF_RE.search(page).group(1).decode(), "notes": ""}


async def storm(args, world) -> bool:
    path, people, late = world["path"], args.people, args.late
    clients = [Client(args.url, source_address(i)) for i in range(people + late)]
    gate = asyncio.Semaphore(8)  # logins are not measured; their hashing would swamp the server
    await asyncio.gather(*(gated(gate, c.login(e, PASSWORD))
                           for c, e in zip(clients, world["emails"], strict=True)))  # fmt: skip
    pages = await asyncio.gather(*(gated(gate, c.get_form(path)) for c in clients))
    first, rest = clients[:people], clients[people:]
    quiet()

    bare1 = await bare(first)
    print(line(f"bare view, {people} at once", bare1), flush=True)
    register, codes1 = await burst([(c, "POST", f"{path}anmelden/", register_form(p))
                                    for c, p in zip(first, pages, strict=False)])  # fmt: skip
    print(line(f"register, {people} at once", register, f"  answers {dict(codes1)}"), flush=True)

    # Who holds a seat now sees the cancel form on the date's page, as the browser shows it.
    pages = await asyncio.gather(*(gated(gate, c.get_form(path)) for c in clients))
    holders = [(c, p) for c, p in zip(first, pages, strict=False) if CANCEL_RE.search(p)]
    cancellers = holders[:late]
    late_pages = pages[people:]
    mixed = [c for c, _p in cancellers] + rest
    quiet()
    bare2 = await bare(mixed)
    print(line(f"bare view, {len(mixed)} at once", bare2), flush=True)
    requests = [(c, "POST", CANCEL_RE.search(p).group(1).decode(), register_form(p))
                for c, p in cancellers]  # fmt: skip
    requests += [(c, "POST", f"{path}anmelden/", register_form(p))
                 for c, p in zip(rest, late_pages, strict=True)]  # fmt: skip
    # Cancellations and registrations interleaved, so neither kind goes first.
    pairs = zip_longest(requests[: len(cancellers)], requests[len(cancellers) :])
    requests = [r for pair in pairs for r in pair if r is not None]
    codes2, by_kind = await mixed_burst(requests)
    print(line(f"register, while {len(cancellers)} cancel", by_kind["register"]))
    print(line(f"cancel, while {len(rest)} register", by_kind["cancel"],
               f"  answers {dict(codes2)}"))  # fmt: skip
    for c in clients:
        c.close()

    check = django_shell(CHECK.format(pk=world["pk"]))
    fives = sum(n for codes in (codes1, codes2) for s, n in codes.items() if s >= 500)
    print(f"seats {check['seats']}/{check['capacity']}, waiting {check['waiting']}; "
          f"over capacity: {check['over_capacity']}, over the municipality maximum: "
          f"{check['over_maximum']}, free seat while a fitting person waits: "
          f"{check['free_while_waiting']}, 5xx: {fives}")  # fmt: skip
    limit1, limit2 = P99_FACTOR * bare1["p99"], P99_FACTOR * bare2["p99"]
    checks = {
        "0 over capacity": check["over_capacity"] == 0,
        "0 over the maximum": check["over_maximum"] == 0,
        "0 free seats while a fitting person waits": check["free_while_waiting"] == 0,
        "0 5xx": fives == 0,
        f"register p99 {register['p99']:.0f} ms ≤ 3 × bare {bare1['p99']:.0f} ms = {limit1:.0f} ms":
            register["p99"] <= limit1,
        f"register p99 while cancelling {by_kind['register']['p99']:.0f} ms ≤ 3 × bare "
        f"{bare2['p99']:.0f} ms = {limit2:.0f} ms": by_kind["register"]["p99"] <= limit2,
    }  # fmt: skip
    for name, ok in checks.items():
        print(f"  {'met   ' if ok else 'MISSED'} {name}")
    print(load_line())
    return all(checks.values())


async def mixed_burst(requests):
    """Like burst(), with figures per kind (register, cancel)."""
    latencies = {"register": [], "cancel": []}
    statuses = Counter()

    async def one(client, method, path, form):
        kind = "cancel" if path.endswith("abmelden/") else "register"
        started = time.perf_counter()
        status, _headers, _body = await client.request(method, path, form)
        latencies[kind].append(time.perf_counter() - started)
        statuses[status] += 1

    cpu, start = cpu_by_group(), time.perf_counter()
    await asyncio.gather(*(one(*request) for request in requests))
    elapsed = time.perf_counter() - start
    print(cpu_line(cpu, cpu_by_group(), len(requests)))
    by_kind = {kind: figures(values, elapsed) for kind, values in latencies.items()}
    return statuses, by_kind


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="make prod's address")
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--late", type=int, default=40, help="register while as many cancel")
    parser.add_argument("--capacity", type=int, default=60)
    parser.add_argument("--maximum", type=int, default=3, help="seats per municipality")
    parser.add_argument("--municipalities", type=int, default=30)
    args = parser.parse_args()
    world = django_shell(PREPARE.format(
        people=args.people + args.late, capacity=args.capacity, maximum=args.maximum,
        towns=args.municipalities, password=PASSWORD))  # fmt: skip
    print(f"registration storm at {args.url}: {args.people} people, then {args.late} cancel "
          f"while {args.late} register; {args.capacity} seats, ≤ {args.maximum} per "
          f"municipality, {args.municipalities} municipalities; {load_line()}")  # fmt: skip
    return 0 if asyncio.run(storm(args, world)) else 1


if __name__ == "__main__":
    sys.exit(main())
