"""Writes of the live board, one module per concern: `rooms` (which rooms exist and who sees
them), `messages` (what people write), `moderation` (archive, mute). Callers import from here."""

from events.services.messages import (
    message_delete,
    message_edit,
    message_post,
    message_store,
    typing_announce,
)
from events.services.moderation import room_set_archived, user_mute, user_unmute
from events.services.rooms import (
    room_create_meeting,
    room_ensure_defaults,
    room_for_course_date,
    room_for_slug,
    room_list_for_user,
    room_mark_read,
    room_set_members,
)

__all__ = [
    "message_delete",
    "message_edit",
    "message_post",
    "message_store",
    "room_create_meeting",
    "room_ensure_defaults",
    "room_for_course_date",
    "room_for_slug",
    "room_list_for_user",
    "room_mark_read",
    "room_set_archived",
    "room_set_members",
    "typing_announce",
    "user_mute",
    "user_unmute",
]
