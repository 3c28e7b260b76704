"""Moderating the forums: reports, hiding, held posts, deleting others' posts, pinning,
closing and moving topics. Every action is logged with who did it and why."""

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from network.exceptions import NotAllowed
from network.forums.exceptions import ReasonRequired
from network.forums.models import (
    ForumCategory,
    ModerationAction,
    ModerationLogEntry,
    Post,
    PostReport,
    PostStatus,
    ReportStatus,
    Topic,
)
from network.forums.selectors.permissions import (
    user_is_forum_moderator,
    user_may_delete_post,
    user_may_see_post,
)
from network.forums.services.notifications import notification_moderation
from network.forums.services.posts import _announce


def _clean_reason(reason: str) -> str:
    reason = (reason or "").replace("\x00", "").strip()
    if not reason or len(reason) > 1000:
        raise ReasonRequired
    return reason


def _log(*, action: str, actor: User, reason: str, topic=None, post=None, detail: str = ""):
    ModerationLogEntry.objects.create(
        action=action, actor=actor, reason=reason, topic=topic, post=post, detail=detail[:300]
    )


def moderation_log_example_review(*, actor: User, reason: str, detail: str) -> None:
    """The practice examples' review is logged with the forums' moderation actions."""
    _log(action=ModerationAction.REVIEW_EXAMPLE, actor=actor, reason=reason, detail=detail)


def post_delete(*, post: Post, by: User, reason: str = "") -> Post:
    """Soft delete: the post stays as a placeholder. The author deletes their own; a moderator
    deleting someone else's post gives a reason, which is logged and told to the author."""
    if not user_may_delete_post(user=by, post=post):
        raise NotAllowed
    own = post.author_id == by.pk
    if not own:
        reason = _clean_reason(reason)
    with transaction.atomic():
        post.is_deleted = True
        post.save(update_fields=["is_deleted"])
        if post.status == PostStatus.PUBLISHED:
            Topic.objects.filter(pk=post.topic_id, post_count__gt=0).update(
                post_count=F("post_count") - 1
            )
        Topic.objects.filter(pk=post.topic_id, best_answer=post).update(best_answer=None)
        if not own:
            _log(action=ModerationAction.DELETE_POST, actor=by, reason=reason,
                 topic=post.topic, post=post)  # fmt: skip
            notification_moderation(
                user=post.author,
                event="post_deleted",
                topic_title=post.topic.title,
                reason=reason,
                topic=post.topic,
            )
    return post


def post_report(*, post: Post, by: User, reason: str) -> PostReport:
    """Whoever sees a post may report it once (while the report is open), with a reason."""
    if not user_may_see_post(user=by, post=post) or post.author_id == by.pk:
        raise NotAllowed
    reason = _clean_reason(reason)
    existing = PostReport.objects.filter(post=post, reporter=by, status=ReportStatus.OPEN).first()
    if existing:
        return existing
    return PostReport.objects.create(post=post, reporter=by, reason=reason)


def _require_moderator(*, user: User, category: ForumCategory) -> None:
    if not user_is_forum_moderator(user=user, category=category):
        raise NotAllowed


def report_decide(*, report: PostReport, by: User, reason: str, resolved: bool) -> PostReport:
    """A moderator closes a report (action taken, or dismissed); the reporter is told."""
    _require_moderator(user=by, category=report.post.topic.category)
    reason = _clean_reason(reason)
    if report.status != ReportStatus.OPEN:
        return report
    with transaction.atomic():
        report.status = ReportStatus.RESOLVED if resolved else ReportStatus.DISMISSED
        report.decided_at = timezone.now()
        report.decided_by = by
        report.save(update_fields=["status", "decided_at", "decided_by"])
        action = ModerationAction.RESOLVE_REPORT if resolved else ModerationAction.DISMISS_REPORT
        _log(action=action, actor=by, reason=reason, topic=report.post.topic, post=report.post)
        notification_moderation(
            user=report.reporter,
            event="report_resolved" if resolved else "report_dismissed",
            topic_title=report.post.topic.title,
            reason=reason,
            topic=report.post.topic,
        )
    return report


def post_hide(*, post: Post, by: User, reason: str, hidden: bool = True) -> Post:
    """A moderator hides a post (it stays for the moderators) or shows it again."""
    _require_moderator(user=by, category=post.topic.category)
    reason = _clean_reason(reason)
    with transaction.atomic():
        post.is_hidden = hidden
        post.save(update_fields=["is_hidden"])
        _log(action=ModerationAction.HIDE if hidden else ModerationAction.UNHIDE, actor=by,
             reason=reason, topic=post.topic, post=post)  # fmt: skip
        if hidden:
            notification_moderation(
                user=post.author,
                event="post_hidden",
                topic_title=post.topic.title,
                reason=reason,
                topic=post.topic,
                url=reverse("network:topic", args=[post.topic_id]),
            )
    return post


def post_review(*, post: Post, by: User, approve: bool, reason: str = "") -> Post:
    """A moderator approves a held post (it appears and notifies as if new) or rejects it."""
    _require_moderator(user=by, category=post.topic.category)
    # Approving needs no reason; rejecting does, since the author is told why.
    reason = ((reason or "").strip()[:1000] or _("approved")) if approve else _clean_reason(reason)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.status != PostStatus.HELD:
            return locked
        post.status = PostStatus.PUBLISHED if approve else PostStatus.REJECTED
        post.save(update_fields=["status"])
        _log(action=ModerationAction.APPROVE if approve else ModerationAction.REJECT, actor=by,
             reason=reason, topic=post.topic, post=post)  # fmt: skip
        if approve:
            Topic.objects.filter(pk=post.topic_id).update(
                post_count=F("post_count") + 1, last_activity_at=timezone.now()
            )
            _announce(post=post)
        notification_moderation(
            user=post.author,
            event="post_approved" if approve else "post_rejected",
            topic_title=post.topic.title,
            reason=reason,
            topic=post.topic,
            url=reverse("network:topic", args=[post.topic_id]),
        )
    return post


def topic_moderate(
    *, topic: Topic, by: User, action: str, reason: str, category: ForumCategory | None = None
) -> Topic:
    """Pin/unpin, close/open, move or delete a topic: moderators of its category (for a move,
    also of the target category), with a reason that is logged."""
    _require_moderator(user=by, category=topic.category)
    reason = _clean_reason(reason)
    detail = ""
    with transaction.atomic():
        if action == ModerationAction.PIN:
            topic.is_pinned = True
        elif action == ModerationAction.UNPIN:
            topic.is_pinned = False
        elif action == ModerationAction.CLOSE:
            topic.is_closed = True
        elif action == ModerationAction.OPEN:
            topic.is_closed = False
        elif action == ModerationAction.DELETE_TOPIC:
            topic.is_deleted = True
        elif action == ModerationAction.MOVE:
            if category is None or category.pk == topic.category_id:
                raise NotAllowed
            _require_moderator(user=by, category=category)
            detail = f"{topic.category.name} → {category.name}"
            topic.category = category
        else:
            raise NotAllowed
        topic.save(update_fields=["is_pinned", "is_closed", "is_deleted", "category"])
        _log(action=action, actor=by, reason=reason, topic=topic, detail=detail)
        if action in (ModerationAction.DELETE_TOPIC, ModerationAction.MOVE) and (
            topic.author_id != by.pk
        ):
            notification_moderation(
                user=topic.author,
                event="topic_deleted" if action == ModerationAction.DELETE_TOPIC else "topic_moved",
                topic_title=topic.title,
                reason=reason,
                topic=topic if action == ModerationAction.MOVE else None,
                url=reverse("network:topic", args=[topic.pk])
                if action == ModerationAction.MOVE
                else "",
            )
    return topic
