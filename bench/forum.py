"""Benchmark of the forum pages under concurrent load, next to a bare Django view.

    .venv/bin/python bench/forum.py [--seconds 8] [--connections 16]

Builds a throw-away SQLite database (or uses DATABASE_URL) with the demo forums, one topic of
50 posts by members of several municipalities, and a logged-in member; starts uvicorn (one
worker) on config.asgi with bench/pages_site.py as settings (the project's URLs plus a bare view
rendering a trivial template), and drives it with N keep-alive connections (the HTTP client and
server of bench/pages.py). Prints requests per second, p50/p95/p99 latency of the 50-post topic
page and the category list, and `ratio N.NN` to the bare view (measured before and after,
averaged). Target: ≥ 0.2 for both.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import Server, _free_port, measure  # noqa: E402

TARGET = 0.2


def prepare(env: dict) -> dict:
    code = r"""
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from django.test import Client
from network import demo
from network.forums import demo as forums_demo
from network.practice import demo as practice_demo
from network.models import Municipality
from network.forums.models import ForumCategory
from network.forums.services.posts import post_create
from network.forums.services.topics import topic_create
from tests.factories import member
demo.load(password="bench-passwort-123", log=lambda m: None)
forums_demo.load(password="bench-passwort-123", log=lambda m: None)
practice_demo.load(password="bench-passwort-123", log=lambda m: None)
towns = list(Municipality.objects.order_by("pk")[:5])
authors = [member(towns[i % 5], email=f"bench-author{i}@kommune.example") for i in range(10)]
category = ForumCategory.objects.get(slug="datenbasis-und-monitoring")
topic = topic_create(category=category, author=authors[0], title="Bench: 50 Beiträge",
                     body="Wie messt ihr **Wirkung**?")
for i in range(49):
    post_create(topic=topic, author=authors[(i + 1) % 10],
                body=f"Beitrag {i}: Wir nutzen *Indikatoren* aus der Sozialberichterstattung.\n\n"
                     f"> Zitat aus einem früheren Beitrag\n\n- Punkt eins\n- Punkt zwei")
reader = member(towns[0], email="bench-reader@kommune.example")
client = Client()
client.force_login(reader)
print(json.dumps({"cookie": "sessionid=" + client.cookies["sessionid"].value,
                  "topic": f"/netzwerk/thema/{topic.pk}/", "posts": topic.posts.count()}))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        sys.exit(f"preparing the database failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="kinderstark-bench-forum-"))
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
        print(f"uvicorn, 1 worker, {args.connections} connections, {args.seconds:.0f} s each; "
              f"topic of {data['posts']} posts\n")  # fmt: skip
        bare_before = measure(port, "/bench/bare/", None, args.seconds, args.connections)
        results = [
            (name, measure(port, path, data["cookie"], args.seconds, args.connections))
            for name, path in (
                ("topic page, 50 posts (member)", data["topic"]),
                ("category list (member)", "/netzwerk/foren/"),
            )
        ]
        bare_after = measure(port, "/bench/bare/", None, args.seconds, args.connections)
        bare_rps = (bare_before["rps"] + bare_after["rps"]) / 2

        def line(label, r, ratio=None):
            text = (f"{label:<32} {r['rps']:8.1f} req/s  p50 {r['p50']:6.1f} ms  "
                    f"p95 {r['p95']:6.1f} ms  p99 {r['p99']:6.1f} ms")  # fmt: skip
            return text + (f"  ratio {ratio:.2f}" if ratio is not None else "")

        print(line("bare view (before)", bare_before))
        print(line("bare view (after)", bare_after))
        failed = False
        for name, r in results:
            ratio = r["rps"] / bare_rps
            failed |= ratio < TARGET
            print(line(name, r, ratio) + ("" if ratio >= TARGET else f"  < {TARGET}"))
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
