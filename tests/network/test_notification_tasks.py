"""A new post's notifications and their e-mails are a task of the worker (network.tasks), on the
database task backend as production runs it: enqueued with the post, run once."""

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from network.models import Notification
from network.services.forums import post_create
from network.tasks import announce_post
from tests.factories import ForumCategoryFactory, forum_topic, member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def announcements():
    return DBTaskResult.objects.filter(task_path="network.tasks.announce_post")


def test_a_reply_tells_the_topic_author_through_the_worker_once():
    category = ForumCategoryFactory()
    author, replier = member(name="Anna Autorin"), member(name="Rudi Antwort")
    topic = forum_topic(category, author)
    announcements().delete()  # the topic's own first post told nobody else

    post = post_create(topic=topic, author=replier, body="Bei uns über die Hebammen.")
    # The request only enqueued the fan-out.
    assert announcements().count() == 1
    assert not Notification.objects.filter(post=post).exists()
    assert mail.outbox == []

    run_worker()  # the fan-out, then the mail it queued
    notification = Notification.objects.get(post=post)
    assert notification.user == author
    assert [m.to for m in mail.outbox] == [[author.email]]

    # Run again (a retry, an admin's "run again"): nobody is told twice.
    assert announce_post.call(post.pk) == 0
    run_worker()
    assert Notification.objects.filter(post=post).count() == 1
    assert len(mail.outbox) == 1


def test_a_rolled_back_post_tells_nobody():
    category = ForumCategoryFactory()
    author, replier = member(), member()
    topic = forum_topic(category, author)
    announcements().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        post_create(topic=topic, author=replier, body="Gleich wieder weg.")
        raise RuntimeError("rolled back")
    assert not announcements().exists()
    run_worker()
    assert not Notification.objects.exists()
    assert mail.outbox == []
