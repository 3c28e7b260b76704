"""Moderation of a room: archiving it, muting and unmuting people. Every step is logged, and the
connections concerned re-check their rights at once."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from events.exceptions import InvalidFrame, NotAllowed
from events.models import ModerationAction, ModerationLogEntry, Mute, Room
from events.publish import access_changed, board_access_changed
from events.selectors import room_access


def room_set_archived(*, room: Room, by: User, archived: bool) -> Room:
    """Staff archive a room (read-only from then on) or reopen it; logged."""
    if not room_access(user=by, room=room).moderate:
        raise NotAllowed()
    with transaction.atomic():
        room.archived_at = timezone.now() if archived else None
        room.save(update_fields=["archived_at"])
        ModerationLogEntry.objects.create(
            room=room,
            actor=by,
            action=ModerationAction.ARCHIVE if archived else ModerationAction.UNARCHIVE,
        )
    board_access_changed(room=room)
    return room


def user_mute(*, room: Room, by: User, user: User, minutes: int, reason: str = "") -> Mute:
    """A moderator mutes a person in a room for a time (1 minute to 30 days); logged. The
    person's connections re-check their rights at once."""
    if not room_access(user=by, room=room).moderate:
        raise NotAllowed()
    if not isinstance(minutes, int) or not 1 <= minutes <= 60 * 24 * 30:
        raise InvalidFrame(_("A mute lasts between one minute and 30 days."))
    if user.pk == by.pk:
        raise InvalidFrame(_("You cannot mute yourself."))
    with transaction.atomic():
        mute = Mute.objects.create(
            room=room,
            user=user,
            until=timezone.now() + timedelta(minutes=minutes),
            reason=reason[:300],
            created_by=by,
        )
        ModerationLogEntry.objects.create(
            room=room,
            actor=by,
            action=ModerationAction.MUTE,
            target_user=user,
            detail=f"{minutes} min: {reason}"[:300],
        )
        access_changed(user_id=user.pk)
    return mute


def user_unmute(*, room: Room, by: User, user: User) -> int:
    """A moderator lifts every running mute of a person in a room; logged."""
    if not room_access(user=by, room=room).moderate:
        raise NotAllowed()
    with transaction.atomic():
        ended = Mute.objects.filter(room=room, user=user, until__gt=timezone.now()).update(
            until=timezone.now()
        )
        ModerationLogEntry.objects.create(
            room=room, actor=by, action=ModerationAction.UNMUTE, target_user=user
        )
        access_changed(user_id=user.pk)
    return ended
