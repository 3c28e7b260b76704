"""Writing on the board: posting, editing and deleting messages, and saying one is typing. Every
message is a row before it is broadcast; broadcasts go through events.publish after the
transaction commits."""

import contextlib
import time

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from core.models import User
from events.exceptions import (
    BodyTooLong,
    InvalidFrame,
    MessageNotFound,
    NotAllowed,
    RateLimited,
    RoomArchived,
    UserMuted,
)
from events.models import Message, ModerationAction, ModerationLogEntry, Room
from events.publish import board_deleted, board_edited, board_message, board_typing
from events.selectors import room_access, room_message
from network.selectors.memberships import user_membership

MAX_BODY = 4000
MAX_NONCE = 64
RATE_LIMIT = 10  # posts …
RATE_WINDOW = 10  # … per this many seconds, per user and room
TYPING_INTERVAL = 3


def _clean_body(body) -> str:
    if not isinstance(body, str) or not body.strip():
        raise InvalidFrame(_("A message needs some text."))
    if len(body) > MAX_BODY:
        raise BodyTooLong()
    return body


def _check_rate(*, room: Room, user: User) -> None:
    """At most RATE_LIMIT posts in any RATE_WINDOW seconds, per user and room, counted in the
    shared cache (Redis in production) so several tabs and worker processes share the count."""
    now = int(time.time())
    prefix = f"board:rate:{room.pk}:{user.pk}:"
    key = f"{prefix}{now}"
    cache.add(key, 0, timeout=RATE_WINDOW + 2)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RATE_WINDOW + 2)
    # RATE_WINDOW + 1 one-second buckets cover every RATE_WINDOW-second span ending now.
    keys = [f"{prefix}{second}" for second in range(now - RATE_WINDOW, now + 1)]
    if sum(cache.get_many(keys).values()) > RATE_LIMIT:
        with contextlib.suppress(ValueError):
            cache.decr(key)
        raise RateLimited()


def _author_municipality(user: User) -> str:
    membership = user_membership(user=user)
    if membership is not None:
        return membership.municipality.name
    if user.landesjugendamt:
        return user.get_landesjugendamt_display()
    return ""


def _check_write(*, user: User, room: Room) -> None:
    access = room_access(user=user, room=room)
    if not access.read:
        raise NotAllowed()
    if access.archived:
        raise RoomArchived()
    if access.muted_until is not None:
        raise UserMuted()


def message_post(*, room: Room, author: User, body, nonce) -> tuple[Message, bool]:
    """Store a message and broadcast it after commit. The same nonce from the same author in the
    same room stores nothing and returns the stored message (created=False): a re-sent post after
    a dropped connection is kept once. Checks: 1–4000 characters, a nonce of 1–64 characters,
    write access (not archived, not muted), at most 10 posts per 10 seconds."""
    if not isinstance(nonce, str) or not nonce or len(nonce) > MAX_NONCE:
        raise InvalidFrame(_("Every message needs a nonce of 1 to 64 characters."))
    replayed = Message.objects.filter(room=room, author=author, nonce=nonce).first()
    if replayed is not None:
        return replayed, False
    body = _clean_body(body)
    _check_write(user=author, room=room)
    _check_rate(room=room, user=author)
    try:
        with transaction.atomic():
            message = message_store(room=room, author=author, nonce=nonce, body=body)
            board_message(message=message)
    except IntegrityError:  # the same nonce from another tab at the same moment
        return Message.objects.get(room=room, author=author, nonce=nonce), False
    return message, True


def message_store(*, room: Room, author: User, nonce: str, body: str) -> Message:
    """Store a message with the room's next `seq`, without checks or broadcast (message_post
    checks and broadcasts; the demo data stores directly). The room's row stays locked until the
    surrounding transaction ends, so seqs have no gaps and commit in their order: a client that
    holds seq n and then sees n + 2 knows n + 1 exists and is committed."""
    with transaction.atomic():
        locked = Room.objects.select_for_update().only("last_seq").get(pk=room.pk)
        seq = locked.last_seq + 1
        Room.objects.filter(pk=room.pk).update(last_seq=seq)
        room.last_seq = seq
        return Message.objects.create(
            room=room,
            seq=seq,
            author=author,
            author_municipality=_author_municipality(author),
            nonce=nonce,
            body=body,
            body_html=render_markdown(body),
        )


def message_edit(*, room: Room, user: User, message_id, body) -> Message:
    """The author edits their own message (while they may write); broadcasts `edited`."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise InvalidFrame()
    body = _clean_body(body)
    message = room_message(room=room, message_id=message_id)
    if message is None:
        raise MessageNotFound()
    if message.author_id != user.pk:
        raise NotAllowed(_("Only the author may edit a message."))
    _check_write(user=user, room=room)
    with transaction.atomic():
        message.body = body
        message.body_html = render_markdown(body)
        message.edited_at = timezone.now()
        message.save(update_fields=["body", "body_html", "edited_at"])
        board_edited(message=message)
    return message


def message_delete(*, room: Room, user: User, message_id) -> Message:
    """The author or a moderator deletes a message; a moderator's deletion is logged (with the
    start of the text, for reviewing the moderation). The text itself is erased (DSGVO): the row
    stays, without it, so ids and seqs stay as they were and `sync` can say it was deleted.
    Broadcasts `deleted` with the id."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise InvalidFrame()
    message = room_message(room=room, message_id=message_id)
    if message is None:
        raise MessageNotFound()
    access = room_access(user=user, room=room)
    is_author = message.author_id == user.pk and access.write
    if not is_author and not access.moderate:
        raise NotAllowed(_("Only the author or a moderator may delete a message."))
    with transaction.atomic():
        if not is_author:
            ModerationLogEntry.objects.create(
                room=room,
                actor=user,
                action=ModerationAction.DELETE_MESSAGE,
                target_user=message.author,
                message=message,
                detail=message.body[:300],
            )
        message.deleted_at = timezone.now()
        message.deleted_by = user
        message.body = message.body_html = ""
        message.save(update_fields=["deleted_at", "deleted_by", "body", "body_html"])
        board_deleted(message=message)
    return message


def typing_announce(*, room: Room, user: User) -> bool:
    """Broadcast that the user is typing, at most once per 3 seconds per user and room (shared
    cache, so several tabs count together). Returns whether it was sent."""
    if not room_access(user=user, room=room).write:
        raise NotAllowed()
    if not cache.add(f"board:typing:{room.pk}:{user.pk}", 1, timeout=TYPING_INTERVAL):
        return False
    board_typing(room=room, user=user)
    return True
