"""Board URLs in the authorisation table: Köln's members may not open Westfalen-Lippe's room;
the moderation pages are for staff only, also in a room the member may read and write."""

from django.utils import timezone

from events.models import Mute, Room
from events.services import room_ensure_defaults, user_mute
from tests.authz import AuthzCase, World


def _room(slug: str):
    def url(world: World) -> str:
        world.get("events_rooms", lambda w: room_ensure_defaults())
        return f"/board/{slug}/"

    return url


def _network_mute(world: World) -> Mute:
    """Dortmund's staff member, muted in the network room by Landesjugendamt staff."""

    def make(w: World) -> Mute:
        room_ensure_defaults()
        room = Room.objects.get(slug="lernnetzwerk-nrw")
        return user_mute(room=room, by=w.lja_staff, user=w.dortmund_staff, minutes=60)

    return world.get("events_mute", make)


def _unmute_url(world: World) -> str:
    mute = _network_mute(world)
    return f"/board/lernnetzwerk-nrw/stummschaltung-aufheben/{mute.user_id}/"


def _still_muted(world: World) -> None:
    assert Mute.objects.filter(user=world.dortmund_staff, until__gt=timezone.now()).count() == 1


def _nobody_muted(world: World) -> None:
    assert not Mute.objects.exists()


def _still_open(slug: str):
    """The check that the room `slug` (if it exists yet) was not archived."""

    def check(world: World) -> None:
        room = Room.objects.filter(slug=slug).first()
        assert room is None or room.archived_at is None

    return check


CASES = [
    # The room list lists the rooms one may read: none, and what the board is for, to a person
    # not (yet) a member, who is refused the rooms themselves.
    AuthzCase("board room list", lambda w: "/board/", allowed="dortmund_staff", members_only=False),
    AuthzCase("board network room", _room("lernnetzwerk-nrw"), allowed="koeln_staff"),
    AuthzCase(
        "board region room",
        _room("westfalen-lippe"),
        other_municipality=True,
        allowed="dortmund_staff",
        staff_power=True,
    ),
    AuthzCase(
        "board moderation",
        lambda w: _room("westfalen-lippe")(w) + "moderation/",
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
    AuthzCase(
        "board archive",
        lambda w: _room("westfalen-lippe")(w) + "archivieren/",
        method="post",
        data={"archived": "1"},
        other_municipality=True,
        unchanged=_still_open("westfalen-lippe"),
        staff_power=True,
    ),
    AuthzCase(
        "board new room", lambda w: "/board/neuer-raum/", other_municipality=True, staff_power=True
    ),
    # The network room: every member reads and writes there, but only staff moderate.
    AuthzCase(
        "board network room moderation",
        lambda w: _room("lernnetzwerk-nrw")(w) + "moderation/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "board mute",
        lambda w: _room("lernnetzwerk-nrw")(w) + "stummschalten/",
        method="post",
        data=lambda w: {"email": w.koeln_staff.email, "minutes": "15", "reason": "x"},
        other_municipality=True,
        refused_to=("dortmund_coordinator",),
        unchanged=_nobody_muted,
        staff_power=True,
    ),
    AuthzCase(
        "board unmute",
        _unmute_url,
        method="post",
        other_municipality=True,
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        unchanged=_still_muted,
        staff_power=True,
    ),
    AuthzCase(
        "board network room archive",
        lambda w: _room("lernnetzwerk-nrw")(w) + "archivieren/",
        method="post",
        data={"archived": "1"},
        refused_to=("dortmund_coordinator",),
        unchanged=_still_open("lernnetzwerk-nrw"),
        staff_power=True,
    ),
]
