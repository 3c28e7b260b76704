"""What a person is told: their notifications and the one unread count every page shows."""

from django.db.models import QuerySet

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
