"""Who may read, write and moderate in which forum category, and what they see there."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
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
from django.urls import reverse

from core.markdown import MENTION_RE
from core.models import User
from core.selectors import staff_power_q, user_has_staff_power, user_is_landesjugendamt_staff
from network.models import (
    CategoryVisibility,
    ForumCategory,
    ForumModerator,
    Membership,
    MembershipRole,
    MembershipStatus,
    MentionHandle,
    ModerationLogEntry,
    Post,
    PostAttachment,
    PostReport,
    PostStatus,
    ReportStatus,
    Topic,
    TopicReadState,
)
from network.selectors.memberships import user_is_member, user_membership

POSTS_PER_PAGE = 50
TOPICS_PER_PAGE = 30


# --- roles ------------------------------------------------------------------------------------


def _moderated_category_ids(*, user: User) -> set[int | None]:
    """The categories the user was appointed to moderate (None stands for every category).
    Cached on the user object for the request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_forum_moderated"):
        user._forum_moderated = set(
            ForumModerator.objects.filter(user=user).values_list("category_id", flat=True)
        )
    return user._forum_moderated


def user_is_forum_moderator(*, user: User, category: ForumCategory | None = None) -> bool:
    """Landesjugendamt staff moderate every category; an appointed moderator the category they
    were appointed to (or every one, when appointed without a category). Only while they may
    read the network at all."""
    if user_has_staff_power(user=user):
        return True
    if not user_is_member(user=user):
        return False
    ids = _moderated_category_ids(user=user)
    if None in ids:
        return True
    if category is None:
        return bool(ids)
    return category.pk in ids


def user_may_read_category(*, user: User, category: ForumCategory) -> bool:
    """Members read categories open to all members; coordinators-only categories are read by
    coordinators, Landesjugendamt staff and the category's moderators."""
    if not user_is_member(user=user):
        return False
    if category.visibility == CategoryVisibility.MEMBERS:
        return True
    if user_has_staff_power(user=user):
        return True
    membership = user_membership(user=user)
    if membership is not None and membership.role == MembershipRole.COORDINATOR:
        return True
    return user_is_forum_moderator(user=user, category=category)


def user_may_read_topic(*, user: User, topic: Topic) -> bool:
    """A deleted topic is gone for everyone but the moderators."""
    if not user_may_read_category(user=user, category=topic.category):
        return False
    if topic.is_deleted:
        return user_is_forum_moderator(user=user, category=topic.category)
    return True


def user_may_post_in_topic(*, user: User, topic: Topic) -> bool:
    """Everyone who reads a topic may reply, unless it is closed (moderators still may)."""
    if not user_may_read_topic(user=user, topic=topic):
        return False
    if topic.is_closed or topic.is_deleted:
        return user_is_forum_moderator(user=user, category=topic.category)
    return True


def user_may_create_topic(*, user: User, category: ForumCategory) -> bool:
    return user_may_read_category(user=user, category=category)


def user_may_edit_post(*, user: User, post: Post) -> bool:
    """The author edits their own post while the topic is open; moderators edit any post."""
    topic = post.topic
    if not user_may_read_topic(user=user, topic=topic):
        return False
    if user_is_forum_moderator(user=user, category=topic.category):
        return True
    return (
        post.author_id == user.pk
        and not post.is_deleted
        and not post.is_hidden
        and not topic.is_closed
        and post.status != PostStatus.REJECTED
    )


def user_may_delete_post(*, user: User, post: Post) -> bool:
    """The author deletes their own post; moderators any post."""
    if not user_may_read_topic(user=user, topic=post.topic):
        return False
    if user_is_forum_moderator(user=user, category=post.topic.category):
        return True
    return post.author_id == user.pk and not post.is_deleted


def posts_set_permissions(*, user: User, topic: Topic, posts: list[Post], is_moderator: bool):
    """The rules of user_may_edit_post and user_may_delete_post for a page of posts of one
    topic, whose read access was checked once for the page (no per-post role lookups)."""
    for post in posts:
        own = post.author_id == user.pk
        post.may_edit = is_moderator or (
            own
            and not post.is_deleted
            and not post.is_hidden
            and not topic.is_closed
            and post.status != PostStatus.REJECTED
        )
        post.may_delete = is_moderator or (own and not post.is_deleted)


def user_may_see_post(*, user: User, post: Post) -> bool:
    """A held or rejected post is seen by its author and the moderators only."""
    if not user_may_read_topic(user=user, topic=post.topic):
        return False
    if post.status == PostStatus.PUBLISHED:
        return True
    return post.author_id == user.pk or user_is_forum_moderator(
        user=user, category=post.topic.category
    )


def readers_q(*, category: ForumCategory, prefix: str = "") -> Q:
    """A filter on User: the people who may read `category` (the recipients' permission check,
    the same rule as user_may_read_category)."""
    p = prefix
    # Staff read the members' categories as members (user_is_member); the coordinators' ones only
    # with their staff power.
    staff = Q(**{f"{p}is_superuser": True}) | Q(**{f"{p}groups__name": settings.STAFF_GROUP_NAME})
    live = Membership.objects.filter(
        user=OuterRef("pk"), status=MembershipStatus.APPROVED, municipality__active=True
    )
    member = Exists(live)
    if category.visibility == CategoryVisibility.MEMBERS:
        return Q(is_active=True) & (staff | Q(member))
    coordinator = Exists(live.filter(role=MembershipRole.COORDINATOR))
    moderator = Exists(
        ForumModerator.objects.filter(user=OuterRef("pk")).filter(
            Q(category=category) | Q(category__isnull=True)
        )
    )
    return Q(is_active=True) & (
        staff_power_q(prefix=p) | Q(coordinator) | (Q(member) & Q(moderator))
    )


def category_readers(*, category: ForumCategory, among: list[int]) -> list[User]:
    """Those of the users `among` (ids) who may read the category."""
    if not among:
        return []
    return list(User.objects.filter(pk__in=among).filter(readers_q(category=category)).distinct())


# --- @mentions --------------------------------------------------------------------------------

MENTION_SUGGESTIONS = 8


def member_url(*, handle: str) -> str:
    return reverse("network:member", args=[handle])


def mention_urls(*, body: str, category: ForumCategory) -> dict[str, str]:
    """The @handles in `body` that belong to people who may read `category`, each with the
    address of the person's page: render_markdown links these and no other @word (one query,
    none without an @)."""
    handles = {m.lower() for m in MENTION_RE.findall(body or "")}
    if not handles:
        return {}
    found = (
        User.objects.filter(readers_q(category=category), mention_handle__handle__in=handles)
        .values_list("mention_handle__handle", flat=True)
        .distinct()
    )
    return {handle: member_url(handle=handle) for handle in found}


def mention_suggestions(*, category: ForumCategory, query: str, user: User) -> list[dict]:
    """At most eight people with a handle who may read `category`, whose name contains or whose
    handle starts with `query` (not the asking user): the composer's @ suggestions. One
    query."""
    query = (query or "").strip().lstrip("@")[:40]
    if not query:
        return []
    municipality = Membership.objects.filter(
        user=OuterRef("pk"), status=MembershipStatus.APPROVED
    ).values("municipality__name")[:1]
    rows = (
        User.objects.filter(readers_q(category=category), mention_handle__isnull=False)
        .filter(Q(name__icontains=query) | Q(mention_handle__handle__istartswith=query.lower()))
        .exclude(pk=user.pk)
        .annotate(municipality_name=Subquery(municipality))
        .order_by("mention_handle__handle")
        .values_list("mention_handle__handle", "name", "email", "erased_at", "municipality_name")
        .distinct()[:MENTION_SUGGESTIONS]
    )
    return [
        {
            "handle": handle,
            "name": User(name=name, email=email, erased_at=erased_at).display_name,
            "municipality": town or "",
        }
        for handle, name, email, erased_at, town in rows
    ]


def member_by_handle(*, handle: str) -> tuple[User, Membership | None] | None:
    """The person behind an @handle, while they take part in the network (an approved member
    of an active municipality, or Landesjugendamt staff), with their membership; else None."""
    handle = (handle or "").lower()[:40]
    found = MentionHandle.objects.select_related("user").filter(handle=handle).first()
    if found is None or not found.user.is_active:
        return None
    person = found.user
    membership = (
        Membership.objects.select_related("municipality")
        .filter(user=person, status=MembershipStatus.APPROVED, municipality__active=True)
        .first()
    )
    if membership is None and not user_is_landesjugendamt_staff(user=person):
        return None
    return person, membership


# --- lists ------------------------------------------------------------------------------------


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


def topic_visible_posts(*, topic: Topic, user: User) -> QuerySet[Post]:
    """The posts of a topic the user sees, oldest first: moderators all of them, everyone else
    the published ones and their own held or rejected ones."""
    return _visible_posts(
        topic_id=topic.pk,
        user_id=user.pk,
        is_moderator=user_is_forum_moderator(user=user, category=topic.category),
    )


def _visible_posts(*, topic_id: int, user_id: int, is_moderator: bool) -> QuerySet[Post]:
    qs = Post.objects.filter(topic_id=topic_id)
    if not is_moderator:
        qs = qs.filter(Q(status=PostStatus.PUBLISHED) | Q(author_id=user_id))
    return qs.order_by("number")


# The columns of topic_page_post_rows, in the order of PagePost's fields.
_PAGE_POST_COLUMNS = (
    "pk",
    "number",
    "author_id",
    "reply_to_id",
    "body_html",
    "status",
    "created_at",
    "edited_at",
    "is_deleted",
    "is_hidden",
    "helpful_count",
    "author__name",
    "author__email",
    "author__erased_at",
    "reply_to__number",
    "reply_to__author__name",
    "reply_to__author__email",
    "reply_to__author__erased_at",
    "approved_membership__municipality__name",
    "author__mention_handle__handle",
    "my_reaction__id",
)


@dataclass(slots=True)
class PagePost:
    """A post as the topic page shows it, as plain values: a page has 50 posts, and building
    50 posts, authors, quoted posts and memberships as model instances was most of the page's
    time (bench/forum.py). The view adds the reader's flags (is_unread, may_edit, may_delete)."""

    pk: int
    number: int
    author_id: int
    reply_to_id: int | None
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    is_deleted: bool
    is_hidden: bool
    helpful_count: int
    author_name: str
    author_email: str
    author_erased_at: datetime | None
    reply_to_number: int | None
    reply_to_author_name: str | None
    reply_to_author_email: str | None
    reply_to_author_erased_at: datetime | None
    municipality_name: str | None  # None for Landesjugendamt staff
    author_handle: str | None  # for @mentions; None when the author chose none
    helpful_by_me: bool
    attachments: tuple = ()  # (pk, original name, size) of each file
    is_unread: bool = False
    may_edit: bool = False
    may_delete: bool = False


def topic_page_post_rows(*, topic: Topic, user: User) -> QuerySet:
    """topic_visible_posts as value rows for the topic page, oldest first, for a Paginator;
    page_posts turns a page of them into PagePost objects."""
    return _page_post_rows(
        topic_id=topic.pk,
        user_id=user.pk,
        is_moderator=user_is_forum_moderator(user=user, category=topic.category),
    )


def _page_post_rows(*, topic_id: int, user_id: int, is_moderator: bool) -> QuerySet:
    """The author's approved membership (at most one: one_live_membership_per_user) and the
    user's reaction (one_reaction_per_user) are joins, so a row stays one post."""
    return (
        _visible_posts(topic_id=topic_id, user_id=user_id, is_moderator=is_moderator)
        .annotate(
            approved_membership=FilteredRelation(
                "author__memberships",
                condition=Q(author__memberships__status=MembershipStatus.APPROVED),
            ),
            my_reaction=FilteredRelation("reactions", condition=Q(reactions__user=user_id)),
        )
        .values_list(*_PAGE_POST_COLUMNS)
    )


def topic_posts_page(*, topic: Topic, user: User, number) -> tuple[Page, list[PagePost]]:
    """Page `number` (as given in the URL) of the posts the user sees in the topic, and its
    posts. A topic of at most one page's posts (post numbers are never reused, so last_number
    bounds the count) is fetched whole and counted in Python: no COUNT query."""
    rows = topic_page_post_rows(topic=topic, user=user)
    if topic.last_number <= POSTS_PER_PAGE:
        rows = list(rows[: POSTS_PER_PAGE + 1])
    page = Paginator(rows, POSTS_PER_PAGE).get_page(number)
    return page, page_posts(rows=page.object_list)


def page_posts(*, rows) -> list[PagePost]:
    """PagePost objects for a page of topic_page_post_rows, with their attachments (one
    query)."""
    posts = [PagePost(*row[:-1], helpful_by_me=row[-1] is not None) for row in rows]
    if posts:
        files: dict[int, list] = {}
        for post_id, *attachment in PostAttachment.objects.filter(
            post_id__in=[p.pk for p in posts]
        ).values_list("post_id", "pk", "original_name", "size"):
            files.setdefault(post_id, []).append(tuple(attachment))
        for post in posts:
            post.attachments = tuple(files.get(post.pk, ()))
    return posts


def topic_for_page(*, topic_id: int, user: User) -> Topic | None:
    """The topic with what its page needs, in one query: its category, the pk of its practice
    example (practice_example_pk), how far the user has read it (read_number) and their
    effective watching level (watch_level: the topic's, else the category's, else normal)."""
    from network.models import WatchLevel

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


def post_by_id(*, post_id: int) -> Post | None:
    return (
        Post.objects.select_related("topic", "topic__category", "author").filter(pk=post_id).first()
    )


def post_for_reply(*, topic: Topic, user: User, post_id) -> Post | None:
    """The post a reply answers or quotes, from an id taken from input (a form field or the
    query string): a post of this topic that the user may see, else None, as if no id had come,
    so a foreign id tells nothing about the post it names."""
    if not isinstance(post_id, str) or not post_id.isdigit() or len(post_id) > 18:
        return None
    post = post_by_id(post_id=int(post_id))
    if post is None or post.topic_id != topic.pk or not user_may_see_post(user=user, post=post):
        return None
    return post


def categories_moderated_by(*, user: User) -> QuerySet[ForumCategory]:
    """The categories the user moderates (a topic may be moved only between them)."""
    qs = ForumCategory.objects.order_by("position", "name")
    if not user_is_forum_moderator(user=user):
        return qs.none()
    flt = _moderated_filter(user=user, prefix="pk")
    return qs if flt is None else qs.filter(flt)


def attachment_by_id(*, attachment_id: int) -> PostAttachment | None:
    return (
        PostAttachment.objects.select_related("post", "post__topic", "post__topic__category")
        .filter(pk=attachment_id)
        .first()
    )


def user_may_download_attachment(*, user: User, attachment: PostAttachment) -> bool:
    """Whoever may see the post may fetch its files; a hidden or deleted post's files only the
    moderators."""
    post = attachment.post
    if not user_may_see_post(user=user, post=post):
        return False
    if post.is_deleted or post.is_hidden:
        return user_is_forum_moderator(user=user, category=post.topic.category)
    return True


# --- moderation -------------------------------------------------------------------------------


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


# --- search (the site search calls this) -------------------------------------------------------


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
