"""CPU time of rendering the 50-post topic page in-process, warm and cold.

    DATABASE_URL=… REDIS_URL=… PYTHONPATH=. .venv/bin/python bench/topic_render.py [--runs 30]

Runs the real view through Django's test Client inside this process (no HTTP, no server), as
the demo staff member fachkraft@dortmund.example, on the database and cache the environment
names (the demo data must be loaded; adds the 50-post topic of bench/pages.py if missing).
Prints the median (wall clock, and the CPU time of this process alone, which the load of other
processes on the machine disturbs less) and p90 of `--runs` requests each: warm (the posts'
markup already cached) and cold (the page's cached post markup dropped before each request).
The figure to compare two versions of the code on one machine; bench/pages.py measures over
HTTP.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.signals import setting_changed  # noqa: E402

# Static URLs without the manifest, which only exists after collectstatic (as in the tests).
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)

from core.models import User  # noqa: E402
from network.forums.models import ForumCategory, Topic  # noqa: E402
from network.forums.selectors.posts import topic_posts_page  # noqa: E402
from network.forums.selectors.topics import topic_for_page  # noqa: E402
from network.forums.services.posts import post_create  # noqa: E402
from network.forums.services.topics import topic_create  # noqa: E402
from network.forums.views.post_fragments import post_fragment_key  # noqa: E402

TITLE = "Bench: ein Thema mit 50 Beiträgen"  # the topic of bench/pages.py
MEMBER = "fachkraft@dortmund.example"


def bench_topic() -> Topic:
    topic = Topic.objects.filter(title=TITLE).first()
    if topic is None:
        emails = [MEMBER, "koordination@dortmund.example", "koordination@koeln.example"]
        authors = list(User.objects.filter(email__in=emails))
        topic = topic_create(
            category=ForumCategory.objects.get(slug="datenbasis-und-monitoring"),
            author=authors[0],
            title=TITLE,
            body="Wie messt ihr **Wirkung**?",
        )
        for i in range(49):
            post_create(
                topic=topic,
                author=authors[(i + 1) % len(authors)],
                body=f"Beitrag {i}: Wir nutzen *Indikatoren* aus der Sozialberichterstattung."
                "\n\n> Zitat aus einem früheren Beitrag\n\n- Punkt eins\n- Punkt zwei",
            )
    return topic


def cached_post_keys(topic: Topic, user: User) -> list[str]:
    """The cache keys of the posts' markup that the page keeps for `user`."""
    topic = topic_for_page(topic_id=topic.pk, user=user)
    _page, posts = topic_posts_page(topic=topic, user=user, number=None)
    return [
        post_fragment_key(
            post=post,
            best_answer_id=topic.best_answer_id,
            is_moderator=False,  # the demo staff member of Dortmund
            language=settings.LANGUAGE_CODE,
            zone=settings.TIME_ZONE,
        )
        for post in posts
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    topic = bench_topic()
    user = User.objects.get(email=MEMBER)
    client = Client()
    client.force_login(user)
    keys = cached_post_keys(topic, user)
    url = f"/netzwerk/thema/{topic.pk}/"
    posts = topic.posts.count()

    def timed() -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'<article id="beitrag-') == min(posts, 50)
        return elapsed * 1000, cpu * 1000

    for _ in range(5):
        timed()
    # The keys are right: the page's posts are all in the cache now.
    assert len(cache.get_many(keys)) == len(keys) == min(posts, 50)
    warm = [timed() for _ in range(args.runs)]
    cold = []
    for _ in range(args.runs):
        cache.delete_many(keys)
        cold.append(timed())
    backend = "Redis" if os.environ.get("REDIS_URL") else "LocMem"
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"topic page, {posts} posts, {database} + {backend} cache, {args.runs} runs each")
    for name, runs in (("warm", warm), ("cold", cold)):
        wall, cpu = ([run[i] for run in runs] for i in (0, 1))
        print(
            f"  {name}: median {statistics.median(wall):.1f} ms"
            f" (CPU of this process {statistics.median(cpu):.1f} ms),"
            f" p90 {statistics.quantiles(wall, n=10)[-1]:.1f} ms"
        )


if __name__ == "__main__":
    main()
