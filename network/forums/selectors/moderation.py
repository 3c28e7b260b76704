"""The moderation queue: open reports, held posts and the log, as far as the moderator's
categories reach."""

from django.db.models import Q, QuerySet

from core.models import User
from core.selectors import user_has_staff_power
from network.forums.models import (
    ForumCategory,
    ModerationLogEntry,
    Post,
    PostReport,
    PostStatus,
    ReportStatus,
)
from network.forums.selectors.permissions import _moderated_category_ids, user_is_forum_moderator


def categories_moderated_by(*, user: User) -> QuerySet[ForumCategory]:
    """The categories the user moderates (a topic may be moved only between them)."""
    qs = ForumCategory.objects.order_by("position", "name")
    if not user_is_forum_moderator(user=user):
        return qs.none()
    flt = _moderated_filter(user=user, prefix="pk")
    return qs if flt is None else qs.filter(flt)


def _moderated_filter(*, user: User, prefix: str) -> Q | None:
    """A filter on the categories the user moderates; None means all of them."""
    if user_has_staff_power(user=user):
        return None
    ids = _moderated_category_ids(user=user)
    if None in ids:
        return None
    return Q(**{f"{prefix}__in": list(ids)})


def moderation_open_reports(*, user: User) -> QuerySet[PostReport]:
    qs = PostReport.objects.filter(status=ReportStatus.OPEN)
    flt = _moderated_filter(user=user, prefix="post__topic__category")
    if flt is not None:
        qs = qs.filter(flt)
    return qs.select_related("post", "post__author", "post__topic", "reporter").order_by(
        "created_at", "pk"
    )


def moderation_held_posts(*, user: User) -> QuerySet[Post]:
    qs = Post.objects.filter(status=PostStatus.HELD, is_deleted=False)
    flt = _moderated_filter(user=user, prefix="topic__category")
    if flt is not None:
        qs = qs.filter(flt)
    return qs.select_related("topic", "topic__category", "author").order_by("created_at", "pk")


def moderation_log(*, user: User, limit: int = 50) -> list[ModerationLogEntry]:
    qs = ModerationLogEntry.objects.select_related("actor", "topic", "post")
    flt = _moderated_filter(user=user, prefix="topic__category")
    if flt is not None:
        qs = qs.filter(flt)
    return list(qs[:limit])
