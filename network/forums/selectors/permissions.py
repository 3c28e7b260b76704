"""Who may do what in the forums: read a category or topic, post, edit, delete, moderate,
download an attachment; and who reads a category."""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from core.models import User
from core.selectors import staff_power_q, user_has_staff_power
from network.forums.models import (
    CategoryVisibility,
    ForumCategory,
    ForumModerator,
    Post,
    PostAttachment,
    PostStatus,
    Topic,
)
from network.models import Membership, MembershipRole, MembershipStatus
from network.selectors.memberships import user_is_member, user_membership


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


def posts_set_permissions(
    *, user: User, topic: Topic, posts: list, is_moderator: bool, may_post: bool
) -> None:
    """What the user may do with each post of a page of one topic (PagePost objects), whose
    read access was checked once for the page (no per-post role lookups): the rules of
    user_may_edit_post and user_may_delete_post; quoting (may_post: user_may_post_in_topic),
    marking helpful and reporting (reaction_toggle, post_report) and choosing the best answer
    (best_answer_set) for a visible post."""
    chooses_best = topic.author_id == user.pk
    for post in posts:
        own = post.author_id == user.pk
        visible = post.status == PostStatus.PUBLISHED and not post.is_hidden and not post.is_deleted
        post.may_quote = may_post and visible
        post.may_mark_helpful = not own and visible
        post.may_choose_best = chooses_best and post.number > 1 and visible
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


def user_may_download_attachment(*, user: User, attachment: PostAttachment) -> bool:
    """Whoever may see the post may fetch its files; a hidden or deleted post's files only the
    moderators."""
    post = attachment.post
    if not user_may_see_post(user=user, post=post):
        return False
    if post.is_deleted or post.is_hidden:
        return user_is_forum_moderator(user=user, category=post.topic.category)
    return True
