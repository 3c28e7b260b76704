"""Requests per second of every public and every member page over HTTP, next to the bare view.

    BENCH_BARE_VIEW=1 PORT=8090 make prod          # in another terminal, with your DATABASE_URL
    .venv/bin/python bench/pages.py --url http://127.0.0.1:8090 [--seconds 8] [--connections 16]
    .venv/bin/python bench/pages.py --embedded     # make run's default, started here

On the production topology (nginx, gunicorn, PostgreSQL, Redis; the same DATABASE_URL as the
server) or, with --embedded, on `manage.py runserver` (daphne, one process) on a fresh SQLite
database with the demo data. Adds a topic of 50 posts to the demo forums if there is none, logs
the demo staff member (fachkraft@dortmund.example) in through the login form, then drives each
page with N keep-alive connections for S seconds (after 2 s of warm-up) and prints requests/s,
p50/p95/p99 and the ratio to /bench/bare (measured before and after, averaged).
Targets: public pages anonymous ≥ 0.8, member pages logged in ≥ 0.3.
"""

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.httpload import (
    BARE,
    DEMO_PASSWORD,
    Client,
    EmbeddedServer,
    django_shell,
    figures,
    line,
    load_line,
)

TARGETS = {"anonymous": 0.8, "member": 0.3}
MEMBER = "fachkraft@dortmund.example"

PREPARE = r"""
import json
from cms.models import CurriculumIndexPage, ModulePage, NewsIndexPage
from core.models import User
from events.services import room_ensure_defaults
from events.models import Room
from network.forums.models import ForumCategory, Topic
from network.forums.services.posts import post_create
from network.forums.services.topics import topic_create
from training.selectors import course_dates_filtered

TITLE = "Bench: ein Thema mit 50 Beiträgen"
topic = Topic.objects.filter(title=TITLE).first()
if topic is None:
    authors = list(User.objects.filter(email__in=["fachkraft@dortmund.example",
        "koordination@dortmund.example", "koordination@koeln.example"]))
    topic = topic_create(category=ForumCategory.objects.get(slug="datenbasis-und-monitoring"),
                         author=authors[0], title=TITLE, body="Wie messt ihr **Wirkung**?")
    for i in range(49):
        post_create(topic=topic, author=authors[(i + 1) % len(authors)],
                    body=f"Beitrag {i}: Wir nutzen *Indikatoren* aus der Sozialberichterstattung."
                         "\n\n> Zitat aus einem früheren Beitrag\n\n- Punkt eins\n- Punkt zwei")
room_ensure_defaults()
print(json.dumps({
    "curriculum": CurriculumIndexPage.objects.live().first().url,
    "module": ModulePage.objects.live().order_by("number").first().url,
    "date": course_dates_filtered().first().get_absolute_url(),
    "news": NewsIndexPage.objects.live().first().url,
    "topic": f"/netzwerk/thema/{topic.pk}/", "posts": topic.posts.count(),
    "room": f"/board/{Room.objects.order_by('pk').first().slug}/",
}))
"""


async def _drive(url, path, cookies, seconds, connections):
    """N connections each sending GET `path` back to back until time is up."""
    latencies, bad = [], []

    async def one():
        client = Client(url)
        client.cookies = dict(cookies)
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            started = time.perf_counter()
            status, _headers, _body = await client.request("GET", path)
            latencies.append(time.perf_counter() - started)
            if status != 200:
                bad.append(status)
        client.close()

    start = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(connections)))
    result = figures(latencies, time.perf_counter() - start)
    if bad:
        raise RuntimeError(f"GET {path}: {len(bad)} answers were not 200 (e.g. {bad[0]})")
    return result


def measure(url, path, cookies, seconds, connections) -> dict:
    asyncio.run(_drive(url, path, cookies, 2.0, connections))  # warm-up
    return asyncio.run(_drive(url, path, cookies, seconds, connections))


async def _member_cookies(url) -> dict:
    client = Client(url)
    await client.login(MEMBER, DEMO_PASSWORD)
    client.close()
    return client.cookies


def run(url: str, env: dict | None, topology: str, seconds: float, connections: int) -> bool:
    data = django_shell(PREPARE, env)
    cookies = asyncio.run(_member_cookies(url))
    pages = {
        "anonymous": [("home", "/"), ("curriculum", data["curriculum"]),
                      ("module", data["module"]), ("course catalogue", "/fortbildung/"),
                      ("date page", data["date"]), ("news", data["news"]),
                      ("search", "/suche/?q=Pr%C3%A4ventionskette")],
        "member": [("dashboard", "/mein-bereich/"), ("my training", "/fortbildung/meine/"),
                   ("forum categories", "/netzwerk/foren/"),
                   (f"topic, {data['posts']} posts", data["topic"]),
                   ("practice examples", "/netzwerk/praxisbeispiele/"),
                   ("board room", data["room"])],
    }  # fmt: skip
    print(f"\n{topology}: {url}, {connections} connections, {seconds:.0f} s a page; {load_line()}")
    bare_before = measure(url, BARE, {}, seconds, connections)
    print(line("bare view (before)", bare_before), flush=True)
    results = []
    for who, paths in pages.items():
        for name, path in paths:
            jar = cookies if who == "member" else {}
            results.append((who, name, measure(url, path, jar, seconds, connections)))
    bare_after = measure(url, BARE, {}, seconds, connections)
    print(line("bare view (after)", bare_after))
    bare_rps = (bare_before["rps"] + bare_after["rps"]) / 2
    met = True
    for who, name, result in results:
        ratio = result["rps"] / bare_rps
        ok = ratio >= TARGETS[who]
        met &= ok
        mark = "" if ok else f" < {TARGETS[who]} MISSED"
        print(line(f"{name} ({who})", result, f"  ratio {ratio:.2f}{mark}"))
    print(f"targets (anonymous ≥ {TARGETS['anonymous']}, member ≥ {TARGETS['member']}): "
          f"{'met' if met else 'NOT met'}; {load_line()}")  # fmt: skip
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="make prod's address")
    parser.add_argument("--embedded", action="store_true", help="measure make run's default")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if args.embedded:
        with EmbeddedServer() as server:
            met = run(server.url, server.env, "embedded (runserver/daphne, SQLite)",
                      args.seconds, args.connections)  # fmt: skip
    else:
        met = run(args.url, None, "production topology (nginx, gunicorn, PostgreSQL, Redis)",
                  args.seconds, args.connections)  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
