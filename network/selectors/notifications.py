"""What a person is told: their notifications and the one unread count every page shows."""

from django.db.models import QuerySet

from core.models import User
from network.models import (
    CategoryWatch,
    EmailMode,
    ForumCategory,
    Notification,
    NotificationSettings,
    Topic,
    TopicWatch,
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


def topic_watch_level(*, topic: Topic, user: User) -> str:
    """The level set on the topic, else on its category, else normal."""
    level = TopicWatch.objects.filter(topic=topic, user=user).values_list("level", flat=True)
    for value in level:
        return value
    return category_watch_level(category=topic.category, user=user)


def category_watch_level(*, category: ForumCategory, user: User) -> str:
    for value in CategoryWatch.objects.filter(category=category, user=user).values_list(
        "level", flat=True
    ):
        return value
    return WatchLevel.NORMAL
