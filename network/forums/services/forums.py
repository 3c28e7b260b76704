"""Writing in the forums and moderating them. Each function checks its own rule (the views only
call), and every moderation action is logged with who did it and why."""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.markdown import render_markdown
from core.models import User
from events.publish import topic_posted
from network.attachments import CheckedFile, attachments_check
from network.exceptions import NotAllowed, TextTooLong
from network.forums.exceptions import (
    BestAnswerInvalid,
    EmptyText,
    HandleInvalid,
    HandleTaken,
    ReasonRequired,
    TopicClosed,
)
from network.forums.models import (
    CategoryVisibility,
    CategoryWatch,
    ForumCategory,
    MentionHandle,
    ModerationAction,
    ModerationLogEntry,
    Post,
    PostAttachment,
    PostReaction,
    PostReport,
    PostRevision,
    PostStatus,
    ReportStatus,
    Topic,
    TopicReadState,
    TopicWatch,
    WatchLevel,
)
from network.forums.selectors.forums import (
    mention_urls,
    user_is_forum_moderator,
    user_may_create_topic,
    user_may_delete_post,
    user_may_edit_post,
    user_may_post_in_topic,
    user_may_read_category,
    user_may_read_topic,
    user_may_see_post,
)
from network.forums.services.notifications import notification_moderation, notifications_for_post
from network.selectors.memberships import user_is_coordinator

MAX_POST_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,39}$")


def _clean_body(body: str) -> str:
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise EmptyText
    if len(body) > MAX_POST_LENGTH:
        raise TextTooLong
    return body


def _clean_title(title: str) -> str:
    title = " ".join((title or "").replace("\x00", "").split())
    if not title:
        raise EmptyText(_("Please give the topic a title."))
    if len(title) > MAX_TITLE_LENGTH:
        raise TextTooLong(_("The title may have at most 200 characters."))
    return title


def _clean_reason(reason: str) -> str:
    reason = (reason or "").replace("\x00", "").strip()
    if not reason or len(reason) > 1000:
        raise ReasonRequired
    return reason


def _log(*, action: str, actor: User, reason: str, topic=None, post=None, detail: str = ""):
    ModerationLogEntry.objects.create(
        action=action, actor=actor, reason=reason, topic=topic, post=post, detail=detail[:300]
    )


def moderation_log_example_review(*, actor: User, reason: str, detail: str) -> None:
    """The practice examples' review is logged with the forums' moderation actions."""
    _log(action=ModerationAction.REVIEW_EXAMPLE, actor=actor, reason=reason, detail=detail)


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


def _save_attachments(*, post: Post, files: list[CheckedFile]) -> None:
    for checked in files:
        PostAttachment.objects.create(
            post=post,
            file=checked.file,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
        )


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
    _save_attachments(post=post, files=files)
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


def post_delete(*, post: Post, by: User, reason: str = "") -> Post:
    """Soft delete: the post stays as a placeholder. The author deletes their own; a moderator
    deleting someone else's post gives a reason, which is logged and told to the author."""
    if not user_may_delete_post(user=by, post=post):
        raise NotAllowed
    own = post.author_id == by.pk
    if not own:
        reason = _clean_reason(reason)
    with transaction.atomic():
        post.is_deleted = True
        post.save(update_fields=["is_deleted"])
        if post.status == PostStatus.PUBLISHED:
            Topic.objects.filter(pk=post.topic_id, post_count__gt=0).update(
                post_count=F("post_count") - 1
            )
        Topic.objects.filter(pk=post.topic_id, best_answer=post).update(best_answer=None)
        if not own:
            _log(action=ModerationAction.DELETE_POST, actor=by, reason=reason,
                 topic=post.topic, post=post)  # fmt: skip
            notification_moderation(
                user=post.author,
                text=_("A moderator deleted your post in „%(topic)s“: %(reason)s")
                % {"topic": post.topic.title, "reason": reason},
                topic=post.topic,
            )
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
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") - 1)
            return False
        PostReaction.objects.create(post=post, user=user)
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
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


def mention_handle_set(*, user: User, handle: str) -> MentionHandle | None:
    """Each person picks the handle others write after @; empty removes it."""
    handle = (handle or "").strip().lstrip("@").lower()
    if not handle:
        MentionHandle.objects.filter(user=user).delete()
        return None
    if not HANDLE_RE.match(handle):
        raise HandleInvalid
    if MentionHandle.objects.filter(handle=handle).exclude(user=user).exists():
        raise HandleTaken
    try:
        with transaction.atomic():
            obj, _x = MentionHandle.objects.update_or_create(user=user, defaults={"handle": handle})
    except IntegrityError as error:
        raise HandleTaken from error
    return obj


def topic_watch_set(*, topic: Topic, user: User, level: str) -> None:
    if not user_may_read_topic(user=user, topic=topic) or level not in WatchLevel.values:
        raise NotAllowed
    TopicWatch.objects.update_or_create(topic=topic, user=user, defaults={"level": level})


def category_watch_set(*, category: ForumCategory, user: User, level: str) -> None:
    if not user_may_read_category(user=user, category=category) or level not in WatchLevel.values:
        raise NotAllowed
    CategoryWatch.objects.update_or_create(category=category, user=user, defaults={"level": level})


# --- reports and moderation ---------------------------------------------------------------------


def post_report(*, post: Post, by: User, reason: str) -> PostReport:
    """Whoever sees a post may report it once (while the report is open), with a reason."""
    if not user_may_see_post(user=by, post=post) or post.author_id == by.pk:
        raise NotAllowed
    reason = _clean_reason(reason)
    existing = PostReport.objects.filter(post=post, reporter=by, status=ReportStatus.OPEN).first()
    if existing:
        return existing
    return PostReport.objects.create(post=post, reporter=by, reason=reason)


def _require_moderator(*, user: User, category: ForumCategory) -> None:
    if not user_is_forum_moderator(user=user, category=category):
        raise NotAllowed


def report_decide(*, report: PostReport, by: User, reason: str, resolved: bool) -> PostReport:
    """A moderator closes a report (action taken, or dismissed); the reporter is told."""
    _require_moderator(user=by, category=report.post.topic.category)
    reason = _clean_reason(reason)
    if report.status != ReportStatus.OPEN:
        return report
    with transaction.atomic():
        report.status = ReportStatus.RESOLVED if resolved else ReportStatus.DISMISSED
        report.decided_at = timezone.now()
        report.decided_by = by
        report.save(update_fields=["status", "decided_at", "decided_by"])
        action = ModerationAction.RESOLVE_REPORT if resolved else ModerationAction.DISMISS_REPORT
        _log(action=action, actor=by, reason=reason, topic=report.post.topic, post=report.post)
        text = (
            _("Your report about a post in „%(topic)s“ was handled: %(reason)s")
            if resolved
            else _("Your report about a post in „%(topic)s“ was dismissed: %(reason)s")
        )
        notification_moderation(
            user=report.reporter,
            text=text % {"topic": report.post.topic.title, "reason": reason},
            topic=report.post.topic,
        )
    return report


def post_hide(*, post: Post, by: User, reason: str, hidden: bool = True) -> Post:
    """A moderator hides a post (it stays for the moderators) or shows it again."""
    _require_moderator(user=by, category=post.topic.category)
    reason = _clean_reason(reason)
    with transaction.atomic():
        post.is_hidden = hidden
        post.save(update_fields=["is_hidden"])
        _log(action=ModerationAction.HIDE if hidden else ModerationAction.UNHIDE, actor=by,
             reason=reason, topic=post.topic, post=post)  # fmt: skip
        if hidden:
            notification_moderation(
                user=post.author,
                text=_("A moderator hid your post in „%(topic)s“: %(reason)s")
                % {"topic": post.topic.title, "reason": reason},
                topic=post.topic,
                url=reverse("network:topic", args=[post.topic_id]),
            )
    return post


def post_review(*, post: Post, by: User, approve: bool, reason: str = "") -> Post:
    """A moderator approves a held post (it appears and notifies as if new) or rejects it."""
    _require_moderator(user=by, category=post.topic.category)
    # Approving needs no reason; rejecting does, since the author is told why.
    reason = ((reason or "").strip()[:1000] or _("approved")) if approve else _clean_reason(reason)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.status != PostStatus.HELD:
            return locked
        post.status = PostStatus.PUBLISHED if approve else PostStatus.REJECTED
        post.save(update_fields=["status"])
        _log(action=ModerationAction.APPROVE if approve else ModerationAction.REJECT, actor=by,
             reason=reason, topic=post.topic, post=post)  # fmt: skip
        if approve:
            Topic.objects.filter(pk=post.topic_id).update(
                post_count=F("post_count") + 1, last_activity_at=timezone.now()
            )
            _announce(post=post)
            text = _("Your post in „%(topic)s“ was approved and is now visible.")
        else:
            text = _("Your post in „%(topic)s“ was not approved: %(reason)s")
        notification_moderation(
            user=post.author,
            text=text % {"topic": post.topic.title, "reason": reason},
            topic=post.topic,
            url=reverse("network:topic", args=[post.topic_id]),
        )
    return post


def topic_moderate(
    *, topic: Topic, by: User, action: str, reason: str, category: ForumCategory | None = None
) -> Topic:
    """Pin/unpin, close/open, move or delete a topic: moderators of its category (for a move,
    also of the target category), with a reason that is logged."""
    _require_moderator(user=by, category=topic.category)
    reason = _clean_reason(reason)
    detail = ""
    with transaction.atomic():
        if action == ModerationAction.PIN:
            topic.is_pinned = True
        elif action == ModerationAction.UNPIN:
            topic.is_pinned = False
        elif action == ModerationAction.CLOSE:
            topic.is_closed = True
        elif action == ModerationAction.OPEN:
            topic.is_closed = False
        elif action == ModerationAction.DELETE_TOPIC:
            topic.is_deleted = True
        elif action == ModerationAction.MOVE:
            if category is None or category.pk == topic.category_id:
                raise NotAllowed
            _require_moderator(user=by, category=category)
            detail = f"{topic.category.name} → {category.name}"
            topic.category = category
        else:
            raise NotAllowed
        topic.save(update_fields=["is_pinned", "is_closed", "is_deleted", "category"])
        _log(action=action, actor=by, reason=reason, topic=topic, detail=detail)
        if action in (ModerationAction.DELETE_TOPIC, ModerationAction.MOVE) and (
            topic.author_id != by.pk
        ):
            notification_moderation(
                user=topic.author,
                text=(
                    _("A moderator deleted your topic „%(topic)s“: %(reason)s")
                    if action == ModerationAction.DELETE_TOPIC
                    else _("A moderator moved your topic „%(topic)s“: %(reason)s")
                )
                % {"topic": topic.title, "reason": reason},
                topic=topic if action == ModerationAction.MOVE else None,
                url=reverse("network:topic", args=[topic.pk])
                if action == ModerationAction.MOVE
                else "",
            )
    return topic
