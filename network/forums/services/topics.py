"""Starting topics: by a member in a category, or by another part of the network to discuss
one of its items (discussion_open)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from network.attachments import attachments_check
from network.exceptions import NotAllowed, TextTooLong
from network.forums.exceptions import EmptyText
from network.forums.models import CategoryVisibility, ForumCategory, Topic, TopicWatch, WatchLevel
from network.forums.selectors.permissions import user_may_create_topic
from network.forums.services.posts import _clean_body, _post_insert

MAX_TITLE_LENGTH = 200


def _clean_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise EmptyText(_("Please give the topic a title."))
    if len(title) > MAX_TITLE_LENGTH:
        raise TextTooLong(_("The title may have at most 200 characters."))
    return title


def topic_create(
    *, category: ForumCategory, author: User, title: str, body: str, files=()
) -> Topic:
    """Anyone who may read a category may start a topic in it; the author watches it."""
    if not user_may_create_topic(user=author, category=category):
        raise NotAllowed
    title = _clean_title(title)
    body = _clean_body(body)
    checked = attachments_check(files=files)
    with transaction.atomic():
        return _topic_insert(
            category=category, author=author, title=title, body=body, files=checked
        )


def discussion_open(
    *,
    slug: str,
    name: str,
    description: str,
    position: int,
    title: str,
    author: User,
    body: str,
    at=None,
) -> Topic:
    """A topic another part of the network opens to discuss one of its items (a published
    practice example): in the category `slug`, made the first time (open to all members, no
    post held), by the item's author, who watches it. `at` backdates it (the demo data)."""
    category, _created = ForumCategory.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "description": description,
            "visibility": CategoryVisibility.MEMBERS,
            "position": position,
            "hold_first_posts": False,
        },
    )
    with transaction.atomic():
        return _topic_insert(
            category=category,
            author=author,
            title=title[:MAX_TITLE_LENGTH],
            body=body,
            files=[],
            at=at,
        )


def _topic_insert(*, category, author, title, body, files, at=None) -> Topic:
    now = at or timezone.now()
    topic = Topic.objects.create(
        category=category, title=title, author=author, created_at=now, last_activity_at=now
    )
    TopicWatch.objects.create(topic=topic, user=author, level=WatchLevel.WATCHING)
    _post_insert(topic=topic, author=author, body=body, files=files, at=at)
    return topic
