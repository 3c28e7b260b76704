"""Deleting an account leaves the person's name, @handle and e-mail address nowhere in the
database: not in what she wrote, not in the copies others hold (notifications, quotes,
mentions, topic titles), not in practice examples that name her as the contact person.

The person here has done everything a member can do; the search then reads every text and JSON
column of every table (tests.core.helpers.find_anywhere)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.services import account_delete, profile_update
from events.models import Room
from events.services import message_post, room_ensure_defaults, room_mark_read, user_mute
from network.forums.models import Notification, Topic
from network.forums.services.mentions import mention_handle_set
from network.forums.services.moderation import post_report
from network.forums.services.notifications import notification_settings_set
from network.forums.services.posts import post_create, post_edit, quote_text, reaction_toggle
from network.forums.services.topics import topic_create
from network.forums.services.watching import category_watch_set, topic_watch_set
from network.models import MembershipRole
from network.practice.models import PracticeExample
from network.practice.services import practice_contact_answer
from network.services.memberships import (
    invitation_create,
    membership_approve,
    membership_request,
    membership_withdraw,
)
from tests.core.helpers import find_anywhere
from tests.factories import (
    CourseDateFactory,
    ForumCategoryFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    member,
    practice_example,
)
from training.models import Registration
from training.services.attendance import attendance_mark
from training.services.calendar_feed import calendar_feed_get_or_create
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db

NAME = "Zelinda Wurzelbrunn"
HANDLE = "zelwurz"
EMAIL = "zelinda.w@dortmund.example"


def _a_whole_membership(django_capture_on_commit_callbacks):
    staff = StaffFactory(name="Sabine Landesjugendamt")
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    cora = coordinator(dortmund, name="Cora Kollegin")
    olga = member(dortmund, name="Olga Anders")
    koeln_coordinator = coordinator(koeln, name="Kurt Köln")
    mention_handle_set(user=olga, handle="olga")

    she = UserFactory(email=EMAIL, name=NAME, function="Koordination Präventionskette")
    # An invitation to her address, and a join request she withdrew, then the one approved.
    invitation_create(municipality=koeln, email=EMAIL, role="staff", by=koeln_coordinator)
    first = membership_request(
        user=she, municipality=koeln, role=MembershipRole.STAFF, message=f"Hier ist {NAME}."
    )
    membership_withdraw(membership=first, by=she)
    request = membership_request(
        user=she,
        municipality=dortmund,
        role=MembershipRole.COORDINATOR,
        message=f"Ich bin {NAME}, erreichbar unter {EMAIL}.",
    )
    membership_approve(membership=request, by=staff, role=MembershipRole.COORDINATOR)
    profile_update(user=she, name=NAME)
    invitation_create(municipality=dortmund, email="neu@dortmund.example", role="staff", by=she)
    mention_handle_set(user=she, handle=HANDLE)
    notification_settings_set(user=she, email_mode="daily")

    # Forums: a topic with her name in the title, replies, quotes and mentions both ways,
    # helpful marks, a report, an edit (a revision), watching.
    category = ForumCategoryFactory(name="Frühe Hilfen", slug="fruehe-hilfen")
    topic = topic_create(
        category=category,
        author=she,
        title=f"Frage von {NAME} zu Lotsendiensten",
        body=f"Hallo @olga, hier schreibt {NAME} ({EMAIL}).",
    )
    hers = topic.posts.get()
    olgas = post_create(
        topic=topic,
        author=olga,
        body=quote_text(post=hers) + f"\n\nDanke @{HANDLE}, liebe {NAME}!",
        reply_to=hers,
    )
    reply = post_create(topic=topic, author=she, body=f"Gern, @olga. Gruß, {NAME}", reply_to=olgas)
    post_edit(post=reply, by=she, body=f"Gern geschehen, @olga. {NAME}")
    reaction_toggle(post=olgas, user=she)
    reaction_toggle(post=hers, user=olga)
    post_report(post=olgas, by=she, reason=f"Meldung von {NAME}")
    post_create(
        topic=topic_create(
            category=category, author=olga, title="Olgas Thema", body="Was meint ihr?"
        ),
        author=she,
        body="Meine Antwort.",
    )
    topic_watch_set(topic=topic, user=she, level="watching")
    category_watch_set(category=category, user=she, level="watching")

    # Practice examples: hers (she is also its contact) and Cora's, naming her as contact person,
    # which she agrees to herself.
    practice_example(she, title=f"Babylotsen – {NAME}", publish_by=staff, contact=she)
    coras = practice_example(cora, title="Familienbüro Nord", contact=she)
    practice_contact_answer(example=coras, user=she, consent=True)

    # Training: a seat, a place on a waiting list, an attended date with a certificate.
    registration_create(course_date=CourseDateFactory(capacity=5), participant=she, by=she)
    full = CourseDateFactory(capacity=1)
    registration_create(course_date=full, participant=cora, by=cora)
    registration_create(course_date=full, participant=she, by=she, notes=f"Für {NAME}: Rampe")
    start = timezone.now() - timedelta(days=1)
    past = CourseDateFactory(start=start, end=start + timedelta(hours=3))
    attended = Registration.objects.create(
        course_date=past, participant=she, municipality=dortmund, status="confirmed"
    )
    attendance_mark(registration=attended, by=staff, attended=True)
    calendar_feed_get_or_create(user=she)

    # The board: her messages, messages naming her, a read mark, a mute with a reason.
    room_ensure_defaults()
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    message, _ = message_post(room=room, author=she, body=f"Hallo, {NAME} hier", nonce="z1")
    message_post(room=room, author=olga, body=f"Willkommen @{HANDLE} / {NAME}!", nonce="o1")
    room_mark_read(user_id=she.pk, room_id=room.pk, message_id=message.pk)
    user_mute(room=room, by=staff, user=she, minutes=5, reason=f"{NAME} bitte kurz Pause")
    return she, topic


def test_nothing_of_her_is_left_after_deletion(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        she, topic = _a_whole_membership(django_capture_on_commit_callbacks)
    before = find_anywhere([NAME, HANDLE, EMAIL])
    for place in (
        "forums.Topic.title",
        "forums.Notification.text",
        "practice.PracticeExample.title",
        "forums.Post.body",
        "events.Message.body",
    ):
        assert any(hit.startswith(place) for hit in before), place

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=she)

    assert find_anywhere([NAME, HANDLE, EMAIL]) == []
    # What others need stays, without her: the topic, its posts, the examples.
    topic = Topic.objects.get(pk=topic.pk)
    assert topic.title == "Frage von ehemaliges Mitglied zu Lotsendiensten"
    assert topic.posts.count() == 3
    coras = PracticeExample.objects.get(title="Familienbüro Nord")
    assert coras.contact is None and coras.contact_consent_at is None
    assert Notification.objects.exists()
