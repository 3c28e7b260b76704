"""The posts of a topic page (value rows turned into PagePost), single posts and
attachments."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import FilteredRelation, Q, QuerySet

from core.models import User
from network.forums.models import Post, PostAttachment, PostStatus, Topic
from network.forums.selectors.permissions import user_is_forum_moderator, user_may_see_post
from network.models import MembershipStatus

POSTS_PER_PAGE = 50


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
    "version",
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
    time (bench/pages.py). The view adds the reader's flags (is_unread, may_…: see
    posts_set_permissions) and the markup that is the same for every reader (meta_html,
    content_html: views/post_fragments.py)."""

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
    version: int
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
    may_quote: bool = False
    may_mark_helpful: bool = False  # and report it
    may_choose_best: bool = False
    may_edit: bool = False
    may_delete: bool = False
    meta_html: str = ""
    content_html: str = ""
    links: dict | None = None


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


def topic_post_ids_after(*, topic_id: int, number: int, limit: int = 100) -> list[int]:
    """The ids of a topic's posts numbered after `number`, oldest first: what an open page of the
    topic has not been told of (events' topic socket, after the channel layer lost a notice)."""
    return list(
        Post.objects.filter(topic_id=topic_id, number__gt=number)
        .order_by("number")
        .values_list("id", flat=True)[:limit]
    )


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


def attachment_by_id(*, attachment_id: int) -> PostAttachment | None:
    return (
        PostAttachment.objects.select_related("post", "post__topic", "post__topic__category")
        .filter(pk=attachment_id)
        .first()
    )
