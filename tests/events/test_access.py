"""room_access: the one rule for reading, writing and moderating a room, as a table."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from events.exceptions import BodyTooLong, InvalidFrame, NotAllowed, RateLimited, UserMuted
from events.models import Message, ModerationAction, ModerationLogEntry, Mute, Room
from events.selectors import room_access, rooms_with_unread
from events.services import (
    message_delete,
    message_post,
    room_create_meeting,
    room_ensure_defaults,
    room_for_course_date,
    room_for_slug,
    room_list_for_user,
    room_mark_read,
    room_set_archived,
    user_mute,
    user_unmute,
)
from network.models import MembershipStatus
from tests.factories import (
    CourseDateFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    member,
)
from training.models import Trainer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    from django.core.cache import cache

    cache.clear()
    room_ensure_defaults()
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    inactive = MunicipalityFactory(name="Ruhestadt", slug="ruhestadt", region="LWL", active=False)
    pending = UserFactory()
    from tests.factories import MembershipFactory

    MembershipFactory(user=pending, municipality=dortmund, status=MembershipStatus.PENDING)
    return {
        "dortmund": member(dortmund),
        "koeln": member(koeln),
        "inactive": member(inactive),
        "pending": pending,
        "outsider": UserFactory(),
        "staff": StaffFactory(),
        "trainer": UserFactory(),
        "participant": member(koeln),
        "waiting": member(dortmund),
    }


def _course_room(people):
    from training.models import Registration

    course_date = CourseDateFactory()
    course_date.trainers.add(Trainer.objects.create(name="Referent", user=people["trainer"]))
    Registration.objects.create(
        course_date=course_date, participant=people["participant"], status="confirmed"
    )
    Registration.objects.create(
        course_date=course_date, participant=people["waiting"], status="waiting"
    )
    return room_for_course_date(course_date=course_date)


EXPECTED_READ = {
    # person: (network, rheinland, westfalen-lippe, course date, meeting)
    "dortmund": (True, False, True, False, True),
    "koeln": (True, True, False, False, False),
    "inactive": (False, False, False, False, False),
    "pending": (False, False, False, False, False),
    "outsider": (False, False, False, False, False),
    "staff": (True, True, True, True, True),
    "trainer": (False, False, False, True, False),
    "participant": (True, True, False, True, False),
    "waiting": (True, False, True, False, False),
}


@pytest.mark.parametrize("who", EXPECTED_READ)
def test_who_may_read_which_room(people, who):
    meeting = room_create_meeting(by=people["staff"], title="Treffen", members=[people["dortmund"]])
    rooms = [
        Room.objects.get(slug="lernnetzwerk-nrw"),
        Room.objects.get(slug="rheinland"),
        Room.objects.get(slug="westfalen-lippe"),
        _course_room(people),
        meeting,
    ]
    got = tuple(room_access(user=people[who], room=room).read for room in rooms)
    assert got == EXPECTED_READ[who]
    for room, readable in zip(rooms, got, strict=True):
        access = room_access(user=people[who], room=room)
        assert access.write == readable
        assert access.moderate == (who == "staff")


def test_anonymous_and_inactive_accounts_have_no_access(people):
    from django.contrib.auth.models import AnonymousUser

    room = Room.objects.get(slug="lernnetzwerk-nrw")
    assert not room_access(user=AnonymousUser(), room=room).read
    people["dortmund"].is_active = False
    assert not room_access(user=people["dortmund"], room=room).read


def test_archived_room_is_read_only_for_everyone(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    room_set_archived(room=room, by=people["staff"], archived=True)
    for who in ("dortmund", "staff"):
        access = room_access(user=people[who], room=room)
        assert access.read and not access.write and access.archived
    with pytest.raises(NotAllowed):
        message_post(room=room, author=people["dortmund"], body="x", nonce="1")
    assert ModerationLogEntry.objects.filter(action=ModerationAction.ARCHIVE).count() == 1
    with pytest.raises(NotAllowed):
        room_set_archived(room=room, by=people["dortmund"], archived=False)


def test_mute_for_a_time_then_lifted(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    user_mute(room=room, by=people["staff"], user=people["dortmund"], minutes=30, reason="Spam")
    access = room_access(user=people["dortmund"], room=room)
    assert access.read and not access.write and access.muted_until
    with pytest.raises(UserMuted):
        message_post(room=room, author=people["dortmund"], body="x", nonce="1")
    # in another room they may still write
    message_post(
        room=Room.objects.get(slug="westfalen-lippe"),
        author=people["dortmund"],
        body="x",
        nonce="2",
    )
    later = timezone.now() + timedelta(minutes=31)
    assert room_access(user=people["dortmund"], room=room, now=later).write
    user_unmute(room=room, by=people["staff"], user=people["dortmund"])
    assert room_access(user=people["dortmund"], room=room).write
    actions = list(ModerationLogEntry.objects.values_list("action", flat=True))
    assert sorted(actions) == ["mute", "unmute"]


def test_only_moderators_mute_and_nobody_mutes_themselves(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    with pytest.raises(NotAllowed):
        user_mute(room=room, by=people["dortmund"], user=people["koeln"], minutes=5)
    with pytest.raises(InvalidFrame):
        user_mute(room=room, by=people["staff"], user=people["staff"], minutes=5)
    with pytest.raises(InvalidFrame):
        user_mute(room=room, by=people["staff"], user=people["koeln"], minutes=0)
    assert not Mute.objects.exists()


def test_post_rules(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    with pytest.raises(BodyTooLong):
        message_post(room=room, author=people["dortmund"], body="x" * 4001, nonce="a")
    with pytest.raises(InvalidFrame):
        message_post(room=room, author=people["dortmund"], body="", nonce="a")
    with pytest.raises(NotAllowed):
        message_post(room=room, author=people["outsider"], body="hallo", nonce="a")
    message, created = message_post(
        room=room,
        author=people["dortmund"],
        body="<img src=x onerror=alert(1)> **fett**",
        nonce="a",
    )
    assert created
    assert "onerror" not in message.body_html
    assert "<strong>fett</strong>" in message.body_html
    assert message.author_municipality == "Dortmund"
    again, created = message_post(room=room, author=people["dortmund"], body="anders", nonce="a")
    assert again.pk == message.pk and not created
    assert Message.objects.count() == 1


def test_post_publishes_after_commit(people, django_capture_on_commit_callbacks, channel_events):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message, _ = message_post(room=room, author=people["dortmund"], body="hallo", nonce="p")
    assert channel_events == []
    for callback in callbacks:
        callback()
    [(group, event)] = channel_events
    # The frame is encoded once, where it is published; every connection sends that text.
    assert (group, event["type"], event["id"]) == (f"board.{room.pk}", "board.message", message.pk)
    assert json.loads(event["frame"]) == {
        "type": "message",
        "id": message.pk,
        "seq": 1,
        "room": "lernnetzwerk-nrw",
        "author": {
            "id": people["dortmund"].pk,
            "name": people["dortmund"].display_name,
            "municipality": "Dortmund",
        },
        "body_html": "<p>hallo</p>",
        "created": message.created_at.isoformat(),
        "edited": None,
        "nonce": "p",
    }
    # The author's own connections get the same frame with the Markdown, for editing.
    assert event["author_id"] == people["dortmund"].pk
    assert json.loads(event["author_frame"]) == json.loads(event["frame"]) | {"body": "hallo"}


def test_rolled_back_post_is_never_published(people, monkeypatch):
    from django.db import transaction

    sent = []
    monkeypatch.setattr(
        "events.publish.transaction.on_commit", lambda f, robust=False: sent.append(f)
    )
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    with pytest.raises(RuntimeError), transaction.atomic():
        message_post(room=room, author=people["dortmund"], body="weg", nonce="rb")
        raise RuntimeError
    assert not Message.objects.filter(nonce="rb").exists()


def test_rate_limit_counts_per_user_and_room(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    for i in range(10):
        message_post(room=room, author=people["dortmund"], body=f"{i}", nonce=f"n{i}")
    with pytest.raises(RateLimited):
        message_post(room=room, author=people["dortmund"], body="zu viel", nonce="n10")
    # a replay of a stored nonce is not a new post and is not limited
    assert message_post(room=room, author=people["dortmund"], body="0", nonce="n0")[1] is False
    other = Room.objects.get(slug="westfalen-lippe")
    message_post(room=other, author=people["dortmund"], body="anderer Raum", nonce="o")
    message_post(room=room, author=people["waiting"], body="jemand anderes", nonce="w")


def test_delete_by_moderator_is_logged_by_author_not(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    a, _ = message_post(room=room, author=people["dortmund"], body="a", nonce="a")
    b, _ = message_post(room=room, author=people["dortmund"], body="b", nonce="b")
    message_delete(room=room, user=people["dortmund"], message_id=a.pk)
    message_delete(room=room, user=people["staff"], message_id=b.pk)
    entry = ModerationLogEntry.objects.get()
    assert entry.message_id == b.pk and entry.actor == people["staff"]


def _unread(*, user, room) -> int:
    return rooms_with_unread(user=user, rooms=[room])[0].unread


def test_unread_counts_others_messages_after_the_read_mark(people):
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    me, other = people["dortmund"], people["koeln"]
    message_post(room=room, author=me, body="meins", nonce="m")
    first, _ = message_post(room=room, author=other, body="1", nonce="1")
    message_post(room=room, author=other, body="2", nonce="2")
    gone, _ = message_post(room=room, author=other, body="3", nonce="3")
    message_delete(room=room, user=other, message_id=gone.pk)
    assert _unread(user=me, room=room) == 2
    room_mark_read(user_id=me.pk, room_id=room.pk, message_id=first.pk)
    assert _unread(user=me, room=room) == 1
    room_mark_read(user_id=me.pk, room_id=room.pk, message_id=1)  # never backwards
    assert _unread(user=me, room=room) == 1


def test_room_list_shows_readable_rooms_and_creates_course_rooms(people):
    from training.models import Registration

    course_date = CourseDateFactory()
    Registration.objects.create(
        course_date=course_date, participant=people["dortmund"], status="confirmed"
    )
    CourseDateFactory()  # a date Dortmund's member does not attend
    room_create_meeting(by=people["staff"], title="Geheim", members=[people["koeln"]])
    rooms = room_list_for_user(user=people["dortmund"])
    slugs = [r.slug for r in rooms]
    assert "lernnetzwerk-nrw" in slugs and "westfalen-lippe" in slugs
    assert "rheinland" not in slugs and "geheim" not in slugs
    assert f"termin-{course_date.pk}" in slugs
    assert len([s for s in slugs if s.startswith("termin-")]) == 1
    assert Room.objects.get(course_date=course_date).kind == "course_date"
    # the list agrees with room_access for every room
    for room in Room.objects.all():
        assert (room in rooms) == room_access(user=people["dortmund"], room=room).read
    assert room_list_for_user(user=people["outsider"]) == []


def test_room_for_slug_creates_default_and_course_rooms_lazily(people):
    Room.objects.all().delete()
    assert room_for_slug(slug="rheinland").kind == "region"
    course_date = CourseDateFactory()
    room = room_for_slug(slug=f"termin-{course_date.pk}")
    assert room.course_date == course_date
    assert room_for_slug(slug=f"termin-{course_date.pk}") == room
    assert room_for_slug(slug="termin-999999") is None
    assert room_for_slug(slug="nichts") is None


def test_meeting_room_slugs_never_clash(people):
    a = room_create_meeting(by=people["staff"], title="Neuer Raum")
    b = room_create_meeting(by=people["staff"], title="Treffen")
    c = room_create_meeting(by=people["staff"], title="Treffen")
    assert a.slug != "neuer-raum"
    assert b.slug != c.slug
    with pytest.raises(NotAllowed):
        room_create_meeting(by=people["dortmund"], title="Ich auch")


def test_privacy_export_and_erase(people):
    from events import privacy

    room = Room.objects.get(slug="lernnetzwerk-nrw")
    message_post(room=room, author=people["dortmund"], body="Meine Daten", nonce="x")
    data = privacy.export(people["dortmund"])
    assert data["board_messages"][0]["text"] == "Meine Daten"
    privacy.erase(people["dortmund"])
    message = Message.objects.get()
    assert message.body == "" and message.body_html == "" and message.deleted_at
    assert privacy.RETENTION


def test_privacy_export_names_the_moderation_steps_concerning_the_person_and_taken_by_them(
    people,
):
    from events import privacy

    room = Room.objects.get(slug="lernnetzwerk-nrw")
    message = message_post(room=room, author=people["dortmund"], body="Zu scharf", nonce="m")[0]
    message_delete(room=room, user=people["staff"], message_id=message.pk)
    user_mute(room=room, by=people["staff"], user=people["dortmund"], minutes=30, reason="Ton")

    concerning = privacy.export(people["dortmund"])["board_moderation_concerning_you"]
    assert [(e["action"], e["detail"]) for e in concerning] == [
        ("Nachricht gelöscht", "Zu scharf"),
        ("Person stummgeschaltet", "30 min: Ton"),
    ]
    assert privacy.export(people["dortmund"])["board_moderation_by_you"] == []
    taken = privacy.export(people["staff"])["board_moderation_by_you"]
    assert [e["action"] for e in taken] == ["Nachricht gelöscht", "Person stummgeschaltet"]
    assert all("detail" not in e for e in taken)  # the other person's text is theirs

    privacy.erase(people["dortmund"])
    concerning = privacy.export(people["dortmund"])["board_moderation_concerning_you"]
    assert [e["detail"] for e in concerning] == ["", ""]


def test_demo_is_idempotent(db):
    from events import demo
    from network import demo as network_demo

    network_demo.load(password="kinderstark-demo", log=lambda m: None)
    demo.load(password="kinderstark-demo", log=lambda m: None)
    count = Message.objects.count()
    demo.load(password="kinderstark-demo", log=lambda m: None)
    assert Message.objects.count() == count > 0
