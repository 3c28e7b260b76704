"""Board URLs in the authorisation table: Köln's members may not open Westfalen-Lippe's room;
the moderation pages are for staff only."""

from events.models import Room
from events.services import room_ensure_defaults
from tests.authz import AuthzCase, World


def _room(slug: str):
    def url(world: World) -> str:
        world.get("events_rooms", lambda w: room_ensure_defaults())
        return f"/board/{slug}/"

    return url


def _unchanged_room(world: World) -> None:
    room = Room.objects.filter(slug="westfalen-lippe").first()
    assert room is None or room.archived_at is None


CASES = [
    AuthzCase("board room list", lambda w: "/board/", allowed="dortmund_staff"),
    AuthzCase(
        "board region room",
        _room("westfalen-lippe"),
        other_municipality=True,
        allowed="dortmund_staff",
    ),
    AuthzCase(
        "board moderation",
        lambda w: _room("westfalen-lippe")(w) + "moderation/",
        other_municipality=True,
        allowed="lja_staff",
    ),
    AuthzCase(
        "board archive",
        lambda w: _room("westfalen-lippe")(w) + "archivieren/",
        method="post",
        data={"archived": "1"},
        other_municipality=True,
        unchanged=_unchanged_room,
    ),
    AuthzCase("board new room", lambda w: "/board/neuer-raum/", other_municipality=True),
]
