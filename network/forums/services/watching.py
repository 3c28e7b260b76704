"""How closely a person follows a topic or a category (muted, normal, watching)."""

from core.models import User
from network.exceptions import NotAllowed
from network.forums.models import CategoryWatch, ForumCategory, Topic, TopicWatch, WatchLevel
from network.forums.selectors.permissions import user_may_read_category, user_may_read_topic


def topic_watch_set(*, topic: Topic, user: User, level: str) -> None:
    if not user_may_read_topic(user=user, topic=topic) or level not in WatchLevel.values:
        raise NotAllowed
    TopicWatch.objects.update_or_create(topic=topic, user=user, defaults={"level": level})


def category_watch_set(*, category: ForumCategory, user: User, level: str) -> None:
    if not user_may_read_category(user=user, category=category) or level not in WatchLevel.values:
        raise NotAllowed
    CategoryWatch.objects.update_or_create(category=category, user=user, defaults={"level": level})
