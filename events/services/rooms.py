"""The board's rooms: the default rooms and a course date's room, created on first use; meeting
rooms that staff create; who may see which room in the list, and how far each person has read."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.selectors import user_has_staff_power
from events.exceptions import InvalidFrame, NotAllowed
from events.models import ModerationAction, ModerationLogEntry, ReadState, Room, RoomKind
from events.publish import access_changed
from network.models import Region
from network.selectors.memberships import user_is_member

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
    try:
        # A plain get: a join to the course date (and its course) cost more than the query
        # itself, and only a course date's room asks for its date (room_access, one more query).
        return Room.objects.get(slug=slug)
    except Room.DoesNotExist:
        pass
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


def room_mark_read(*, user_id: int, room_id: int, message_id: int) -> None:
    """Move the person's read mark in the room forward (never back) to `message_id`: one UPDATE
    when the mark exists (a board socket marks after each sync), by ids, as a socket knows them."""
    if message_id <= 0:
        return
    marks = ReadState.objects.filter(user_id=user_id, room_id=room_id)
    if marks.filter(last_read_id__lt=message_id).update(last_read_id=message_id):
        return
    state, created = ReadState.objects.get_or_create(
        user_id=user_id, room_id=room_id, defaults={"last_read_id": message_id}
    )
    if not created and state.last_read_id < message_id:  # created by another socket meanwhile
        marks.filter(last_read_id__lt=message_id).update(last_read_id=message_id)


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
