"""Personal data held by the forums and the notifications."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from core.privacy import forget_words
from network.forums.models import (
    CategoryWatch,
    ForumModerator,
    MentionHandle,
    ModerationLogEntry,
    Notification,
    NotificationSettings,
    Post,
    PostReaction,
    PostReport,
    PostRevision,
    Topic,
    TopicReadState,
    TopicWatch,
)
from network.forums.selectors.mentions import mention_urls

RETENTION = [
    (
        _("Forum topics and posts you wrote, with earlier versions and attachments"),
        _(
            "As long as the forum exists; when you delete your account they stay under "
            "“former member”, your @handle is removed."
        ),
    ),
    (
        _("Notifications, read markers, watching levels and reactions"),
        _("As long as the account exists; deleted with it."),
    ),
    (
        _("Reports of posts you made"),
        _("Until the moderation has decided; the decision log keeps the reason, not your name."),
    ),
]


def export(user) -> dict:
    return {
        "forum_topics": [
            {"title": t.title, "created_at": t.created_at.isoformat()}
            for t in Topic.objects.filter(author=user)
        ],
        "forum_posts": [
            {
                "topic": p.topic.title,
                "number": p.number,
                "text": p.body,
                "created_at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
                "attachments": [a.original_name for a in p.attachments.all()],
            }
            for p in Post.objects.filter(author=user)
            .select_related("topic")
            .prefetch_related("attachments")
        ],
        "mention_handle": MentionHandle.objects.filter(user=user)
        .values_list("handle", flat=True)
        .first(),
        "helpful_marks": PostReaction.objects.filter(user=user).count(),
        "reports": [
            {"reason": r.reason, "status": r.status, "created_at": r.created_at.isoformat()}
            for r in PostReport.objects.filter(reporter=user)
        ],
        "notifications": [
            {
                "kind": n.kind,
                "text": n.sentence,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).select_related("actor")
        ],
        "notification_settings": NotificationSettings.objects.filter(user=user)
        .values("email_mode")
        .first(),
        "watching": {
            "categories": list(
                CategoryWatch.objects.filter(user=user).values("category__name", "level")
            ),
            "topics": list(TopicWatch.objects.filter(user=user).values("topic__title", "level")),
        },
    }


def words(user) -> set[str]:
    """Others mention the person by @handle (forum posts, board messages)."""
    handle = MentionHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    return {f"@{handle}"} if handle else set()


def erase(user) -> None:
    """What the person wrote stays readable for others under "ehemaliges Mitglied" (core keeps
    the account row); everything that only concerns them goes."""
    MentionHandle.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()
    CategoryWatch.objects.filter(user=user).delete()
    TopicWatch.objects.filter(user=user).delete()
    TopicReadState.objects.filter(user=user).delete()
    ForumModerator.objects.filter(user=user).delete()
    PostReport.objects.filter(reporter=user).update(reporter=None)
    for post_id in PostReaction.objects.filter(user=user).values_list("post_id", flat=True):
        Post.objects.filter(pk=post_id, helpful_count__gt=0).update(
            helpful_count=F("helpful_count") - 1, version=F("version") + 1
        )
    PostReaction.objects.filter(user=user).delete()


def forget(*, words) -> None:
    """Quotes ("Zyprian Q. schrieb:"), @mentions, topic titles and their copies in others'
    notifications, report reasons and the moderation log may name the person. Those words
    become "ehemaliges Mitglied"; every other word of the text stays."""
    # Posts are rendered again as when they were written: other people's @mentions stay links.
    # Saved one by one, so that each gets a new version (Post.save) and the topic page shows it.
    forget_words(
        words=words,
        model=Post,
        fields=["body"],
        rendered={"body": "body_html"},
        render=lambda post, text: _render_post(text, category=post.topic.category),
        save=True,
    )
    forget_words(
        words=words,
        model=PostRevision,
        fields=["body"],
        rendered={"body": "body_html"},
        render=lambda rev, text: _render_post(text, category=rev.post.topic.category),
    )
    forget_words(words=words, model=Topic, fields=["title"])
    forget_words(words=words, model=Notification, fields=["text", "detail"])
    forget_words(words=words, model=PostReport, fields=["reason"])
    forget_words(words=words, model=ModerationLogEntry, fields=["reason", "detail"])


def _render_post(text: str, *, category) -> str:
    return render_markdown(text, mentions=mention_urls(body=text, category=category))
