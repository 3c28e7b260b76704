"""Registrations: taking a seat or a place on the waiting list, and cancelling one.

One path on every database: registration_create() and registrations_create() both check who may
register whom and the window, then count and insert under the course date's row lock
(seats.course_date_locked); a cancellation frees the seat and promotes under the same lock.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.mail import enqueue_mails_later
from core.models import User
from core.selectors import user_has_staff_power, user_is_landesjugendamt_staff
from events.publish import access_changed
from network.selectors.memberships import user_is_coordinator_of, user_membership
from training import exceptions
from training.models import (
    DEFAULT_PRIORITY,
    LIVE_STATUSES,
    SEAT_STATUSES,
    CourseDate,
    Registration,
    RegistrationStatus,
)
from training.selectors import (
    live_registration_rows,
    user_may_administer_course_date,
    user_may_manage_registration,
    waiting_standings,
)
from training.services.mail import promoted_mails, registered_mail, registration_mail_later
from training.services.seats import course_date_locked, fits, promote

NOTES_MAX_LENGTH = 1000


def _check_may_register(*, participant: User, by: User):
    """Returns the participant's municipality (None for Landesjugendamt staff without one)."""
    if not by.is_authenticated or not by.is_active:
        raise exceptions.NotAllowed
    membership = user_membership(user=participant)
    if membership is not None and membership.municipality.active and participant.is_active:
        municipality = membership.municipality
    elif user_is_landesjugendamt_staff(user=participant):
        municipality = None
    else:
        raise exceptions.NotEligible
    if by.pk == participant.pk or user_has_staff_power(user=by):
        return municipality
    if municipality is not None and user_is_coordinator_of(user=by, municipality=municipality):
        return municipality
    raise exceptions.NotYourMunicipality


def _check_window(course_date: CourseDate, now: datetime) -> None:
    if course_date.is_cancelled:
        raise exceptions.CourseDateCancelled
    if course_date.registration_opens and now < course_date.registration_opens:
        raise exceptions.RegistrationNotOpen
    # Once the date has begun (running, held, closed) nobody joins, whatever the window says.
    if now > course_date.effective_registration_closes or now >= course_date.start:
        raise exceptions.RegistrationClosed


def _clean_notes(notes: str) -> str:
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise exceptions.NotesTooLong
    return notes


def _insert_registration(
    *, course_date: CourseDate, participant: User, municipality, by: User, notes: str, now
) -> Registration:
    """Count and insert under the caller's lock of `course_date`: a seat while the capacity and
    the municipality's maximum allow, else the end of the waiting list.

    One plain query reads the date's live registrations (as many rows as seats and waiting
    places, which Python counts faster than the database's grouped counts are compiled, while
    every other registration of the date waits): the seats per municipality, and whether the
    participant is registered already. A waiting registration comes back with its standing as
    registration_waiting_standing() tells it (waiting_standings over the same rows and the new
    one) in `standing_when_made`, so the page does not read it again.
    """
    municipality_id = getattr(municipality, "pk", None)
    seats: Counter = Counter()
    rows = []
    for *row, other_participant in live_registration_rows(
        course_date_ids=[course_date.pk], extra=("participant_id",)
    ):
        if other_participant == participant.pk:
            raise exceptions.AlreadyRegistered
        _pk, other_municipality, status, *_rest = row
        if status in SEAT_STATUSES:
            seats[other_municipality] += 1
        rows.append(row)
    confirmed = fits(course_date, municipality_id, seats.total(), seats)
    registration = Registration.objects.create(
        course_date=course_date,
        participant=participant,
        municipality=municipality,
        registered_by=by,
        priority=DEFAULT_PRIORITY,
        # Never before `now`, the moment its mail looks for it from (registered_mail), were the
        # clock set back while the request waited for the lock.
        created_at=max(timezone.now(), now),
        notes=notes,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
        confirmed_at=now if confirmed else None,
    )
    if not confirmed:
        rows.append(
            (registration.pk, municipality_id, registration.status, registration.priority,
             registration.created_at)
        )  # fmt: skip
        limit = course_date.max_per_municipality
        standing = waiting_standings(rows, limit=limit)[registration.pk]
        registration.standing_when_made = {
            "position": standing.position,
            "blocked": standing.blocked,
            "limit": limit,
        }
    return registration


def _date_id(course_date: CourseDate | int) -> int:
    return course_date.pk if isinstance(course_date, CourseDate) else course_date


def registration_create(
    *, course_date: CourseDate | int, participant: User, by: User, notes: str = ""
) -> Registration:
    """Register `participant` for `course_date` (the date or its id), on behalf of `by`.

    Rules: the participant is an approved member of an active programme municipality or
    Landesjugendamt staff; `by` is the participant, their municipality's coordinator, or staff;
    one live registration per person and date; only inside the registration window of a planned
    date. A seat is confirmed while the capacity and the municipality's maximum allow, otherwise
    the registration waits at the end of the list. The date is read once, under its lock: what
    a caller read of it before may be out of date, and a register POST needs nothing else of it
    (CourseDate.DoesNotExist when there is none).
    """
    notes = _clean_notes(notes)
    municipality = _check_may_register(participant=participant, by=by)
    now = timezone.now()
    course_date_id = _date_id(course_date)
    try:
        with transaction.atomic():
            # Queued in the registration's transaction, so the two commit together (enqueued
            # after it, a lost connection left registrations without their mail: tests/fault),
            # and before the lock, which every other registration of the date waits for.
            enqueue_mails_later(
                [registered_mail(course_date_id=course_date_id, participant=participant, since=now)]
            )
            with course_date_locked(course_date_id, savepoint=False) as locked:
                _check_window(locked, now)
                registration = _insert_registration(
                    course_date=locked,
                    participant=participant,
                    municipality=municipality,
                    by=by,
                    notes=notes,
                    now=now,
                )
    except IntegrityError as exc:
        # The live-registration constraint: the lock makes this a backstop only.
        raise exceptions.AlreadyRegistered from exc
    return registration


@dataclass(frozen=True)
class RegistrationOutcome:
    """What became of one person in a registration of several: a `registration` (seat or
    waiting list), or the `error` that refused them."""

    participant: User
    registration: Registration | None = None
    error: exceptions.TrainingError | None = None


def registrations_create(
    *, course_date: CourseDate | int, participants: list[User], by: User, notes: str = ""
) -> list[RegistrationOutcome]:
    """A coordinator (or staff) registers several people for a date at once.

    The same rules as registration_create() apply to each person; one refused person (not
    eligible, not of `by`'s municipality, already registered) does not stop the others. All
    run in one transaction under the date's row lock, in the given order, so seats and the
    municipality's maximum are counted once for the whole group. Window errors (closed,
    cancelled) refuse everybody. The date (or its id) is read under its lock, as there.
    """
    notes = _clean_notes(notes)
    now = timezone.now()
    outcomes = []
    with course_date_locked(_date_id(course_date)) as locked:
        _check_window(locked, now)
        for participant in participants:
            try:
                municipality = _check_may_register(participant=participant, by=by)
                with transaction.atomic():  # the constraint backstop spoils one person only
                    registration = _insert_registration(
                        course_date=locked,
                        participant=participant,
                        municipality=municipality,
                        by=by,
                        notes=notes,
                        now=now,
                    )
            except IntegrityError:
                outcomes.append(
                    RegistrationOutcome(
                        participant=participant, error=exceptions.AlreadyRegistered()
                    )
                )
            except exceptions.TrainingError as error:
                outcomes.append(RegistrationOutcome(participant=participant, error=error))
            else:
                outcomes.append(
                    RegistrationOutcome(participant=participant, registration=registration)
                )
        enqueue_mails_later(
            [
                registered_mail(course_date_id=locked.pk, participant=o.participant, since=now)
                for o in outcomes
                if o.registration is not None
            ]
        )
    return outcomes


def check_may_manage(*, registration: Registration, by: User) -> bool:
    """Refuses (NotAllowed) whoever may not manage the registration; returns whether `by` acts
    as staff, i.e. administers the date (staff of the other Landesjugendamt cancelling their own
    seat are participants like everyone else, deadline included)."""
    if not user_may_manage_registration(user=by, registration=registration):
        raise exceptions.NotAllowed
    return user_may_administer_course_date(user=by, course_date=registration.course_date)


def taken_over(registration: Registration, current: Registration) -> None:
    """Give the caller's `registration` the row's values as the locked write left them (what
    refresh_from_db() would read again, without the query)."""
    for field in Registration._meta.concrete_fields:
        setattr(registration, field.attname, getattr(current, field.attname))


def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Cancel a registration (a seat or a place on the waiting list).

    The participant and their coordinator may cancel a seat until the cancellation deadline,
    staff at any time; a waiting person may leave the list at any time. The freed seat goes to
    the next fitting person on the waiting list under the same lock. A cancelled registration is
    never promoted again.
    """
    as_staff = check_may_manage(registration=registration, by=by)
    with course_date_locked(registration.course_date_id) as locked:
        current = Registration.objects.get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            raise exceptions.NotLive
        if current.status == RegistrationStatus.ATTENDED and not as_staff:
            raise exceptions.NotAllowed
        if (
            current.status == RegistrationStatus.CONFIRMED
            and not as_staff
            and timezone.now() > locked.effective_cancellation_deadline
        ):
            raise exceptions.CancellationDeadlinePassed
        held_seat = current.holds_seat
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancelled_by = by
        current.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        current.course_date = locked
        promoted = promote(locked) if held_seat else []
        # Its mail and the promoted people's in one insert and one task (core.mail).
        enqueue_mails_later(
            [registration_mail_later("cancelled", registration), *promoted_mails(promoted)]
        )
        # The course date's board room is for those holding a seat: their open sockets
        # re-check it (one round of Redis after the commit, which a waiting person never
        # needs).
        if held_seat:
            access_changed(user_id=current.participant_id)
    taken_over(registration, current)
    return registration


def registration_release(*, registration: Registration) -> None:
    """Free a registration without asking anyone (the participant deletes their account): no
    deadline, no mail to the participant; the waiting list moves up as usual."""
    with course_date_locked(registration.course_date_id) as locked:
        current = Registration.objects.get(pk=registration.pk)
        if current.status not in LIVE_STATUSES:
            return
        held_seat = current.holds_seat
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        promoted = promote(locked) if held_seat else []
        enqueue_mails_later(promoted_mails(promoted))
