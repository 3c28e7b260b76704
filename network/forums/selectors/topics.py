"""Categories and topics as a reader sees them: lists, the topic page's row, read markers,
and the site search's topics."""

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from core.models import User
from network.forums.models import ForumCategory, Post, PostStatus, Topic, TopicReadState
from network.forums.selectors.permissions import user_is_forum_moderator, user_may_read_category
from network.forums.selectors.posts import POSTS_PER_PAGE, topic_visible_posts
from network.selectors.memberships import user_is_member

TOPICS_PER_PAGE = 30


def categories_for_user(*, user: User) -> list[ForumCategory]:
    """The categories the user may read, with their topic count and last activity (one query)."""
    visible = Q(topics__is_deleted=False, topics__post_count__gt=0)
    categories = ForumCategory.objects.annotate(
        topic_total=Count("topics", filter=visible),
        last_activity=Max("topics__last_activity_at", filter=visible),
    ).order_by("position", "name")
    return [
        category for category in categories if user_may_read_category(user=user, category=category)
    ]


def category_by_slug(*, slug: str) -> ForumCategory | None:
    return ForumCategory.objects.filter(slug=slug).first()


def category_topics(*, category: ForumCategory, user: User) -> QuerySet[Topic]:
    """Topics of a category, pinned first, then by last activity; deleted ones only for
    moderators, and a topic whose first post waits for review only for its author and them."""
    qs = Topic.objects.filter(category=category)
    if not user_is_forum_moderator(user=user, category=category):
        qs = qs.filter(is_deleted=False).filter(Q(post_count__gt=0) | Q(author=user))
    read = TopicReadState.objects.filter(topic=OuterRef("pk"), user=user).values(
        "last_read_number"
    )[:1]
    return (
        qs.select_related("author")
        .annotate(read_number=Coalesce(Subquery(read), 0))
        .order_by("-is_pinned", "-last_activity_at", "-pk")
    )


def topic_by_id(*, topic_id: int) -> Topic | None:
    return (
        Topic.objects.select_related("category", "author", "practice_example")
        .filter(pk=topic_id)
        .first()
    )


def topic_for_page(*, topic_id: int, user: User) -> Topic | None:
    """The topic with what its page needs, in one query: its category, the pk of its practice
    example (practice_example_pk), how far the user has read it (read_number) and their
    effective watching level (watch_level: the topic's, else the category's, else normal)."""
    from network.forums.models import WatchLevel

    # Each joined row is the user's one (one_read_state_per_topic, one_topic_watch,
    # one_category_watch), so the query has one row.
    user_id = user.pk
    topic = (
        Topic.objects.filter(pk=topic_id)
        .select_related("category")
        .annotate(
            my_read=FilteredRelation("read_states", condition=Q(read_states__user=user_id)),
            my_watch=FilteredRelation("watches", condition=Q(watches__user=user_id)),
            my_category_watch=FilteredRelation(
                "category__watches", condition=Q(category__watches__user=user_id)
            ),
            my_read_number=F("my_read__last_read_number"),
            my_topic_level=F("my_watch__level"),
            my_category_level=F("my_category_watch__level"),
            practice_example_key=F("practice_example__pk"),
        )
        .order_by()
        .first()
    )
    if topic is None:
        return None
    topic.practice_example_pk = topic.practice_example_key
    topic.read_number = topic.my_read_number or 0
    topic.watch_level = topic.my_topic_level or topic.my_category_level or WatchLevel.NORMAL
    return topic


def topic_read_number(*, topic: Topic, user: User) -> int:
    state = TopicReadState.objects.filter(topic=topic, user=user).first()
    return state.last_read_number if state else 0


def topic_page_of_number(*, topic: Topic, user: User, number: int) -> int:
    """The page of the topic on which the post with `number` (or the next visible one) is."""
    before = topic_visible_posts(topic=topic, user=user).filter(number__lt=number).count()
    return before // POSTS_PER_PAGE + 1


def topic_first_unread_number(*, topic: Topic, user: User) -> int | None:
    """The number of the first post the user has not read, None when everything is read."""
    read = topic_read_number(topic=topic, user=user)
    post = (
        topic_visible_posts(topic=topic, user=user)
        .filter(number__gt=read)
        .values_list("number", flat=True)
        .first()
    )
    return post


def forum_topics_search(*, query: str, user: User, limit: int = 20) -> list[Topic]:
    """Topics whose title or posts contain `query`, only in categories the user may read."""
    query = (query or "").strip()[:200]
    if not query or not user_is_member(user=user):
        return []
    readable = [
        c.pk for c in ForumCategory.objects.all() if user_may_read_category(user=user, category=c)
    ]
    matching_posts = Post.objects.filter(
        topic=OuterRef("pk"), status=PostStatus.PUBLISHED, is_deleted=False, is_hidden=False
    ).filter(body__icontains=query)
    return list(
        Topic.objects.filter(category_id__in=readable, is_deleted=False, post_count__gt=0)
        .filter(Q(title__icontains=query) | Q(Exists(matching_posts)))
        .select_related("category")
        .order_by("-last_activity_at")[:limit]
    )
