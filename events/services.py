"""Writes of the live board. Every message is a row before it is broadcast; broadcasts go through
events.publish after the transaction commits."""

import contextlib
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.markdown import render_markdown
from core.models import User
from core.selectors import user_has_staff_power
from events.exceptions import (
    BodyTooLong,
    InvalidFrame,
    MessageNotFound,
    NotAllowed,
    RateLimited,
    RoomArchived,
    UserMuted,
)
from events.models import (
    Message,
    ModerationAction,
    ModerationLogEntry,
    Mute,
    ReadState,
    Room,
    RoomKind,
)
from events.publish import (
    access_changed,
    board_access_changed,
    board_deleted,
    board_edited,
    board_message,
    board_typing,
)
from events.selectors import room_access, room_message
from network.models import Region
from network.selectors.memberships import user_is_member, user_membership

MAX_BODY = 4000
MAX_NONCE = 64
RATE_LIMIT = 10  # posts …
RATE_WINDOW = 10  # … per this many seconds, per user and room
TYPING_INTERVAL = 3

NETWORK_ROOM_SLUG = "lernnetzwerk-nrw"
DEFAULT_ROOMS = [
    # (slug, title, kind, region)
    (NETWORK_ROOM_SLUG, "Lernnetzwerk NRW", RoomKind.NETWORK, ""),
    ("rheinland", "Rheinland", RoomKind.REGION, Region.LVR),
    ("westfalen-lippe", "Westfalen-Lippe", RoomKind.REGION, Region.LWL),
]
COURSE_ROOM_PREFIX = "termin-"
RESERVED_SLUGS = {"neuer-raum"}  # URLs of events.urls beside the rooms


def room_ensure_defaults() -> None:
    """The network room and the two region rooms always exist (created on first use)."""
    if Room.objects.filter(slug__in=[slug for slug, *_ in DEFAULT_ROOMS]).count() == len(
        DEFAULT_ROOMS
    ):
        return
    for slug, title, kind, region in DEFAULT_ROOMS:
        _get_or_create_room(slug=slug, defaults={"title": title, "kind": kind, "region": region})


def _get_or_create_room(*, slug: str, defaults: dict, **lookup) -> Room:
    try:
        with transaction.atomic():
            room, _created = Room.objects.get_or_create(slug=slug, defaults=defaults, **lookup)
    except IntegrityError:  # created by a concurrent request
        room = Room.objects.get(slug=slug)
    return room


def room_for_course_date(*, course_date) -> Room:
    """The room of a course date, created the first time it is listed or opened.

    Lazily and idempotently, so training needs no hook into events: for a person the room exists
    with the date (there is no moment at which a date has no room to open)."""
    room = Room.objects.filter(course_date=course_date).first()
    if room is not None:
        return room
    return _get_or_create_room(
        slug=f"{COURSE_ROOM_PREFIX}{course_date.pk}",
        defaults={"title": str(course_date)[:150], "kind": RoomKind.COURSE_DATE},
        course_date=course_date,
    )


def room_for_slug(*, slug: str) -> Room | None:
    """The room with this slug, creating the default rooms and a course date's room on first use;
    None if there is no such room."""
    room = Room.objects.select_related("course_date__course").filter(slug=slug).first()
    if room is not None:
        return room
    if slug in {s for s, *_ in DEFAULT_ROOMS}:
        room_ensure_defaults()
        return Room.objects.get(slug=slug)
    if slug.startswith(COURSE_ROOM_PREFIX) and slug[len(COURSE_ROOM_PREFIX) :].isdigit():
        from training.models import CourseDate

        course_date = (
            CourseDate.objects.select_related("course")
            .filter(pk=int(slug[len(COURSE_ROOM_PREFIX) :]))
            .first()
        )
        if course_date is not None:
            return room_for_course_date(course_date=course_date)
    return None


def room_create_meeting(*, by: User, title: str, description: str = "", members=()) -> Room:
    """Staff create rooms for meetings; the people invited (and staff) may use them."""
    if not user_has_staff_power(user=by):
        raise NotAllowed()
    title = title.strip()
    if not title:
        raise InvalidFrame(_("Please give the room a title."))
    base = slugify(title)[:60] or "raum"
    slug = base
    n = 1
    while (
        Room.objects.filter(slug=slug).exists()
        or slug.startswith(COURSE_ROOM_PREFIX)
        or slug in RESERVED_SLUGS
    ):
        n += 1
        slug = f"{base}-{n}"
    with transaction.atomic():
        room = Room.objects.create(
            slug=slug,
            title=title[:150],
            description=description[:300],
            kind=RoomKind.MEETING,
            created_by=by,
        )
        room.members.set(members)
        ModerationLogEntry.objects.create(
            room=room, actor=by, action=ModerationAction.CREATE_ROOM, detail=title[:300]
        )
    return room


def room_set_members(*, room: Room, by: User, members) -> None:
    """Staff change who is invited to a meeting room; anyone removed is disconnected."""
    if not user_has_staff_power(user=by) or room.kind != RoomKind.MEETING:
        raise NotAllowed()
    with transaction.atomic():
        before = set(room.members.values_list("pk", flat=True))
        room.members.set(members)
        after = set(room.members.values_list("pk", flat=True))
        for user_id in before - after:
            access_changed(user_id=user_id)


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
            message = Message.objects.create(
                room=room,
                author=author,
                author_municipality=_author_municipality(author),
                nonce=nonce,
                body=body,
                body_html=render_markdown(body),
            )
            board_message(message=message)
    except IntegrityError:  # the same nonce from another tab at the same moment
        return Message.objects.get(room=room, author=author, nonce=nonce), False
    return message, True


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
    """The author or a moderator deletes a message; a moderator's deletion is logged.
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
        message.deleted_at = timezone.now()
        message.deleted_by = user
        message.save(update_fields=["deleted_at", "deleted_by"])
        if not is_author:
            ModerationLogEntry.objects.create(
                room=room,
                actor=user,
                action=ModerationAction.DELETE_MESSAGE,
                target_user=message.author,
                message=message,
                detail=message.body[:300],
            )
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


def room_mark_read(*, user: User, room: Room, message_id: int) -> None:
    """Move the user's read mark forward (never back) to `message_id`."""
    if message_id <= 0:
        return
    state, created = ReadState.objects.get_or_create(
        user=user, room=room, defaults={"last_read_id": message_id}
    )
    if not created and state.last_read_id < message_id:
        ReadState.objects.filter(pk=state.pk, last_read_id__lt=message_id).update(
            last_read_id=message_id
        )


def room_list_for_user(*, user: User) -> list[Room]:
    """The rooms a person may read, for the room list, with `unread` annotated.

    Default rooms and meeting rooms pass through room_access's read rule; course date rooms come
    from the dates the person holds a seat on or trains (staff: all), recent and upcoming, which
    is training's rule (user_may_see_course_date_room) as one query, and their rooms are created
    here on first listing. A constant number of queries, however many rooms there are."""
    from events.selectors import course_rooms_visible_filter, rooms_with_unread, user_may_read_room
    from training.models import CourseDate

    if not user.is_authenticated:
        return []
    room_ensure_defaults()
    staff = user_has_staff_power(user=user)
    dates = list(
        CourseDate.objects.filter(
            course_rooms_visible_filter(
                user=user, staff=staff, since=timezone.now() - timedelta(days=14)
            )
        )
        .select_related("course")
        .distinct()
    )
    existing = {
        room.course_date_id
        for room in Room.objects.filter(course_date__in=dates).only("course_date_id")
    }
    for course_date in dates:
        if course_date.pk not in existing:
            room_for_course_date(course_date=course_date)
    rooms = list(
        Room.objects.filter(
            Q(kind__in=[RoomKind.NETWORK, RoomKind.REGION])
            | Q(kind=RoomKind.COURSE_DATE, course_date__in=dates)
            | (Q(kind=RoomKind.MEETING) & (Q() if staff else Q(members=user)))
        )
        .distinct()
        .order_by("archived_at", "kind", "title")
    )
    member = user_is_member(user=user)

    def listed(room: Room) -> bool:
        if room.kind == RoomKind.COURSE_DATE:
            return True  # the dates query applied training's rule
        if room.kind == RoomKind.MEETING:
            return staff or member  # the query kept the rooms they are invited to
        return user_may_read_room(user=user, room=room, staff=staff)

    return rooms_with_unread(user=user, rooms=[room for room in rooms if listed(room)])
