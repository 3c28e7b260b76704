"""The kinds of real-time event in events/publish.py and the consumers that receive them agree,
and only events/ spells a group name or an event dict (DESIGN.md: "apps reach real time only
through the typed functions of events/publish.py").

A typo in an event's type or a group name used to be a silently lost event; here it fails a test:
every kind's "type" names a handler on a consumer that joins the kind's group (Channels turns
"board.message" into `board_message`), and every handler of a consumer has a kind.
"""

import inspect
import json
import re
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.consumer import get_handler_name

from events import consumers, publish
from events.models import Room
from events.services import message_post, room_ensure_defaults
from tests.factories import CourseDateFactory, forum_topic, member

ROOT = Path(__file__).resolve().parents[2]
GROUP_HELPERS = {"room_group": "board", "topic_group": "topic", "user_group": "user"}
# The registry of this process's board sockets and what events.layer_watch catches them up with.
NOT_KINDS = {
    *GROUP_HELPERS,
    *("encode_frame", "socket_opened", "socket_closed", "open_sockets", "publish_from_own_loop"),
    *("listener_opened", "listener_closed", "open_listeners"),
    *("mark_missed", "take_missed", "board_catch_up"),
}


def _kinds() -> dict:
    """The public functions of events/publish.py that publish, by name."""
    return {
        name: function
        for name, function in inspect.getmembers(publish, inspect.isfunction)
        if function.__module__ == publish.__name__
        and not name.startswith("_")
        and name not in NOT_KINDS
    }


def _consumer_classes() -> list[type]:
    return [
        cls
        for _, cls in inspect.getmembers(consumers, inspect.isclass)
        if issubclass(cls, consumers.LiveConsumer) and cls is not consumers.LiveConsumer
    ]


def _groups_joined(cls) -> set[str]:
    """The group prefixes a consumer joins, read from which group helpers its code calls."""
    source = inspect.getsource(cls)
    return {prefix for helper, prefix in GROUP_HELPERS.items() if f"{helper}(" in source}


def _handlers(cls) -> set[str]:
    """The consumer's own methods that group events reach: public coroutines other than the
    socket's life cycle and the handlers of client frames."""
    client_frames = {f.__name__ for f in getattr(cls, "HANDLERS", {}).values()}
    return {
        name
        for name, value in vars(cls).items()
        if inspect.iscoroutinefunction(value)
        and not name.startswith("_")
        # `rejoin` and `catch_up` are called by events.layer_watch in this process
        and name not in {"connect", "disconnect", "receive", "rejoin", "catch_up", *client_frames}
    }


def test_group_names_are_the_contract():
    assert publish.room_group(room_id=7) == "board.7"
    assert publish.topic_group(topic_id=7) == "topic.7"
    assert publish.user_group(user_id=7) == "user.7"
    for helper, prefix in GROUP_HELPERS.items():
        argument = {"room_group": "room_id", "topic_group": "topic_id", "user_group": "user_id"}
        assert getattr(publish, helper)(**{argument[helper]: 1}) == f"{prefix}.1"


def test_publish_itself_is_private():
    assert not hasattr(publish, "publish")


@pytest.fixture
def world(db):
    room_ensure_defaults()
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    anna = member()
    message, _ = message_post(room=room, author=anna, body="Hallo *NRW*", nonce="k1")
    topic = forum_topic()
    return {"room": room, "anna": anna, "message": message, "post": topic.posts.get()}


# How to call each kind, and what it must send: (group, event). A new kind in publish.py fails
# test_every_kind_is_listed_here until it is added below, with its wire format.
def _samples(w):
    room, anna, message, post = w["room"], w["anna"], w["message"], w["post"]
    online = [{"id": anna.pk, "name": anna.display_name}]
    return {
        "access_changed": (
            {"user_id": anna.pk},
            (f"user.{anna.pk}", {"type": "access.changed"}),
        ),
        "notification_count": (
            {"user_id": anna.pk, "unread": 4},
            (f"user.{anna.pk}", {"type": "notification.new", "unread": 4}),
        ),
        "topic_posted": (
            {"post": post},
            (
                f"topic.{post.topic_id}",
                {"type": "topic.post", "post_id": post.pk, "topic_id": post.topic_id},
            ),
        ),
        "board_message": ({"message": message}, (f"board.{room.pk}", None)),
        "board_edited": ({"message": message}, (f"board.{room.pk}", None)),
        "board_deleted": (
            {"message": message},
            (f"board.{room.pk}", {"type": "board.deleted", "id": message.pk}),
        ),
        "board_typing": (
            {"room": room, "user": anna},
            (
                f"board.{room.pk}",
                {"type": "board.typing", "user": {"id": anna.pk, "name": anna.display_name}},
            ),
        ),
        "board_access_changed": (
            {"room": room},
            (f"board.{room.pk}", {"type": "board.access_changed"}),
        ),
        "board_presence": (
            {"room_id": room.pk, "online": online},
            (
                f"board.{room.pk}",
                {
                    "type": "board.presence",
                    "frame": json.dumps({"type": "presence", "online": online}, ensure_ascii=False),
                },
            ),
        ),
    }


def _sent_by_each_kind(w, channel_events, capture) -> dict:
    """What each kind puts on the channel layer: exactly one (group, event), after commit."""
    sent = {}
    for name, (kwargs, _) in _samples(w).items():
        channel_events.clear()
        function = getattr(publish, name)
        if inspect.iscoroutinefunction(function):
            async_to_sync(function)(**kwargs)
        else:
            with capture(execute=False) as callbacks:
                function(**kwargs)
            assert channel_events == [], f"{name} published before the commit"
            for callback in callbacks:
                callback()
        assert len(channel_events) == 1, f"{name} sent {channel_events}"
        sent[name] = channel_events[0]
    return sent


def test_every_kind_is_listed_here(world):
    assert set(_kinds()) == set(_samples(world))


def test_each_kind_sends_its_group_and_payload(
    world, channel_events, django_capture_on_commit_callbacks
):
    """The wire between services and consumers, unchanged: group names and event dicts."""
    sent = _sent_by_each_kind(world, channel_events, django_capture_on_commit_callbacks)
    for name, (_, (group, event)) in _samples(world).items():
        assert sent[name][0] == group, name
        if event is not None:
            assert sent[name][1] == event, name
    # A message goes out encoded once for everyone and once for its author (with the Markdown).
    message = world["message"]
    for name, kind in (("board_message", "message"), ("board_edited", "edited")):
        event = sent[name][1]
        assert set(event) == {"type", "frame", "author_id", "author_frame"} | (
            {"id"} if kind == "message" else set()
        )
        assert event["type"] == f"board.{kind}"
        frame = json.loads(event["frame"])
        assert frame["type"] == kind and frame["id"] == message.pk and "body" not in frame
        assert event["author_id"] == message.author_id
        assert json.loads(event["author_frame"]) == frame | {"body": "Hallo *NRW*"}
    assert sent["board_message"][1]["id"] == message.pk


def test_every_kind_has_a_handler_on_a_consumer_of_its_group(
    world, channel_events, django_capture_on_commit_callbacks
):
    sent = _sent_by_each_kind(world, channel_events, django_capture_on_commit_callbacks)
    types = [event["type"] for _, event in sent.values()]
    assert len(types) == len(set(types)), "two kinds share one event type"
    for name, (group, event) in sent.items():
        prefix = group.split(".")[0]
        receivers = [cls for cls in _consumer_classes() if prefix in _groups_joined(cls)]
        assert receivers, f"{name}: no consumer joins the {prefix!r} groups"
        handler = get_handler_name(event)
        assert any(handler in _handlers(cls) for cls in receivers), (
            f"{name} sends {event['type']!r} to {group!r}, but none of "
            f"{[cls.__name__ for cls in receivers]} has a method {handler}()"
        )


def test_every_handler_of_a_consumer_has_a_kind(
    world, channel_events, django_capture_on_commit_callbacks
):
    sent = _sent_by_each_kind(world, channel_events, django_capture_on_commit_callbacks)
    for cls in _consumer_classes():
        joined = _groups_joined(cls)
        assert joined, f"{cls.__name__} joins no group"
        reachable = {
            get_handler_name(event)
            for group, event in sent.values()
            if group.split(".")[0] in joined
        }
        assert _handlers(cls) <= reachable, (
            f"{cls.__name__} handles {sorted(_handlers(cls) - reachable)}, "
            "which no kind in events/publish.py sends to its groups"
        )


# --- the call sites outside events/ --------------------------------------------------------------


def test_a_cancelled_registration_tells_the_participants_sockets(
    db, channel_events, django_capture_on_commit_callbacks
):
    """The course date's room is for confirmed participants: their open sockets re-check."""
    from training.services.registration import registration_cancel, registration_create

    person = member()
    registration = registration_create(
        course_date=CourseDateFactory(), participant=person, by=person
    )
    channel_events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=registration, by=person)
    assert (f"user.{person.pk}", {"type": "access.changed"}) in channel_events


def test_an_ended_membership_tells_the_members_sockets(
    db, channel_events, django_capture_on_commit_callbacks
):
    from network.services.memberships import membership_end

    person = member()
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(membership=person.memberships.get(), by=person)
    assert channel_events == [(f"user.{person.pk}", {"type": "access.changed"})]


# --- no group names or event dicts outside events/ ---------------------------------------------

# The platform's own packages; tests spell the strings on purpose (they are the contract), and
# bench/ measures a bare Channels consumer outside the platform as the floor.
SCANNED = sorted(
    path
    for package in ROOT.iterdir()
    if package.is_dir()
    and (package / "__init__.py").exists()
    and package.name not in {"events", "tests", "bench"}
    for path in package.rglob("*.py")
)
GROUP_NAME = re.compile(r"""[fF]?["'](?:board|topic|user)\.(?:\{|%|["'])""")
DOTTED_TYPE = re.compile(r"""(?:["']type["']\s*:|\btype\s*=)\s*["'][A-Za-z_]+\.[A-Za-z_.]+["']""")
LAYER_CALLS = re.compile(r"\.(?:group_send|group_add|group_discard)\b")
ALLOWED: set[tuple[str, str]] = set()


def _hits(pattern: re.Pattern) -> list[str]:
    hits = []
    for path in SCANNED:
        relative = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                if (relative, match.group(0)) not in ALLOWED:
                    hits.append(f"{relative}:{number}: {line.strip()}")
    return hits


def test_the_scan_sees_the_services_that_publish():
    scanned = {path.relative_to(ROOT).as_posix() for path in SCANNED}
    assert {
        "training/services/registration.py",
        "network/services/memberships.py",
        "network/forums/services/posts.py",
        "network/forums/services/notifications.py",
    } <= scanned
    # and the patterns find what they are meant to find
    assert GROUP_NAME.search('publish(group=f"user.{user_id}", ...)')
    assert GROUP_NAME.search('group = "topic." + str(topic_id)')
    assert DOTTED_TYPE.search('event={"type": "acess.changed"}')
    assert DOTTED_TYPE.search("dict(type='board.message', id=1)")


def test_no_module_outside_events_spells_a_group_name():
    assert _hits(GROUP_NAME) == []


def test_no_module_outside_events_builds_an_event_dict():
    assert _hits(DOTTED_TYPE) == []
    event_types = set(re.findall(r'"type": "([a-z_]+\.[a-z_]+)"', inspect.getsource(publish)))
    assert {"access.changed", "notification.new", "topic.post", "board.message"} <= event_types
    spelled = re.compile("|".join(rf"""["']{re.escape(t)}["']""" for t in sorted(event_types)))
    assert _hits(spelled) == []


def test_no_module_outside_events_talks_to_the_channel_layer_groups():
    assert _hits(LAYER_CALLS) == []
