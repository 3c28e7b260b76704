"""Moderation: pin, close, move, delete, hide, reports, the queue, and the log with who and why."""

import pytest
from django.urls import reverse

from network.exceptions import NotAllowed
from network.forums.exceptions import ReasonRequired
from network.forums.models import ModerationAction, ModerationLogEntry, PostReport, ReportStatus
from network.forums.selectors.moderation import moderation_open_reports
from network.forums.services.moderation import (
    post_delete,
    post_hide,
    post_report,
    report_decide,
    topic_moderate,
)
from network.forums.services.posts import post_create
from tests.factories import ForumCategoryFactory, StaffFactory, coordinator, forum_topic, member

pytestmark = pytest.mark.django_db


def test_every_topic_action_is_logged_with_who_and_why():
    staff = StaffFactory()
    topic = forum_topic()
    target = ForumCategoryFactory()
    for action, kwargs in [
        (ModerationAction.PIN, {}),
        (ModerationAction.UNPIN, {}),
        (ModerationAction.CLOSE, {}),
        (ModerationAction.OPEN, {}),
        (ModerationAction.MOVE, {"category": target}),
        (ModerationAction.DELETE_TOPIC, {}),
    ]:
        topic_moderate(topic=topic, by=staff, action=action, reason=f"Grund {action}", **kwargs)
    log = list(ModerationLogEntry.objects.filter(topic=topic).order_by("pk"))
    assert [e.action for e in log] == [
        "pin", "unpin", "close", "open", "move", "delete_topic"
    ]  # fmt: skip
    assert all(e.actor == staff and e.reason.startswith("Grund") for e in log)
    topic.refresh_from_db()
    assert topic.category == target and topic.is_deleted


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_reason_is_required(reason):
    topic = forum_topic()
    with pytest.raises(ReasonRequired):
        topic_moderate(topic=topic, by=StaffFactory(), action=ModerationAction.PIN, reason=reason)
    assert not ModerationLogEntry.objects.exists()


def test_hide_and_show_a_post():
    topic = forum_topic()
    post = topic.posts.get()
    staff = StaffFactory()
    post_hide(post=post, by=staff, reason="Beleidigung")
    post.refresh_from_db()
    assert post.is_hidden
    post_hide(post=post, by=staff, reason="geklärt", hidden=False)
    post.refresh_from_db()
    assert not post.is_hidden
    assert ModerationLogEntry.objects.filter(post=post).count() == 2


def test_moderator_deleting_someone_elses_post_needs_a_reason():
    topic = forum_topic()
    staff = StaffFactory()
    post = topic.posts.get()
    with pytest.raises(ReasonRequired):
        post_delete(post=post, by=staff)
    post_delete(post=post, by=staff, reason="Dublette")
    assert ModerationLogEntry.objects.get(post=post).action == "delete_post"


def test_report_once_with_reason_and_the_queue():
    category = ForumCategoryFactory()
    topic = forum_topic(category)
    post = topic.posts.get()
    reporter = member()
    with pytest.raises(ReasonRequired):
        post_report(post=post, by=reporter, reason="")
    with pytest.raises(NotAllowed):
        post_report(post=post, by=topic.author, reason="eigener")
    first = post_report(post=post, by=reporter, reason="Werbung")
    assert post_report(post=post, by=reporter, reason="nochmal") == first
    staff = StaffFactory()
    assert list(moderation_open_reports(user=staff)) == [first]
    # An appointed moderator of another category does not see it.
    other_mod = member()
    from network.forums.models import ForumModerator

    ForumModerator.objects.create(user=other_mod, category=ForumCategoryFactory())
    assert list(moderation_open_reports(user=other_mod)) == []
    with pytest.raises(NotAllowed):
        report_decide(report=first, by=other_mod, reason="x", resolved=False)
    report_decide(report=first, by=staff, reason="kein Verstoß", resolved=False)
    first.refresh_from_db()
    assert first.status == ReportStatus.DISMISSED
    assert ModerationLogEntry.objects.filter(action="dismiss_report", actor=staff).exists()


def test_moderation_views_refuse_members(client):
    topic = forum_topic()
    client.force_login(coordinator())
    assert client.get(reverse("network:moderation")).status_code == 403
    assert client.get(reverse("network:topic_moderate", args=[topic.pk])).status_code == 403
    response = client.post(
        reverse("network:topic_moderate", args=[topic.pk]), {"action": "pin", "reason": "x"}
    )
    assert response.status_code == 403
    topic.refresh_from_db()
    assert not topic.is_pinned


def test_staff_without_second_factor_are_sent_to_set_it_up(client):
    client.force_login(StaffFactory(second_factor=False))
    response = client.get(reverse("network:moderation"))
    assert response.status_code == 302
    assert "/konto/2fa/" in response["Location"] or "totp" in response["Location"]


def test_appointed_moderator_uses_the_queue_and_the_topic_form(client):
    from network.forums.models import ForumModerator

    category = ForumCategoryFactory()
    topic = forum_topic(category)
    mod = member()
    ForumModerator.objects.create(user=mod, category=category)
    reply = post_create(topic=topic, author=member(), body="Spam")
    PostReport.objects.create(post=reply, reporter=member(), reason="Spam")
    client.force_login(mod)
    response = client.get(reverse("network:moderation"))
    assert response.status_code == 200
    assert "Spam" in response.content.decode()
    response = client.post(
        reverse("network:topic_moderate", args=[topic.pk]),
        {"action": "close", "reason": "erledigt"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_closed
