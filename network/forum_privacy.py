"""Personal data held by the forums, practice examples and notifications."""

import re

from django.conf import settings
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from network.models import (
    CategoryWatch,
    ForumModerator,
    MentionHandle,
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
    (
        _("Practice examples that name you as contact person, and your consent"),
        _("Until you withdraw your consent or delete your account."),
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
        "named_as_contact": [
            {
                "title": e.title,
                "asked_at": e.contact_asked_at.isoformat() if e.contact_asked_at else None,
                "consent_at": e.contact_consent_at.isoformat() if e.contact_consent_at else None,
            }
            for e in PracticeExample.objects.filter(contact=user)
        ],
    }


def erase(user) -> None:
    """What the person wrote stays readable for others under "ehemaliges Mitglied" (core keeps
    the account row); everything that only concerns them goes."""
    _forget_name_in_posts(user)
    MentionHandle.objects.filter(user=user).delete()
    PracticeExample.objects.filter(contact=user).update(
        contact=None, contact_asked_at=None, contact_consent_at=None
    )
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


def _forget_name_in_posts(user) -> None:
    """Quotes ("Zyprian Q. schrieb:") and @mentions put the person's name and handle into posts
    (theirs and other people's) and into earlier versions. Those words become "ehemaliges
    Mitglied"; every other word of the text stays. Runs before core blanks the name."""
    handle = MentionHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    words = {user.name, user.display_name}
    if handle:
        words.add(f"@{handle}")
    words = sorted((w for w in words if w and len(w) >= 3), key=len, reverse=True)
    if not words:
        return
    pattern = re.compile(
        r"(?<![\w@])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE
    )
    with translation.override(settings.LANGUAGE_CODE):
        replacement = str(_("former member"))
    mentions = Q()
    for word in words:
        mentions |= Q(body__icontains=word)
    for model in (Post, PostRevision):
        changed = []
        for row in model.objects.filter(mentions).only("pk", "body"):
            body = pattern.sub(replacement, row.body)
            if body != row.body:
                row.body, row.body_html = body, render_markdown(body)
                changed.append(row)
        model.objects.bulk_update(changed, ["body", "body_html"], batch_size=500)
