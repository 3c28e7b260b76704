"""Member-only URLs of the forums and notifications, and the Wagtail admin's forum pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from network.forums.models import ForumCategory, Notification, Topic
from network.forums.services.mentions import mention_handle_set
from network.forums.services.posts import post_create
from tests.authz import AuthzCase
from tests.factories import ForumCategoryFactory, forum_topic

PDF = b"%PDF-1.7\n%%EOF\n"


def _topic(world) -> Topic:
    return world.get(
        "forum_topic",
        lambda w: forum_topic(
            ForumCategoryFactory(name="Frühe Hilfen", slug="fruehe-hilfen"),
            w.dortmund_staff,
            files=[SimpleUploadedFile("plan.pdf", PDF)],
        ),
    )


def _category_unchanged(world) -> None:
    category = ForumCategory.objects.get(pk=_topic(world).category_id)
    assert (category.name, category.slug) == ("Frühe Hilfen", "fruehe-hilfen")


def _post(world):
    return _topic(world).posts.get(number=1)


def _reply(world):
    """A reply by Dortmund's coordinator, so the topic's author has a notification."""
    return world.get(
        "forum_reply",
        lambda w: post_create(
            topic=_topic(w), author=w.dortmund_coordinator, body="Antwort aus Dortmund"
        ),
    )


def _notification(world):
    _reply(world)
    return Notification.objects.filter(user=world.dortmund_staff).first()


def _handle(world) -> str:
    return world.get(
        "dortmund_staff_handle",
        lambda w: mention_handle_set(user=w.dortmund_staff, handle="fachkraft-do"),
    ).handle


def _coordinators_category(world) -> ForumCategory:
    return world.get(
        "coordinators_category",
        lambda w: ForumCategoryFactory(
            name="Koordination", slug="koordination", visibility="coordinators"
        ),
    )


def _post_unchanged(world):
    post = _post(world)
    post.refresh_from_db()
    assert post.helpful_count == 0 and not post.is_deleted and not post.edited_at


def _post_not_hidden(world):
    post = _post(world)
    post.refresh_from_db()
    assert not post.is_hidden


def _no_new_post(world):
    assert _topic(world).posts.count() == 1


def _topic_unchanged(world):
    topic = Topic.objects.get(pk=_topic(world).pk)
    assert topic.best_answer_id is None and not topic.is_pinned and not topic.is_closed


def _u(name, *args):
    from django.urls import reverse

    return reverse(f"network:{name}", args=args)


CASES = [
    AuthzCase("forum", lambda w: _u("forum"), allowed="dortmund_staff"),
    AuthzCase(
        "forum_category",
        lambda w: _u("forum_category", _topic(w).category.slug),
        allowed="dortmund_staff",
    ),
    AuthzCase(
        "topic_create",
        lambda w: _u("topic_create", _topic(w).category.slug),
        allowed="koeln_staff",
    ),
    AuthzCase("topic", lambda w: _u("topic", _topic(w).pk), allowed="koeln_staff"),
    AuthzCase("topic_unread", lambda w: _u("topic_unread", _topic(w).pk), allowed="koeln_staff"),
    AuthzCase("topic_reply", lambda w: _u("topic_reply", _topic(w).pk), allowed="koeln_staff"),
    AuthzCase(
        "topic_reply_post",
        lambda w: _u("topic_reply", _topic(w).pk),
        method="post",
        data={"body": "von außen"},
        unchanged=_no_new_post,
    ),
    AuthzCase("post_jump", lambda w: _u("post_jump", _post(w).pk), allowed="koeln_staff"),
    AuthzCase(
        "post_edit",
        lambda w: _u("post_edit", _post(w).pk),
        other_municipality=True,
        allowed="dortmund_staff",
        staff_power=True,
    ),
    AuthzCase(
        "post_edit_post",
        lambda w: _u("post_edit", _post(w).pk),
        method="post",
        data={"body": "übernommen"},
        other_municipality=True,
        unchanged=_post_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "post_delete",
        lambda w: _u("post_delete", _post(w).pk),
        other_municipality=True,
        allowed="dortmund_staff",
        staff_power=True,
    ),
    AuthzCase(
        "post_delete_post",
        lambda w: _u("post_delete", _post(w).pk),
        method="post",
        data={"reason": "weg"},
        other_municipality=True,
        unchanged=_post_unchanged,
        staff_power=True,
    ),
    AuthzCase("post_report", lambda w: _u("post_report", _post(w).pk), allowed="koeln_staff"),
    AuthzCase(
        "post_revisions",
        lambda w: _u("post_revisions", _post(w).pk),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "post_hide",
        lambda w: _u("post_hide", _post(w).pk),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "post_hide_post",
        lambda w: _u("post_hide", _post(w).pk),
        method="post",
        data={"reason": "x"},
        other_municipality=True,
        unchanged=_post_not_hidden,
        staff_power=True,
    ),
    AuthzCase(
        "post_helpful",
        lambda w: _u("post_helpful", _post(w).pk),
        method="post",
        unchanged=_post_unchanged,
    ),
    AuthzCase(
        "post_best_answer",
        lambda w: _u("post_best_answer", _reply(w).pk),
        method="post",
        other_municipality=True,
        unchanged=_topic_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "topic_watch",
        lambda w: _u("topic_watch", _topic(w).pk),
        method="post",
        data={"level": "watching"},
    ),
    AuthzCase(
        "category_watch",
        lambda w: _u("category_watch", _topic(w).category.slug),
        method="post",
        data={"level": "watching"},
    ),
    AuthzCase(
        "topic_moderate",
        lambda w: _u("topic_moderate", _topic(w).pk),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "topic_moderate_post",
        lambda w: _u("topic_moderate", _topic(w).pk),
        method="post",
        data={"action": "pin", "reason": "x"},
        other_municipality=True,
        unchanged=_topic_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "moderation",
        lambda w: _u("moderation"),
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "attachment",
        lambda w: _u("attachment", _post(w).attachments.get().pk),
        allowed="koeln_staff",
    ),
    AuthzCase("notifications", lambda w: _u("notifications"), allowed="dortmund_staff"),
    AuthzCase(
        "notification_settings",
        lambda w: _u("notification_settings"),
        allowed="dortmund_staff",
    ),
    AuthzCase(
        "notification",
        lambda w: _u("notification", _notification(w).pk),
        other_municipality=True,
        allowed="dortmund_staff",
    ),
    AuthzCase("notifications_read_all", lambda w: _u("notifications_read_all"), method="post"),
    AuthzCase("member", lambda w: _u("member", _handle(w)), allowed="koeln_staff"),
    AuthzCase(
        "mention_suggestions",
        lambda w: _u("mention_suggestions", _topic(w).category.slug) + "?q=fach",
        allowed="koeln_staff",
    ),
    AuthzCase(
        "mention_suggestions_coordinators_only",
        lambda w: _u("mention_suggestions", _coordinators_category(w).slug) + "?q=fach",
        allowed="koeln_coordinator",
        refused_to=("dortmund_staff",),
    ),
    # The Wagtail admin's forum categories and moderators: Landesjugendamt staff only.
    AuthzCase(
        "wagtail_forum_categories",
        lambda w: "/admin/forum_categories/",
        allowed="lja_staff",
        refused_to=("koeln_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "wagtail_forum_category_edit",
        lambda w: f"/admin/forum_categories/edit/{_topic(w).category_id}/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "wagtail_forum_category_edit_post",
        lambda w: f"/admin/forum_categories/edit/{_topic(w).category_id}/",
        method="post",
        data={"name": "Gekapert", "slug": "gekapert", "visibility": "members", "position": "1"},
        refused_to=("dortmund_coordinator",),
        unchanged=_category_unchanged,
        staff_power=True,
    ),
    AuthzCase(
        "wagtail_forum_moderators",
        lambda w: "/admin/forum_moderators/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator",),
        staff_power=True,
    ),
]
