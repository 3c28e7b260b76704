"""A mention, a reply and a watched topic each produce exactly one notification and the chosen
e-mail (immediately or in the digest), never for someone who may not read the topic."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from network.forums.models import (
    EmailMode,
    EmailState,
    ForumModerator,
    Notification,
    NotificationKind,
    WatchLevel,
)
from network.forums.services import notifications as notes
from network.forums.services.mentions import mention_handle_set
from network.forums.services.moderation import post_hide, post_report, report_decide
from network.forums.services.posts import post_create
from network.forums.services.watching import category_watch_set, topic_watch_set
from tests.factories import ForumCategoryFactory, coordinator, forum_topic, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(channel_events):
    return channel_events


def _handle(user, handle):
    mention_handle_set(user=user, handle=handle)
    return user


def test_a_mention_notifies_once_and_mails_at_once(
    django_capture_on_commit_callbacks, mailoutbox, events
):
    topic = forum_topic()
    dana = _handle(member(email="dana@dortmund.example"), "dana")
    writer = member()
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(topic=topic, author=writer, body="Frage an @dana und @Dana.")
    notifications = list(Notification.objects.filter(user=dana))
    assert len(notifications) == 1
    assert notifications[0].kind == NotificationKind.MENTION
    assert notifications[0].post == post
    assert [m.to for m in mailoutbox if "dana@dortmund.example" in m.to] == [
        ["dana@dortmund.example"]
    ]
    assert ("user." + str(dana.pk), {"type": "notification.new", "unread": 1}) in events
    assert (
        f"topic.{topic.pk}",
        {"type": "topic.post", "post_id": post.pk, "topic_id": topic.pk},
    ) in events


def test_a_reply_notifies_the_topic_author_once(django_capture_on_commit_callbacks, mailoutbox):
    topic = forum_topic()  # the author watches their own topic: still one notification
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=member(), body="Antwort")
    notifications = list(Notification.objects.filter(user=topic.author))
    assert [n.kind for n in notifications] == [NotificationKind.REPLY]
    assert len([m for m in mailoutbox if topic.author.email in m.to]) == 1


def test_a_quote_notifies_the_quoted_author(django_capture_on_commit_callbacks):
    topic = forum_topic()
    first_reply = post_create(topic=topic, author=member(), body="Erste Antwort")
    post_create(topic=topic, author=member(), body="> zitiert", reply_to=first_reply)
    assert (
        Notification.objects.filter(user=first_reply.author, kind=NotificationKind.REPLY).count()
        == 1
    )


def test_a_watched_topic_notifies_the_watcher_once(django_capture_on_commit_callbacks, mailoutbox):
    topic = forum_topic()
    watcher = member()
    topic_watch_set(topic=topic, user=watcher, level=WatchLevel.WATCHING)
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=member(), body="Neues")
    assert [n.kind for n in Notification.objects.filter(user=watcher)] == [NotificationKind.WATCHED]
    assert len([m for m in mailoutbox if watcher.email in m.to]) == 1


def test_a_watched_category_notifies_about_new_topics_and_posts():
    category = ForumCategoryFactory()
    watcher = member()
    category_watch_set(category=category, user=watcher, level=WatchLevel.WATCHING)
    topic = forum_topic(category)
    post_create(topic=topic, author=member(), body="Antwort")
    assert Notification.objects.filter(user=watcher, kind=NotificationKind.WATCHED).count() == 2


def test_mention_and_watch_and_reply_together_make_one_notification():
    topic = forum_topic()
    _handle(topic.author, "autorin")
    topic_watch_set(topic=topic, user=topic.author, level=WatchLevel.WATCHING)
    post_create(topic=topic, author=member(), body="@autorin schau mal")
    assert [n.kind for n in Notification.objects.filter(user=topic.author)] == [
        NotificationKind.MENTION
    ]


def test_muted_topic_stays_silent():
    topic = forum_topic()
    topic_watch_set(topic=topic, user=topic.author, level=WatchLevel.MUTED)
    post_create(topic=topic, author=member(), body="Antwort")
    assert not Notification.objects.filter(user=topic.author).exists()


def test_no_notification_for_someone_who_may_not_read_the_topic(
    django_capture_on_commit_callbacks, mailoutbox
):
    category = ForumCategoryFactory(visibility="coordinators")
    topic = forum_topic(category, coordinator())
    fachkraft = _handle(member(), "fachkraft")
    outsider_watcher = member()
    # Someone who watched the category while they could read it (e.g. a former moderator).
    ForumModerator.objects.create(user=outsider_watcher, category=category)
    category_watch_set(category=category, user=outsider_watcher, level=WatchLevel.WATCHING)
    ForumModerator.objects.filter(user=outsider_watcher).delete()
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=coordinator(), body="@fachkraft bitte lesen")
    assert not Notification.objects.filter(user__in=[fachkraft, outsider_watcher]).exists()
    assert not [m for m in mailoutbox if fachkraft.email in m.to or outsider_watcher.email in m.to]


def test_no_notification_for_own_posts_or_held_posts():
    category = ForumCategoryFactory(hold_first_posts=True)
    topic = forum_topic(category, coordinator())
    post_create(topic=topic, author=topic.author, body="Nachtrag")
    assert not Notification.objects.filter(user=topic.author).exists()
    newcomer = member()
    held = post_create(topic=topic, author=newcomer, body="Erster Beitrag")
    assert held.status == "held"
    assert not Notification.objects.filter(user=topic.author).exists()


def test_digest_instead_of_immediate_mail(django_capture_on_commit_callbacks, mailoutbox):
    topic = forum_topic()
    notes.notification_settings_set(user=topic.author, email_mode=EmailMode.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=member(), body="Eins")
        post_create(topic=topic, author=member(), body="Zwei")
    assert not [m for m in mailoutbox if topic.author.email in m.to]
    assert (
        Notification.objects.filter(user=topic.author, email_state=EmailState.PENDING).count() == 2
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    digests = [m for m in mailoutbox if topic.author.email in m.to]
    assert len(digests) == 1
    assert "2" in digests[0].subject
    # Run again an hour later: nothing twice, and a new notification waits for tomorrow.
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=member(), body="Drei")
        notes.digests_send(now=timezone.now() + timedelta(hours=1))
    assert len([m for m in mailoutbox if topic.author.email in m.to]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        notes.digests_send(now=timezone.now() + timedelta(hours=24))
    assert len([m for m in mailoutbox if topic.author.email in m.to]) == 2
    assert not Notification.objects.filter(email_state=EmailState.PENDING).exists()


def test_no_email_when_chosen(django_capture_on_commit_callbacks, mailoutbox):
    topic = forum_topic()
    notes.notification_settings_set(user=topic.author, email_mode=EmailMode.NONE)
    with django_capture_on_commit_callbacks(execute=True):
        post_create(topic=topic, author=member(), body="Antwort")
    assert Notification.objects.filter(user=topic.author).count() == 1
    assert not [m for m in mailoutbox if topic.author.email in m.to]


def test_moderation_outcomes_notify():
    from tests.factories import StaffFactory

    topic = forum_topic()
    reply = post_create(topic=topic, author=member(), body="heikel")
    reporter = member()
    report = post_report(post=reply, by=reporter, reason="persönliche Daten")
    staff = StaffFactory()
    post_hide(post=reply, by=staff, reason="persönliche Daten")
    report_decide(report=report, by=staff, reason="ausgeblendet", resolved=True)
    assert Notification.objects.filter(user=reply.author, kind="moderation").count() == 1
    assert Notification.objects.filter(user=reporter, kind="moderation").count() == 1


def test_mark_read_only_own():
    topic = forum_topic()
    post_create(topic=topic, author=member(), body="Antwort")
    note = Notification.objects.get(user=topic.author)
    stranger = member()
    assert notes.notification_mark_read(user=stranger, notification_id=note.pk) == 0
    assert notes.notification_mark_read(user=topic.author, notification_id=note.pk) == 1
