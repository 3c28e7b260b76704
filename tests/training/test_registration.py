"""Every registration rule, and the mail each step sends (once)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.models import OutgoingMail
from network.models import Membership, MembershipStatus
from tests.factories import (
    CourseDateFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    member,
)
from tests.training.invariants import assert_invariants
from training import exceptions
from training.models import Registration, RegistrationStatus, Trainer
from training.selectors import (
    course_date_seats_left,
    registration_waiting_position,
    registration_waiting_standing,
    user_is_course_participant,
    user_may_see_course_date_room,
    user_may_see_online_link,
)
from training.services.course_dates import course_date_cancel, course_date_save
from training.services.registration import registration_cancel, registration_create
from training.services.waiting_list import registration_leave_waiting_list, registration_move

pytestmark = pytest.mark.django_db


def register(course_date, person, by=None, **kwargs):
    return registration_create(
        course_date=course_date, participant=person, by=by or person, **kwargs
    )


def subjects():
    return [m.subject for m in mail.outbox]


# --- who may register -------------------------------------------------------------------------


def test_an_approved_member_registers_and_gets_a_confirmation_with_ics(
    course_date, django_capture_on_commit_callbacks
):
    person = member()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(course_date, person, notes="Rollstuhlgerechter Zugang")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.municipality == person.memberships.get().municipality
    assert registration.notes == "Rollstuhlgerechter Zugang"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert "Anmeldung bestätigt" in message.subject
    assert course_date.course.title in message.body
    (attachment,) = message.attachments
    assert attachment[0] == "termin.ics" and attachment[2] == "text/calendar"
    assert b"BEGIN:VEVENT" in (
        attachment[1] if isinstance(attachment[1], bytes) else attachment[1].encode()
    )
    assert message.alternatives[0][1] == "text/html"


def test_a_user_without_membership_cannot_register(course_date):
    with pytest.raises(exceptions.NotEligible):
        register(course_date, UserFactory())
    assert not Registration.objects.exists()


def test_a_pending_member_cannot_register(course_date):
    person = UserFactory()
    Membership.objects.create(
        user=person, municipality=MunicipalityFactory(), status=MembershipStatus.PENDING
    )
    with pytest.raises(exceptions.NotEligible):
        register(course_date, person)


def test_a_member_of_an_inactive_municipality_cannot_register(course_date):
    person = member(MunicipalityFactory(active=False))
    with pytest.raises(exceptions.NotEligible) as caught:
        register(course_date, person)
    assert "Programmkommune" in str(caught.value)  # the German message


def test_landesjugendamt_staff_may_register(course_date):
    staff = StaffFactory()
    registration = register(course_date, staff)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.municipality is None


def test_a_coordinator_registers_staff_of_their_own_municipality(course_date):
    town = MunicipalityFactory()
    boss, worker = coordinator(town), member(town)
    registration = register(course_date, worker, by=boss)
    assert registration.participant == worker and registration.registered_by == boss


def test_a_coordinator_cannot_register_staff_of_another_municipality(course_date):
    boss = coordinator(MunicipalityFactory())
    stranger = member(MunicipalityFactory())
    with pytest.raises(exceptions.NotYourMunicipality):
        register(course_date, stranger, by=boss)
    assert not Registration.objects.exists()


def test_a_staff_member_cannot_register_a_colleague(course_date):
    town = MunicipalityFactory()
    with pytest.raises(exceptions.NotYourMunicipality):
        register(course_date, member(town), by=member(town))


def test_one_live_registration_per_person_and_date(course_date):
    person = member()
    register(course_date, person)
    with pytest.raises(exceptions.AlreadyRegistered):
        register(course_date, person)
    assert Registration.objects.count() == 1


def test_a_refused_registration_leaves_no_mail_queued(course_date):
    """The registration's mail is queued before the date's lock; refused under it (here: the
    person already holds a registration), the mail goes with the rolled-back write."""
    person = member()
    register(course_date, person)
    assert OutgoingMail.objects.count() == 1
    with pytest.raises(exceptions.AlreadyRegistered):
        register(course_date, person)
    assert OutgoingMail.objects.count() == 1


def test_a_mail_is_written_as_the_registration_stands_when_the_worker_writes_it(
    django_capture_on_commit_callbacks,
):
    """The worker writes a registration's mail after the request: a waiting person promoted
    meanwhile gets only the promotion's mail, a person who cancelled meanwhile only the
    cancellation's, and a new registration of the same person its own mail, not the old one's."""
    course_date = CourseDateFactory(capacity=1)
    first, second = member(), member()
    with django_capture_on_commit_callbacks(execute=False) as unsent:
        seat = register(course_date, first)
        register(course_date, second)  # waits
        registration_cancel(registration=seat, by=first)  # second moves up
        again = register(course_date, first)  # waits behind nobody: second holds the seat
    for send in unsent:
        send()
    title = course_date.course.title
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            (first.email, f"[kinderstark] Abmeldung bestätigt: {title}"),
            (second.email, f"[kinderstark] Sie haben einen Platz: {title}"),
            (first.email, f"[kinderstark] Warteliste: {title}"),
        ]
    )
    assert again.status == RegistrationStatus.WAITING
    (waiting_mail,) = (m for m in mail.outbox if "Warteliste" in m.subject)
    assert "Warteliste, Position 1." in " ".join(waiting_mail.body.split())


def test_the_mail_finds_its_registration_when_the_clock_was_set_back_meanwhile(
    course_date, monkeypatch, django_capture_on_commit_callbacks
):
    """The mail looks for the registration made from the request's start on; a clock set back
    while the request waited for the lock must not hide it."""
    person = member()
    start = timezone.now()
    times = iter([start])  # the request's start; every later reading 5 s earlier
    monkeypatch.setattr(timezone, "now", lambda: next(times, start - timedelta(seconds=5)))
    with django_capture_on_commit_callbacks() as after_commit:
        registration = register(course_date, person)
    monkeypatch.undo()  # the worker's clock is right again
    for callback in after_commit:
        callback()
    assert registration.created_at >= start
    (message,) = mail.outbox
    assert message.to == [person.email] and "Anmeldung bestätigt" in message.subject


def test_after_a_cancellation_the_person_may_register_again(course_date):
    person = member()
    first = register(course_date, person)
    registration_cancel(registration=first, by=person)
    second = register(course_date, person)
    assert second.pk != first.pk and second.status == RegistrationStatus.CONFIRMED


def test_notes_too_long_are_refused(course_date):
    with pytest.raises(exceptions.NotesTooLong):
        register(course_date, member(), notes="x" * 1001)


# --- registration window ----------------------------------------------------------------------


def test_before_the_window_opens(db):
    course_date = CourseDateFactory(registration_opens=timezone.now() + timedelta(days=1))
    with pytest.raises(exceptions.RegistrationNotOpen):
        register(course_date, member())


def test_after_the_window_closes(db):
    course_date = CourseDateFactory(registration_closes=timezone.now() - timedelta(minutes=1))
    with pytest.raises(exceptions.RegistrationClosed):
        register(course_date, member())


def test_after_the_start_registration_is_closed(db):
    start = timezone.now() - timedelta(hours=1)
    course_date = CourseDateFactory(start=start, end=start + timedelta(hours=5))
    with pytest.raises(exceptions.RegistrationClosed):
        register(course_date, member())


def test_a_cancelled_date_takes_no_registrations(course_date, lja):
    course_date_cancel(course_date=course_date, by=lja)
    with pytest.raises(exceptions.CourseDateCancelled):
        register(course_date, member())


# --- capacity, quota, waiting list -------------------------------------------------------------


def test_the_rest_waits_with_a_visible_position(django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(capacity=2)
    people = [member() for _ in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [register(course_date, p) for p in people]
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [registration_waiting_position(registration=r) for r in registrations] == [
        None,
        None,
        1,
        2,
    ]
    assert course_date_seats_left(course_date=course_date) == 0
    waiting_mails = [m for m in mail.outbox if "Warteliste" in m.subject]
    assert len(waiting_mails) == 2
    assert "Position 2" in waiting_mails[1].body
    assert not waiting_mails[0].attachments
    assert_invariants(course_date)


def test_per_municipality_maximum():
    course_date = CourseDateFactory(capacity=5, max_per_municipality=2)
    town, other = MunicipalityFactory(), MunicipalityFactory()
    statuses = [register(course_date, member(town)).status for _ in range(3)]
    assert statuses == ["confirmed", "confirmed", "waiting"]
    # Another municipality still gets a seat.
    assert register(course_date, member(other)).status == "confirmed"
    assert_invariants(course_date)


def test_cancellation_promotes_the_next_in_line_and_tells_them(
    django_capture_on_commit_callbacks,
):
    course_date = CourseDateFactory(capacity=1)
    first, second, third = member(), member(), member()
    seat = register(course_date, first)
    waiting = register(course_date, second)
    register(course_date, third)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seat, by=first)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert sorted(subjects()) == sorted(
        [
            f"[kinderstark] Abmeldung bestätigt: {course_date.course.title}",
            f"[kinderstark] Sie haben einen Platz: {course_date.course.title}",
        ]
    )
    promoted = next(m for m in mail.outbox if "Platz" in m.subject)
    assert promoted.to == [second.email] and promoted.attachments
    assert_invariants(course_date)


def test_promotion_respects_the_municipality_maximum():
    course_date = CourseDateFactory(capacity=2, max_per_municipality=1)
    town, other = MunicipalityFactory(), MunicipalityFactory()
    a = register(course_date, member(town))
    register(course_date, member(other))
    same_town_waiting = register(course_date, member(town))  # waits: town at its maximum
    other_waiting = register(course_date, member(other))
    b_seat = Registration.objects.get(
        course_date=course_date, status="confirmed", municipality=other
    )
    registration_cancel(registration=b_seat, by=b_seat.participant)
    same_town_waiting.refresh_from_db()
    other_waiting.refresh_from_db()
    # The first in line does not fit (town has its one seat), the next one does.
    assert same_town_waiting.status == "waiting"
    assert other_waiting.status == "confirmed"
    assert a.status == "confirmed"
    assert_invariants(course_date)


def test_a_cancelled_registration_is_never_promoted():
    course_date = CourseDateFactory(capacity=1)
    seat = register(course_date, member())
    gone = register(course_date, member())
    registration_leave_waiting_list(registration=gone, by=gone.participant)
    registration_cancel(registration=seat, by=seat.participant)
    gone.refresh_from_db()
    assert gone.status == RegistrationStatus.CANCELLED
    assert course_date_seats_left(course_date=course_date) == 1


def test_a_waiting_person_can_leave_the_list(django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(capacity=1)
    register(course_date, member())
    person = member()
    waiting = register(course_date, person)
    later = register(course_date, member())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_leave_waiting_list(registration=waiting, by=person)
    later.refresh_from_db()
    assert registration_waiting_position(registration=later) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]


def test_leaving_the_list_needs_a_waiting_registration(course_date):
    person = member()
    seat = register(course_date, person)
    with pytest.raises(exceptions.NotWaiting):
        registration_leave_waiting_list(registration=seat, by=person)


def test_staff_move_someone_to_the_front(lja):
    course_date = CourseDateFactory(capacity=1)
    register(course_date, member())
    first, second, third = (register(course_date, member()) for _ in range(3))
    registration_move(registration=third, by=lja, position=1)
    positions = {
        r.pk: registration_waiting_position(registration=r)
        for r in Registration.objects.filter(course_date=course_date, status="waiting")
    }
    assert positions == {third.pk: 1, first.pk: 2, second.pk: 3}
    assert_invariants(course_date)


def test_only_staff_move_people(course_date):
    course_date.capacity = 1
    course_date.save()
    register(course_date, member())
    waiting = register(course_date, member())
    with pytest.raises(exceptions.NotAllowed):
        registration_move(registration=waiting, by=waiting.participant, position=1)


def test_a_capacity_increase_promotes(lja, django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(capacity=1)
    register(course_date, member())
    waiting = register(course_date, member())
    mail.outbox.clear()
    course_date.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        course_date_save(course_date=course_date, by=lja)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert subjects() == [f"[kinderstark] Sie haben einen Platz: {course_date.course.title}"]


def test_capacity_cannot_drop_below_the_seats_taken(lja):
    course_date = CourseDateFactory(capacity=2)
    register(course_date, member())
    register(course_date, member())
    course_date.capacity = 1
    with pytest.raises(exceptions.CapacityBelowTaken):
        course_date_save(course_date=course_date, by=lja)
    course_date.refresh_from_db()
    assert course_date.capacity == 2


def test_a_changed_time_is_told_to_everyone_registered(lja, django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(capacity=1)
    seat_holder, waiting_person = member(), member()
    register(course_date, seat_holder)
    register(course_date, waiting_person)
    mail.outbox.clear()
    course_date.start += timedelta(hours=1)
    course_date.end += timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        course_date_save(course_date=course_date, by=lja)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([seat_holder.email, waiting_person.email])
    assert all("Termin geändert" in m.subject for m in mail.outbox)


def test_an_unchanged_save_sends_nothing(course_date, lja, django_capture_on_commit_callbacks):
    register(course_date, member())
    mail.outbox.clear()
    course_date.information = "Bitte Laptop mitbringen."
    with django_capture_on_commit_callbacks(execute=True):
        course_date_save(course_date=course_date, by=lja)
    assert mail.outbox == []


# --- cancellation -------------------------------------------------------------------------------


def test_the_participant_cannot_cancel_after_the_deadline(db):
    course_date = CourseDateFactory(cancellation_deadline=timezone.now() + timedelta(days=1))
    person = member()
    registration = register(course_date, person)
    course_date.cancellation_deadline = timezone.now() - timedelta(minutes=1)
    course_date.save()
    with pytest.raises(exceptions.CancellationDeadlinePassed):
        registration_cancel(registration=registration, by=person)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_staff_cancel_any_time(db, lja):
    course_date = CourseDateFactory(cancellation_deadline=timezone.now() - timedelta(days=1))
    registration = Registration.objects.create(
        course_date=course_date,
        participant=member(),
        status="confirmed",
    )
    registration_cancel(registration=registration, by=lja)
    registration.refresh_from_db()
    assert registration.status == "cancelled" and registration.cancelled_by == lja


def test_staff_of_the_other_landesjugendamt_keep_the_deadline_of_their_own_seat(db):
    """Staff who take part in the other Landesjugendamt's course are participants there: after
    the cancellation deadline their own seat stays, as anyone's would."""
    course_date = CourseDateFactory(
        course__provider="LWL", cancellation_deadline=timezone.now() - timedelta(days=1)
    )
    visitor = StaffFactory(landesjugendamt="LVR")
    registration = Registration.objects.create(
        course_date=course_date, participant=visitor, status="confirmed"
    )
    with pytest.raises(exceptions.CancellationDeadlinePassed):
        registration_cancel(registration=registration, by=visitor)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_the_coordinator_cancels_for_their_staff(course_date):
    town = MunicipalityFactory()
    boss, worker = coordinator(town), member(town)
    registration = register(course_date, worker, by=boss)
    registration_cancel(registration=registration, by=boss)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_another_coordinator_cannot_cancel(course_date):
    registration = register(course_date, member())
    with pytest.raises(exceptions.NotAllowed):
        registration_cancel(registration=registration, by=coordinator(MunicipalityFactory()))
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_cancelling_twice_is_refused(course_date):
    person = member()
    registration = register(course_date, person)
    registration_cancel(registration=registration, by=person)
    with pytest.raises(exceptions.NotLive):
        registration_cancel(registration=registration, by=person)


def test_staff_cancel_a_whole_date_and_everybody_is_told(lja, django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(capacity=1)
    a, b = member(), member()
    register(course_date, a)
    register(course_date, b)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        course_date_cancel(course_date=course_date, by=lja)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert all("Termin abgesagt" in m.subject for m in mail.outbox)
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
    course_date.refresh_from_db()
    assert course_date.is_cancelled


def test_only_staff_cancel_a_date(course_date):
    with pytest.raises(exceptions.NotAllowed):
        course_date_cancel(course_date=course_date, by=coordinator())


def test_a_rolled_back_write_sends_no_mail(course_date, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                register(course_date, member())
                raise RuntimeError
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not Registration.objects.exists()


# --- who sees what -------------------------------------------------------------------------------


def test_online_link_and_room_only_for_seat_holders_trainers_and_staff(lja):
    course_date = CourseDateFactory(capacity=1, online_url="https://konferenz.example/raum")
    seat_holder, waiting_person, stranger, trainer = member(), member(), member(), member()
    course_date.trainers.add(Trainer.objects.create(name="Referentin", user=trainer))
    register(course_date, seat_holder)
    register(course_date, waiting_person)
    for user, expected in [
        (seat_holder, True),
        (trainer, True),
        (lja, True),
        (waiting_person, False),
        (stranger, False),
    ]:
        assert user_may_see_online_link(user=user, course_date=course_date) is expected
        assert user_may_see_course_date_room(user=user, course_date=course_date) is expected


def test_user_is_course_participant(course_date):
    person, waiting_person = member(), member()
    course_date.capacity = 1
    course_date.save()
    register(course_date, person)
    register(course_date, waiting_person)
    assert user_is_course_participant(user=person, course=course_date.course)
    assert not user_is_course_participant(user=waiting_person, course=course_date.course)


def test_a_new_waiting_registration_knows_its_standing_without_reading_it_again(lja):
    """registration_create() counts the standing under the lock (for the mail and the page):
    the same as the selector reads afterwards, blocked or not, after staff renumbered the list."""
    course_date = CourseDateFactory(capacity=2, max_per_municipality=1)
    t1, t2, t3, t4 = (MunicipalityFactory() for _ in range(4))
    register(course_date, member(t1))
    register(course_date, member(t2))
    made = [
        register(course_date, member(t1)),  # blocked: t1 holds its one seat
        register(course_date, member(t3)),
        register(course_date, member(t2)),  # blocked
    ]
    registration_move(registration=made[1], by=lja, position=2)
    made += [register(course_date, member(t4)), register(course_date, member(t3))]
    for registration in made:
        registration.refresh_from_db()
    for registration in made[3:]:
        fresh = Registration.objects.get(pk=registration.pk)
        assert registration.standing_when_made == registration_waiting_standing(registration=fresh)
    assert [r.standing_when_made["position"] for r in made[3:]] == [2, 3]
    assert made[0].standing_when_made == {"position": None, "blocked": True, "limit": 1}


def test_only_a_freed_seat_makes_the_board_sockets_recheck(
    channel_events, django_capture_on_commit_callbacks
):
    """The date's board room is for seat holders: cancelling a seat asks the person's sockets
    to re-check access; a waiting person had none to lose, so nothing is published."""
    course_date = CourseDateFactory(capacity=1)
    seat = register(course_date, member())
    waiting = register(course_date, member())
    later = register(course_date, member())
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=later, by=later.participant)
    assert channel_events == []
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seat, by=seat.participant)
    assert channel_events == [(f"user.{seat.participant_id}", {"type": "access.changed"})]
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
