"""What a person is told: their notifications and the one unread count every page shows."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.models import User
from network.forums.models import (
    CategoryWatch,
    EmailMode,
    ForumCategory,
    Notification,
    NotificationSettings,
    WatchLevel,
)


def notification_unread_count(*, user_id: int) -> int:
    """The unread badge in the header and the live `notification.new` frame use this number."""
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()


def user_unread_count(*, user: User) -> int:
    """notification_unread_count for the user of the request, whose query brought it along
    (users_with_unread_count); asks the database only for a user loaded otherwise."""
    count = getattr(user, "_unread_notifications", None)
    if count is None:
        count = notification_unread_count(user_id=user.pk)
    return count


def users_with_unread_count(queryset: QuerySet[User]) -> QuerySet[User]:
    """The users with their unread count, in the same query (core.auth_backends loads each
    request's user so: settings.REQUEST_USER_QUERYSET)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.annotate(_unread_notifications=Coalesce(Subquery(unread), 0))


def user_notifications(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("actor", "topic")


def user_email_mode(*, user: User) -> str:
    settings = NotificationSettings.objects.filter(user=user).first()
    return settings.email_mode if settings else EmailMode.IMMEDIATE


def category_watch_level(*, category: ForumCategory, user: User) -> str:
    for value in CategoryWatch.objects.filter(category=category, user=user).values_list(
        "level", flat=True
    ):
        return value
    return WatchLevel.NORMAL
