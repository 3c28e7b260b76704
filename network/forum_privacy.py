"""Personal data held by the forums, practice examples and notifications."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.privacy import forget_words
from network.models import (
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
    PracticeExample,
    Topic,
    TopicReadState,
    TopicWatch,
)

RETENTION = [
    (
        _("Forum topics and posts you wrote, with earlier versions and attachments"),
        _(
            "As long as the forum exists; when you delete your account they stay under "
            "„ehemaliges Mitglied“, your @handle is removed."
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
    (
        _("Practice examples you wrote, with the contact person you named"),
        _("While published; contact details are only kept with the contact person's consent."),
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
                "text": n.text,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user)
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
        "practice_examples": [
            {"title": e.title, "status": e.status, "created_at": e.created_at.isoformat()}
            for e in PracticeExample.objects.filter(author=user)
        ],
    }


def words(user) -> set[str]:
    """Others mention the person by @handle (forum posts, board messages)."""
    handle = MentionHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    return {f"@{handle}"} if handle else set()


def erase(user) -> None:
    """What the person wrote stays readable for others under "ehemaliges Mitglied" (core keeps
    the account row); everything that only concerns them goes."""
    _forget_contact_person(user)
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
            helpful_count=F("helpful_count") - 1
        )
    PostReaction.objects.filter(user=user).delete()


def _forget_contact_person(user) -> None:
    """A practice example (hers or a colleague's) that names her as contact person loses the
    whole contact: name, address and telephone belong together. Runs before core blanks her
    address. Saved row by row, so the cached practice pages are renewed."""
    named = Q(contact_email__iexact=user.email)
    if user.name:
        named |= Q(contact_name__iexact=user.name)
    for example in PracticeExample.objects.filter(named):
        example.contact_name = example.contact_email = example.contact_phone = ""
        example.contact_consent = False
        example.save(
            update_fields=["contact_name", "contact_email", "contact_phone", "contact_consent"]
        )


def forget(*, words) -> None:
    """Quotes ("Zyprian Q. schrieb:"), @mentions, topic titles and their copies in others'
    notifications, report reasons, the moderation log and practice examples may name the
    person. Those words become "ehemaliges Mitglied"; every other word of the text stays."""
    forget_words(words=words, model=Post, fields=["body"], rendered={"body": "body_html"})
    forget_words(words=words, model=PostRevision, fields=["body"], rendered={"body": "body_html"})
    forget_words(words=words, model=Topic, fields=["title"])
    forget_words(words=words, model=Notification, fields=["text"])
    forget_words(words=words, model=PostReport, fields=["reason"])
    forget_words(words=words, model=ModerationLogEntry, fields=["reason", "detail"])
    forget_words(
        words=words,
        model=PracticeExample,
        fields=[
            "title",
            "summary",
            "target_groups",
            "what_was_done",
            "success_factors",
            "resources",
            "contact_name",
            "contact_email",
            "review_note",
        ],
        rendered={
            "what_was_done": "what_was_done_html",
            "success_factors": "success_factors_html",
            "resources": "resources_html",
        },
        save=True,
    )
