"""Writing posts: replies, edits, the author's own deletion, "hilfreich" and the best
answer. Each function checks its own rule (the views only call)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from core.models import User
from events.publish import topic_posted
from network.attachments import attachments_check, attachments_save
from network.exceptions import NotAllowed, TextTooLong
from network.forums.exceptions import BestAnswerInvalid, EmptyText, TopicClosed
from network.forums.models import (
    ForumCategory,
    Post,
    PostAttachment,
    PostReaction,
    PostRevision,
    PostStatus,
    Topic,
    TopicReadState,
)
from network.forums.selectors.mentions import mention_urls
from network.forums.selectors.permissions import (
    user_is_forum_moderator,
    user_may_edit_post,
    user_may_post_in_topic,
    user_may_read_topic,
    user_may_see_post,
)
from network.forums.services.notifications import notifications_for_post
from network.selectors.memberships import user_is_coordinator

MAX_POST_LENGTH = 20_000


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise EmptyText
    if len(body) > MAX_POST_LENGTH:
        raise TextTooLong
    return body


def _must_be_held(*, author: User, category: ForumCategory) -> bool:
    """A new member's posts wait for review in categories that ask for it, until a moderator
    has approved one. Coordinators, staff and moderators are never held."""
    if not category.hold_first_posts:
        return False
    if user_is_forum_moderator(user=author, category=category) or user_is_coordinator(user=author):
        return False
    return not Post.objects.filter(
        author=author, status=PostStatus.PUBLISHED, is_deleted=False
    ).exists()


def _announce(*, post: Post) -> None:
    notifications_for_post(post=post)
    topic_posted(post=post)


def render_post(*, body: str, category: ForumCategory) -> str:
    """A post's HTML: an @handle of someone who may read the category links to their page;
    any other @word stays text."""
    return render_markdown(body, mentions=mention_urls(body=body, category=category))


def read_mark(*, topic: Topic, user: User, number: int) -> None:
    """Remember that the user has read the topic up to post `number` (never backwards); at
    most two queries, no savepoint."""
    if not user.is_authenticated:
        return
    updated = TopicReadState.objects.filter(
        topic=topic, user=user, last_read_number__lt=number
    ).update(last_read_number=number)
    if not updated:
        TopicReadState.objects.bulk_create(
            [TopicReadState(topic=topic, user=user, last_read_number=number)],
            ignore_conflicts=True,
        )


def post_create(
    *, topic: Topic, author: User, body: str, reply_to: Post | None = None, files=()
) -> Post:
    """A reply: by whoever may read the topic, while it is open (moderators also when closed).
    A new member's first post may be held for review; others are told at once."""
    if not user_may_read_topic(user=author, topic=topic):
        raise NotAllowed
    if not user_may_post_in_topic(user=author, topic=topic):
        raise TopicClosed
    body = _clean_body(body)
    if reply_to is not None and (
        reply_to.topic_id != topic.pk or not user_may_see_post(user=author, post=reply_to)
    ):
        reply_to = None
    checked = attachments_check(files=files)
    with transaction.atomic():
        return _post_insert(topic=topic, author=author, body=body, files=checked, reply_to=reply_to)


def _post_insert(*, topic, author, body, files, reply_to=None, at=None) -> Post:
    locked = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    held = _must_be_held(author=author, category=locked.category)
    now = at or timezone.now()
    locked.last_number += 1
    post = Post.objects.create(
        topic=locked,
        number=locked.last_number,
        author=author,
        reply_to=reply_to,
        body=body,
        body_html=render_post(body=body, category=locked.category),
        status=PostStatus.HELD if held else PostStatus.PUBLISHED,
        created_at=now,
    )
    attachments_save(model=PostAttachment, files=files, post=post)
    fields = ["last_number"]
    if not held:
        locked.post_count += 1
        locked.last_activity_at = now
        fields += ["post_count", "last_activity_at"]
    locked.save(update_fields=fields)
    topic.last_number, topic.post_count = locked.last_number, locked.post_count
    topic.last_activity_at = locked.last_activity_at
    read_mark(topic=locked, user=author, number=post.number)
    if not held:
        _announce(post=post)
    return post


def quote_text(*, post: Post) -> str:
    """The Markdown a reply starts with when it quotes `post`."""
    lines = post.body.splitlines() or [""]
    quoted = "\n".join(f"> {line}" for line in lines)
    return _("%(name)s wrote:") % {"name": post.author.display_name} + "\n" + quoted + "\n\n"


def post_edit(*, post: Post, by: User, body: str) -> Post:
    """The author (topic open) or a moderator edits; the previous text is kept as a revision
    for the moderators, and the post shows it was edited."""
    if not user_may_edit_post(user=by, post=post):
        raise NotAllowed
    body = _clean_body(body)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(
            post=post, body=post.body, body_html=post.body_html, edited_by=by
        )
        post.body = body
        post.body_html = render_post(body=body, category=post.topic.category)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
    return post


def reaction_toggle(*, post: Post, user: User) -> bool:
    """ "hilfreich": whoever sees a published post (not their own) may mark it once, and take it
    back. Returns whether the user now finds it helpful."""
    if not user_may_see_post(user=user, post=post) or post.status != PostStatus.PUBLISHED:
        raise NotAllowed
    if post.author_id == user.pk or post.is_deleted or post.is_hidden:
        raise NotAllowed
    with transaction.atomic():
        deleted, _x = PostReaction.objects.filter(post=post, user=user).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(
                helpful_count=F("helpful_count") - 1, version=F("version") + 1
            )
            return False
        PostReaction.objects.create(post=post, user=user)
        Post.objects.filter(pk=post.pk).update(
            helpful_count=F("helpful_count") + 1, version=F("version") + 1
        )
        return True


def best_answer_set(*, topic: Topic, by: User, post: Post | None) -> Topic:
    """Only the topic's author chooses the best answer: a visible reply in the same topic (not
    the opening post). None takes the choice back."""
    if not user_may_read_topic(user=by, topic=topic) or topic.author_id != by.pk:
        raise NotAllowed
    if post is not None and (
        post.topic_id != topic.pk
        or post.number == 1
        or post.status != PostStatus.PUBLISHED
        or post.is_deleted
        or post.is_hidden
    ):
        raise BestAnswerInvalid
    topic.best_answer = post
    topic.save(update_fields=["best_answer"])
    return topic
