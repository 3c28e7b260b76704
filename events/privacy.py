"""Personal data held by the live board: messages, read marks, mutes."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.privacy import forget_words
from events.models import Message, ModerationLogEntry, Mute, ReadState, Room

RETENTION = [
    (
        _("Your messages on the live board (text, time, room)"),
        _(
            "As long as the room exists; the text of a message is removed as soon as it is "
            "deleted, and that of all your messages when you delete your account."
        ),
    ),
    (
        _("How far you have read in each room"),
        _("As long as the account exists."),
    ),
    (
        _(
            "Moderation steps concerning you or taken by you (mutes, messages deleted by a "
            "moderator with the beginning of their text)"
        ),
        _("As long as the room exists, so moderation can be reviewed."),
    ),
]


def export(user) -> dict:
    return {
        "board_messages": [
            {
                "room": m.room.title,
                "created": m.created_at.isoformat(),
                "edited": m.edited_at.isoformat() if m.edited_at else None,
                "deleted": m.deleted_at.isoformat() if m.deleted_at else None,
                "text": None if m.deleted_at else m.body,  # erased on deletion
            }
            for m in Message.objects.filter(author=user).select_related("room").order_by("id")
        ],
        "board_read_marks": [
            {"room": r.room.title, "last_read_id": r.last_read_id}
            for r in ReadState.objects.filter(user=user).select_related("room")
        ],
        "board_mutes": [
            {"room": m.room.title, "until": m.until.isoformat(), "reason": m.reason}
            for m in Mute.objects.filter(user=user).select_related("room")
        ],
        # What moderators did about this person (with their reason, or the deleted text), and
        # which moderation steps this person took: the latter without the other person's data.
        "board_moderation_concerning_you": [
            {
                "room": e.room.title,
                "when": e.created_at.isoformat(),
                "action": str(e.get_action_display()),
                "detail": e.detail,
            }
            for e in ModerationLogEntry.objects.filter(target_user=user)
            .select_related("room")
            .order_by("id")
        ],
        "board_moderation_by_you": [
            {
                "room": e.room.title,
                "when": e.created_at.isoformat(),
                "action": str(e.get_action_display()),
            }
            for e in ModerationLogEntry.objects.filter(actor=user)
            .select_related("room")
            .order_by("id")
        ],
    }


def erase(user) -> None:
    """The text of the person's messages goes; the rows stay as "deleted" so ids keep growing
    and others' replies keep their place."""
    _erase_messages(user)
    ReadState.objects.filter(user=user).delete()
    ModerationLogEntry.objects.filter(target_user=user).update(detail="")


def forget(*, words) -> None:
    """Others' messages may name the person (or @mention her), and so may a mute's reason, the
    moderation log or a meeting room's title: those words become "ehemaliges Mitglied"."""
    forget_words(words=words, model=Message, fields=["body"], rendered={"body": "body_html"})
    forget_words(words=words, model=Mute, fields=["reason"])
    forget_words(words=words, model=ModerationLogEntry, fields=["detail"])
    forget_words(words=words, model=Room, fields=["title", "description"])


def _erase_messages(user) -> None:
    now = timezone.now()
    Message.objects.filter(author=user, deleted_at__isnull=True).update(deleted_at=now)
    Message.objects.filter(author=user).update(body="", body_html="")
