"""Who hears about what: notifications for new posts (mentions, replies, watched topics) and
moderation outcomes; the e-mail each person chose (immediately or a daily digest)."""

import re
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import Mail, enqueue_mails
from core.models import User
from events.publish import notification_count
from network.forums.models import (
    NOTIFICATION_SENTENCES,
    CategoryWatch,
    EmailMode,
    EmailState,
    ForumCategory,
    MentionHandle,
    Notification,
    NotificationKind,
    NotificationSettings,
    Post,
    PostStatus,
    Topic,
    TopicWatch,
    WatchLevel,
)
from network.forums.selectors.notifications import notification_unread_count
from network.forums.selectors.permissions import category_readers

MENTION_RE = re.compile(r"(?<![\w@/.])@([a-z0-9][a-z0-9_-]{1,39})", re.IGNORECASE)
DIGEST_INTERVAL = timedelta(hours=23)  # daily, with slack for an hourly cron
# What a new post tells people (moderation outcomes are told apart).
POST_KINDS = [NotificationKind.MENTION, NotificationKind.REPLY, NotificationKind.WATCHED]


def mentioned_handles(*, body: str) -> set[str]:
    return {m.lower() for m in MENTION_RE.findall(body or "")}


def _levels(*, topic: Topic, category: ForumCategory, user_ids: set[int]) -> dict[int, str]:
    """Each user's effective watching level: the topic's if set, else the category's, else
    normal."""
    levels = dict.fromkeys(user_ids, WatchLevel.NORMAL)
    for uid, level in CategoryWatch.objects.filter(
        category=category, user_id__in=user_ids
    ).values_list("user_id", "level"):
        levels[uid] = level
    for uid, level in TopicWatch.objects.filter(topic=topic, user_id__in=user_ids).values_list(
        "user_id", "level"
    ):
        levels[uid] = level
    return levels


def _watchers(*, topic: Topic, category: ForumCategory) -> set[int]:
    topic_levels = dict(TopicWatch.objects.filter(topic=topic).values_list("user_id", "level"))
    watchers = {uid for uid, level in topic_levels.items() if level == WatchLevel.WATCHING}
    for uid in CategoryWatch.objects.filter(
        category=category, level=WatchLevel.WATCHING
    ).values_list("user_id", flat=True):
        if uid not in topic_levels:
            watchers.add(uid)
    return watchers


def notifications_for_post(*, post: Post) -> None:
    """Tell the people a newly visible post concerns, in the task worker: the task
    (network.forums.tasks.announce_post) is enqueued in the post's transaction, so a post that
    is rolled back tells nobody, and the author's request does not wait for the fan-out and its
    e-mails."""
    from network.forums.tasks import announce_post

    announce_post.enqueue(post.pk)


def post_notifications_create(*, post_id: int) -> list[Notification]:
    """One notification per person for a newly visible post, the strongest reason first:
    mentioned (by handle) > replied to (the quoted post's author, else the topic's author) >
    watching the topic or its category. Muted topics (or categories) stay silent; the author is
    never told about their own post; and nobody is told who may not read the topic.

    Once per post: the post's row is locked, and a post that already has its notifications (a
    task run again), was deleted or is no longer visible meanwhile tells nobody."""
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("topic__category", "author", "reply_to")
        .filter(pk=post_id, status=PostStatus.PUBLISHED, is_deleted=False)
        .first()
    )
    if post is None or Notification.objects.filter(post=post, kind__in=POST_KINDS).exists():
        return []
    topic = post.topic
    category = topic.category
    reasons: dict[int, str] = {}
    handles = mentioned_handles(body=post.body)
    if handles:
        for uid in MentionHandle.objects.filter(handle__in=handles).values_list(
            "user_id", flat=True
        ):
            reasons.setdefault(uid, NotificationKind.MENTION)
    if post.number > 1:
        replied = post.reply_to.author_id if post.reply_to_id else topic.author_id
        reasons.setdefault(replied, NotificationKind.REPLY)
    for uid in _watchers(topic=topic, category=category):
        reasons.setdefault(uid, NotificationKind.WATCHED)
    reasons.pop(post.author_id, None)
    if not reasons:
        return []
    levels = _levels(topic=topic, category=category, user_ids=set(reasons))
    reasons = {uid: kind for uid, kind in reasons.items() if levels[uid] != WatchLevel.MUTED}
    readers = category_readers(category=category, among=list(reasons))
    url = reverse("network:post_jump", args=[post.pk])
    notifications = [
        Notification(
            user=user,
            kind=reasons[user.pk],
            actor=post.author,
            topic=topic,
            post=post,
            text=topic.title[:300],
            url=url,
        )
        for user in readers
    ]
    return notifications_deliver(notifications=notifications)


def notification_moderation(
    *, user: User, event: str, topic_title: str, reason: str = "", url: str = "", topic=None
):
    """Tell someone the outcome of a moderation decision about what they wrote or reported:
    `event` names the sentence (NOTIFICATION_SENTENCES), which is rendered when read, in the
    reader's language."""
    return _notification_one(
        user=user,
        kind=NotificationKind.MODERATION,
        event=event,
        title=topic_title,
        detail=reason,
        url=url,
        topic=topic,
    )


def notification_practice(
    *, user: User, event: str, example_title: str, url: str, note: str = "", actor=None
):
    """Tell someone what became of a practice example they wrote, are asked to confirm, or are
    named in as contact person (`actor`: the person the sentence names, if it names one)."""
    return _notification_one(
        user=user,
        kind=NotificationKind.PRACTICE,
        event=event,
        title=example_title,
        detail=note,
        url=url,
        actor=actor,
    )


def _notification_one(
    *, user: User, kind: str, event: str, title: str, detail: str, url: str, topic=None, actor=None
):
    if event not in NOTIFICATION_SENTENCES:
        raise ValueError(f"Unknown notification event: {event}")
    if user is None or not user.is_active:
        return []
    return notifications_deliver(
        notifications=[
            Notification(
                user=user,
                kind=kind,
                event=event,
                actor=actor,
                topic=topic,
                text=title[:300],
                detail=detail[:300],
                url=url,
            )
        ]
    )


def notifications_deliver(*, notifications: list[Notification]) -> list[Notification]:
    """Store the notifications, send the immediate e-mails (after commit), mark the rest for the
    digest, and push the new unread count to each person's open pages."""
    if not notifications:
        return []
    user_ids = [n.user.pk for n in notifications]
    modes = dict(
        NotificationSettings.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "email_mode"
        )
    )
    mails = []
    for n in notifications:
        mode = modes.get(n.user.pk, EmailMode.IMMEDIATE)
        if mode == EmailMode.IMMEDIATE:
            n.email_state = EmailState.SENT
            mails.append(
                Mail(
                    template="forums/mail/notification",
                    to=[n.user.email],
                    context={"notification": n, "recipient": n.user},
                )
            )
        elif mode == EmailMode.DIGEST:
            n.email_state = EmailState.PENDING
        else:
            n.email_state = EmailState.NONE
    created = Notification.objects.bulk_create(notifications)
    enqueue_mails(mails)
    for user_id in sorted(set(user_ids)):
        notification_count(user_id=user_id, unread=notification_unread_count(user_id=user_id))
    return created


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; someone else's id changes
    nothing."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    # The count the request's user was loaded with is no longer true (user_unread_count).
    user._unread_notifications = None
    return qs.update(read_at=timezone.now())


def notification_settings_set(*, user: User, email_mode: str) -> NotificationSettings:
    if email_mode not in EmailMode.values:
        email_mode = EmailMode.IMMEDIATE
    settings, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return settings


def digests_send(*, now=None) -> int:
    """Send each person who chose the daily digest one e-mail with their pending notifications,
    at most once in DIGEST_INTERVAL. Safe to run every hour and from two machines at once: the
    settings row is locked and the notifications marked sent in the same transaction, so nothing
    goes out twice; a rolled-back run sends nothing."""
    now = now or timezone.now()
    sent = 0
    user_ids = (
        Notification.objects.filter(email_state=EmailState.PENDING)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in sorted(set(user_ids)):
        with transaction.atomic():
            settings, _ = NotificationSettings.objects.get_or_create(user_id=user_id)
            settings = NotificationSettings.objects.select_for_update().get(pk=settings.pk)
            if settings.last_digest_at and settings.last_digest_at > now - DIGEST_INTERVAL:
                continue
            pending = list(
                Notification.objects.select_for_update()
                .filter(user_id=user_id, email_state=EmailState.PENDING)
                .order_by("created_at", "pk")
            )
            if not pending:
                continue
            ids = [n.pk for n in pending]
            Notification.objects.filter(pk__in=ids).update(email_state=EmailState.SENT)
            settings.last_digest_at = now
            settings.save(update_fields=["last_digest_at"])
            user = User.objects.get(pk=user_id)
            if not user.is_active:
                continue
            pending = list(
                Notification.objects.filter(pk__in=ids)
                .select_related("actor", "topic")
                .order_by("created_at", "pk")
            )
            enqueue_mails(
                [
                    Mail(
                        template="forums/mail/digest",
                        to=[user.email],
                        context={"notifications": pending, "recipient": user},
                    )
                ]
            )
            sent += 1
    return sent
