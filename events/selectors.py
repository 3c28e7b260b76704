"""Reads of the live board. `room_access` is the one rule for who may read, write and moderate a
room; every view, consumer and service asks it."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import User
from core.selectors import user_has_staff_power
from events.models import Message, ModerationLogEntry, Mute, ReadState, Room, RoomKind
from network.selectors.memberships import user_is_member, user_membership

HISTORY_MAX = 100
SYNC_BATCH = 500


@dataclass(frozen=True)
class RoomAccess:
    read: bool = False
    write: bool = False
    moderate: bool = False
    archived: bool = False
    muted_until: datetime | None = None


NO_ACCESS = RoomAccess()


def user_may_read_room(*, user: User, room: Room, staff: bool) -> bool:
    if room.kind == RoomKind.NETWORK:
        return user_is_member(user=user)
    if room.kind == RoomKind.REGION:
        if staff:
            return True
        membership = user_membership(user=user)
        return (
            membership is not None
            and membership.municipality.active
            and membership.municipality.region == room.region
        )
    if room.kind == RoomKind.COURSE_DATE:
        if room.course_date_id is None:
            return staff
        from training.selectors import user_may_see_course_date_room

        return user_may_see_course_date_room(user=user, course_date=room.course_date)
    if room.kind == RoomKind.MEETING:
        if staff:
            return True
        return user_is_member(user=user) and room.members.filter(pk=user.pk).exists()
    return False


def room_access(*, user: User, room: Room, now: datetime | None = None) -> RoomAccess:
    """Who may do what in a room.

    Read: the network room every member (approved member of an active programme municipality, or
    Landesjugendamt staff); a region room the members of that region's municipalities and staff;
    a course date room its confirmed participants, its trainers and staff (training decides); a
    meeting room the members invited to it and staff. Write: whoever may read, unless the room is
    archived or a moderator has muted them there. Moderate (delete any message, mute): staff.
    """
    if not user.is_authenticated or not user.is_active or getattr(user, "erased_at", None):
        return NO_ACCESS
    staff = user_has_staff_power(user=user)
    if not user_may_read_room(user=user, room=room, staff=staff):
        return NO_ACCESS
    now = now or timezone.now()
    muted_until = (
        Mute.objects.filter(room=room, user=user, until__gt=now)
        .order_by("-until")
        .values_list("until", flat=True)
        .first()
    )
    archived = room.archived_at is not None
    return RoomAccess(
        read=True,
        write=not archived and muted_until is None,
        moderate=staff,
        archived=archived,
        muted_until=muted_until,
    )


def user_payload(*, user: User) -> dict:
    return {"id": user.pk, "name": user.display_name}


def message_payload(*, message: Message, reader_id: int | None = None) -> dict:
    """The `message` frame's fields (without `type`), as DESIGN.md specifies them. The author
    (`reader_id` is theirs) also gets `body`, the Markdown, so an edit starts from it rather
    than from the rendered text; nobody else gets it."""
    payload = {
        "id": message.pk,
        "seq": message.seq,
        "room": message.room.slug,
        "author": {
            "id": message.author_id,
            "name": message.author.display_name,
            "municipality": message.author_municipality or None,
        },
        "body_html": message.body_html,
        "created": message.created_at.isoformat(),
        "edited": message.edited_at.isoformat() if message.edited_at else None,
        "nonce": message.nonce,
    }
    if reader_id is not None and reader_id == message.author_id:
        payload["body"] = message.body
    return payload


def _visible(room: Room) -> QuerySet[Message]:
    return (
        Message.objects.filter(room=room, deleted_at__isnull=True)
        .select_related("author", "room")
        .order_by("id")
    )


def room_last_message_id(*, room: Room) -> int:
    """The newest message id in the room (deleted ones included: ids only grow), 0 if none."""
    last = Message.objects.filter(room=room).order_by("-id").values_list("id", flat=True).first()
    return last or 0


def messages_after(*, room: Room, after: int, limit: int = SYNC_BATCH) -> list[Message]:
    """What `sync` sends: visible messages with an id above `after`, oldest first."""
    return list(_visible(room).filter(id__gt=after)[:limit])


CHANGES_MAX = 1000


def messages_changed(*, room: Room, up_to: int, since: datetime) -> tuple[list[Message], list[int]]:
    """What `sync` with `since` sends besides new messages: the visible messages up to `up_to`
    edited after `since` (oldest first), and the ids deleted after `since`. A client that was
    offline learns of edits and deletions it missed; messages above `up_to` it gets whole."""
    edited = list(_visible(room).filter(id__lte=up_to, edited_at__gt=since)[:CHANGES_MAX])
    deleted = list(
        Message.objects.filter(room=room, id__lte=up_to, deleted_at__gt=since)
        .order_by("id")
        .values_list("id", flat=True)[:CHANGES_MAX]
    )
    return edited, deleted


def messages_before(*, room: Room, before: int | None, limit: int) -> tuple[list[Message], bool]:
    """What `history` sends: up to `limit` visible messages below `before` (the newest ones when
    `before` is None), oldest first, and whether there are older ones."""
    queryset = Message.objects.filter(room=room, deleted_at__isnull=True)
    if before is not None:
        queryset = queryset.filter(id__lt=before)
    rows = list(queryset.select_related("author").order_by("-id")[: limit + 1])
    for row in rows:
        row.room = room  # known: not joined to every row
    has_more = len(rows) > limit
    return list(reversed(rows[:limit])), has_more


def room_message(*, room: Room, message_id: int) -> Message | None:
    """A visible message of this room; another room's id or a deleted message gives None."""
    return (
        Message.objects.filter(room=room, pk=message_id, deleted_at__isnull=True)
        .select_related("author", "room")
        .first()
    )


def rooms_with_unread(*, user: User, rooms: list[Room]) -> list[Room]:
    """Annotate `unread` on each room: visible messages of others after the user's last-read id.
    One query for all rooms; the one owner of the unread count."""
    last_read = ReadState.objects.filter(user=user, room=OuterRef("room")).values("last_read_id")[
        :1
    ]
    counts = dict(
        Message.objects.filter(room__in=rooms, deleted_at__isnull=True)
        .exclude(author=user)
        .annotate(last_read=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)))
        .filter(id__gt=F("last_read"))
        .values("room")
        .annotate(n=Count("id"))
        .values_list("room", "n")
    )
    for room in rooms:
        room.unread = counts.get(room.pk, 0)
    return rooms


def room_active_mutes(*, room: Room) -> QuerySet[Mute]:
    return Mute.objects.filter(room=room, until__gt=timezone.now()).select_related("user")


def room_moderation_log(*, room: Room) -> QuerySet[ModerationLogEntry]:
    """Newest first, for a Paginator."""
    return ModerationLogEntry.objects.filter(room=room).select_related("actor", "target_user")


def users_by_ids(*, ids) -> list[dict]:
    """Presence list entries for these user ids, ordered by name."""
    users = User.objects.filter(pk__in=list(ids)).order_by("name", "email")
    return [user_payload(user=u) for u in users]


def course_rooms_visible_filter(*, user: User, staff: bool, since: datetime) -> Q:
    """Course dates whose room a person sees in the room list (recent and upcoming)."""
    from training.models import SEAT_STATUSES

    q = Q(end__gte=since)
    if staff:
        return q
    return q & (
        Q(registrations__participant=user, registrations__status__in=SEAT_STATUSES)
        | Q(trainers__user=user)
    )


# --- the socket's user and room, read for every frame ------------------------------------------


def socket_user_and_room(*, user_id: int, room_id: int) -> tuple[User, Room]:
    """The user and the room of a socket, with the room's course date, freshly read: a changed
    membership, mute or archive applies to the very next frame. Raises DoesNotExist as get()
    does when either is gone."""
    user = User.objects.get(pk=user_id)
    room = Room.objects.select_related("course_date").get(pk=room_id)
    return user, room
