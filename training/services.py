"""Writes of training: registrations, the waiting list, cancellations, attendance, certificates.

Every write that takes or frees a seat runs in one transaction holding the row lock of the course
date (select_for_update), re-counts under the lock, writes, and promotes from the waiting list in
(priority, created) order before the lock is released. A lock that cannot be had within
TRAINING_LOCK_TIMEOUT_MS (3 s, pretix's limit) is a TryAgain error and changes nothing.
"""

import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import BooleanField, Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.mail import Attachment, Mail, send_after_commit
from core.models import User
from core.selectors import user_has_staff_power, user_is_landesjugendamt_staff
from events.publish import access_changed
from network.selectors.memberships import user_is_coordinator_of, user_membership
from training import exceptions
from training.calendar import course_date_ical
from training.models import (
    DEFAULT_PRIORITY,
    LIVE_STATUSES,
    SEAT_STATUSES,
    CalendarFeed,
    CourseDate,
    CourseDateStatus,
    Registration,
    RegistrationStatus,
)
from training.selectors import registration_waiting_standing, reminders_due, waiting_queue

NOTES_MAX_LENGTH = 1000
NOTES_RETENTION = timedelta(days=30)
# Fields whose change participants are told about.
NOTIFIED_FIELDS = ("start", "end", "venue_name", "venue_address", "online_url")


def _lock_timeout_ms() -> int:
    return getattr(settings, "TRAINING_LOCK_TIMEOUT_MS", 3000)


def _is_lock_timeout(exc: BaseException) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "55P03"  # lock_not_available


@contextmanager
def _course_date_locked(course_date_id: int) -> Iterator[CourseDate]:
    """One transaction holding the course date's row lock, at most lock_timeout long to get.

    On PostgreSQL the timeout is set with set_config(…, is_local=true) inside the locking query
    itself (evaluated on the row before LockRows waits), which spares a round trip while every
    other registration of the date queues behind this one.
    """
    try:
        with transaction.atomic():
            queryset = CourseDate.objects.select_for_update(of=("self",)).select_related("course")
            if connection.vendor == "postgresql":
                queryset = queryset.filter(
                    RawSQL(
                        "set_config('lock_timeout', %s, true) IS NOT NULL",
                        [f"{int(_lock_timeout_ms())}ms"],
                        output_field=BooleanField(),
                    )
                )
            yield queryset.get(pk=course_date_id)
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise exceptions.TryAgain from exc
        raise


def _seat_counts(course_date: CourseDate) -> tuple[int, Counter]:
    """Seats taken in total and per municipality (None for staff without a municipality)."""
    per_municipality: Counter = Counter()
    rows = (
        Registration.objects.filter(course_date=course_date, status__in=SEAT_STATUSES)
        .values_list("municipality_id", flat=True)
        .order_by()
    )
    for municipality_id in rows:
        per_municipality[municipality_id] += 1
    return sum(per_municipality.values()), per_municipality


def _fits(course_date: CourseDate, municipality_id, taken: int, per_municipality: Counter) -> bool:
    if taken >= course_date.capacity:
        return False
    limit = course_date.max_per_municipality
    if limit is not None and municipality_id is not None:
        return per_municipality[municipality_id] < limit
    return True


def _promote(course_date: CourseDate) -> list[Registration]:
    """Confirm the waiting registrations that fit, in (priority, created) order. Caller holds the
    lock. Cancelled registrations are never in the queue, so they are never promoted.

    Reads only as much of the queue as there are free seats, skipping municipalities already at
    their maximum, so a long waiting list costs nothing extra.
    """
    taken, per_municipality = _seat_counts(course_date)
    limit = course_date.max_per_municipality
    promoted = []
    now = timezone.now()
    while taken < course_date.capacity:
        full = [
            m
            for m, n in per_municipality.items()
            if limit is not None and m is not None and n >= limit
        ]
        candidates = list(
            waiting_queue(course_date=course_date)
            .exclude(municipality_id__in=full)
            .select_related("participant")[: course_date.capacity - taken]
        )
        if not candidates:
            break
        for registration in candidates:
            if not _fits(course_date, registration.municipality_id, taken, per_municipality):
                break  # this municipality just filled up: look at the queue again
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            registration.course_date = course_date
            taken += 1
            per_municipality[registration.municipality_id] += 1
            promoted.append(registration)
    return promoted


# --- e-mail -------------------------------------------------------------------------------------


def _context(registration: Registration, **extra) -> dict:
    course_date = registration.course_date
    return {
        "registration": registration,
        "course_date": course_date,
        "course": course_date.course,
        "participant": registration.participant,
        "date_url": f"{settings.SITE_URL}{course_date.get_absolute_url()}",
        "my_url": f"{settings.SITE_URL}/fortbildung/meine/",
        **extra,
    }


def _ics_attachment(registration: Registration) -> Attachment:
    return Attachment(
        filename="termin.ics",
        content=course_date_ical(course_date=registration.course_date, with_online_url=True),
        mimetype="text/calendar",
    )


def _mail(template: str, registration: Registration, *, ics: bool = False, **extra) -> Mail:
    return Mail(
        template=f"training/mail/{template}",
        to=[registration.participant.email],
        context=_context(registration, **extra),
        attachments=[_ics_attachment(registration)] if ics else [],
    )


def _registration_mail(registration: Registration) -> Mail:
    if registration.status == RegistrationStatus.CONFIRMED:
        return _mail("registered", registration, ics=True)
    standing = registration_waiting_standing(registration=registration)
    return _mail(
        "waiting",
        registration,
        position=standing["position"],
        blocked=standing["blocked"],
        limit=standing["limit"],
    )


def _promoted_mails(promoted: list[Registration]) -> list[Mail]:
    return [_mail("promoted", registration, ics=True) for registration in promoted]


# --- registration -------------------------------------------------------------------------------


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
    if now > course_date.effective_registration_closes:
        raise exceptions.RegistrationClosed


_REFUSALS = {
    "missing": exceptions.NotAllowed,
    "cancelled": exceptions.CourseDateCancelled,
    "not_open": exceptions.RegistrationNotOpen,
    "closed": exceptions.RegistrationClosed,
    "already": exceptions.AlreadyRegistered,
}


def _insert_registration_postgresql(
    *, course_date: CourseDate, participant: User, municipality, by: User, notes: str, now
) -> Registration:
    """Lock, re-check, count and insert in one statement (training_register(), migration 0004):
    the date's lock is held only while the server works, not over round trips. Outside a
    transaction the statement commits by itself; inside one, a savepoint keeps a lock timeout
    from breaking the caller's transaction, and the lock lasts until the caller commits."""
    params = [
        course_date.pk,
        participant.pk,
        getattr(municipality, "pk", None),
        by.pk,
        DEFAULT_PRIORITY,
        now,
        notes,
        f"{int(_lock_timeout_ms())}ms",
    ]
    sql = "SELECT * FROM training_register(%s, %s, %s, %s, %s, %s, %s, %s)"
    try:
        if connection.in_atomic_block:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
    except OperationalError as exc:
        if _is_lock_timeout(exc):
            raise exceptions.TryAgain from exc
        raise
    pk, status, position, refusal = row
    if refusal:
        raise _REFUSALS[refusal]
    registration = Registration(
        pk=pk,
        course_date=course_date,
        participant=participant,
        municipality=municipality,
        registered_by=by,
        status=status,
        priority=DEFAULT_PRIORITY,
        created_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        notes=notes,
    )
    registration._state.adding = False  # the row exists: a later save() updates it
    registration._state.db = connection.alias
    # The function's position counts the whole queue; what a person is told comes from
    # registration_waiting_standing(), which leaves out municipalities at their maximum.
    del position
    return registration


def _insert_registration(
    *, course_date: CourseDate, participant: User, municipality, by: User, notes: str, now
) -> Registration:
    """Count and insert under the caller's lock (the ORM path, for SQLite)."""
    municipality_id = getattr(municipality, "pk", None)
    counts = Registration.objects.filter(course_date=course_date).aggregate(
        already=Count("pk", filter=Q(participant=participant, status__in=LIVE_STATUSES)),
        taken=Count("pk", filter=Q(status__in=SEAT_STATUSES)),
        mine=Count("pk", filter=Q(status__in=SEAT_STATUSES, municipality_id=municipality_id)),
    )
    if counts["already"]:
        raise exceptions.AlreadyRegistered
    confirmed = _fits(
        course_date, municipality_id, counts["taken"], Counter({municipality_id: counts["mine"]})
    )
    return Registration.objects.create(
        course_date=course_date,
        participant=participant,
        municipality=municipality,
        registered_by=by,
        priority=DEFAULT_PRIORITY,
        created_at=timezone.now(),
        notes=notes,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
        confirmed_at=now if confirmed else None,
    )


def registration_create(
    *, course_date: CourseDate, participant: User, by: User, notes: str = ""
) -> Registration:
    """Register `participant` for `course_date`, on behalf of `by`.

    Rules: the participant is an approved member of an active programme municipality or
    Landesjugendamt staff; `by` is the participant, their municipality's coordinator, or staff;
    one live registration per person and date; only inside the registration window of a planned
    date. A seat is confirmed while the capacity and the municipality's maximum allow, otherwise
    the registration waits at the end of the list.
    """
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise exceptions.NotesTooLong
    municipality = _check_may_register(participant=participant, by=by)
    now = timezone.now()
    _check_window(course_date, now)
    fields = {"participant": participant, "municipality": municipality, "by": by, "notes": notes}
    try:
        if connection.vendor == "postgresql":
            registration = _insert_registration_postgresql(
                course_date=course_date, now=now, **fields
            )
        else:
            with _course_date_locked(course_date.pk) as locked:
                _check_window(locked, now)
                registration = _insert_registration(course_date=locked, now=now, **fields)
    except IntegrityError as exc:
        # The live-registration constraint: the lock makes this a backstop only.
        raise exceptions.AlreadyRegistered from exc
    # Built after the lock is released (the .ics and the position take time); still sent only
    # once the surrounding transaction, if any, commits.
    send_after_commit([_registration_mail(registration)])
    return registration


@dataclass(frozen=True)
class RegistrationOutcome:
    """What became of one person in a registration of several: a `registration` (seat or
    waiting list), or the `error` that refused them."""

    participant: User
    registration: Registration | None = None
    error: exceptions.TrainingError | None = None


def registrations_create(
    *, course_date: CourseDate, participants: list[User], by: User, notes: str = ""
) -> list[RegistrationOutcome]:
    """A coordinator (or staff) registers several people for a date at once.

    The same rules as registration_create() apply to each person; one refused person (not
    eligible, not of `by`'s municipality, already registered) does not stop the others. All
    run in one transaction under the date's row lock, in the given order, so seats and the
    municipality's maximum are counted once for the whole group. Window errors (closed,
    cancelled) refuse everybody.
    """
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise exceptions.NotesTooLong
    now = timezone.now()
    _check_window(course_date, now)
    outcomes = []
    with _course_date_locked(course_date.pk) as locked:
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
        send_after_commit(
            [_registration_mail(o.registration) for o in outcomes if o.registration is not None]
        )
    return outcomes


def _check_may_manage(*, registration: Registration, by: User) -> bool:
    """Returns whether `by` acts as staff."""
    from training.selectors import user_may_manage_registration

    if not user_may_manage_registration(user=by, registration=registration):
        raise exceptions.NotAllowed
    return user_has_staff_power(user=by)


def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Cancel a registration (a seat or a place on the waiting list).

    The participant and their coordinator may cancel a seat until the cancellation deadline,
    staff at any time; a waiting person may leave the list at any time. The freed seat goes to
    the next fitting person on the waiting list under the same lock. A cancelled registration is
    never promoted again.
    """
    as_staff = _check_may_manage(registration=registration, by=by)
    with _course_date_locked(registration.course_date_id) as locked:
        current = Registration.objects.select_related("participant").get(pk=registration.pk)
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
        promoted = _promote(locked) if held_seat else []
        send_after_commit([_mail("cancelled", current), *_promoted_mails(promoted)])
        # The course date's board room is for confirmed participants: re-check open sockets.
        access_changed(user_id=current.participant_id)
    registration.refresh_from_db()
    return registration


def registration_release(*, registration: Registration) -> None:
    """Free a registration without asking anyone (the participant deletes their account): no
    deadline, no mail to the participant; the waiting list moves up as usual."""
    with _course_date_locked(registration.course_date_id) as locked:
        current = Registration.objects.get(pk=registration.pk)
        if current.status not in LIVE_STATUSES:
            return
        held_seat = current.holds_seat
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        promoted = _promote(locked) if held_seat else []
        send_after_commit(_promoted_mails(promoted))


def registration_leave_waiting_list(*, registration: Registration, by: User) -> Registration:
    """A waiting person (or their coordinator, or staff) takes them off the waiting list.

    Decided under the date's lock on the registration as it is then: leaving the list only
    ever cancels a waiting registration. One promoted in the meantime keeps its seat
    (PromotedMeanwhile); cancelling a seat is registration_cancel()'s work, with its deadline.
    """
    _check_may_manage(registration=registration, by=by)
    with _course_date_locked(registration.course_date_id) as locked:
        current = Registration.objects.select_related("participant").get(pk=registration.pk)
        if current.status in SEAT_STATUSES:
            raise exceptions.PromotedMeanwhile
        if current.status != RegistrationStatus.WAITING:
            raise exceptions.NotLive
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancelled_by = by
        current.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        current.course_date = locked
        send_after_commit([_mail("cancelled", current)])
    registration.refresh_from_db()
    return registration


def registration_move(*, registration: Registration, by: User, position: int) -> Registration:
    """Staff move a waiting registration to `position` (1 = next in line). The waiting list is
    renumbered under the lock; afterwards whoever fits first is promoted as usual."""
    if not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    with _course_date_locked(registration.course_date_id) as locked:
        queue = list(waiting_queue(course_date=locked))
        current = next((r for r in queue if r.pk == registration.pk), None)
        if current is None:
            raise exceptions.NotWaiting
        queue.remove(current)
        index = min(max(int(position), 1), len(queue) + 1) - 1
        queue.insert(index, current)
        for priority, item in enumerate(queue):
            if item.priority != priority:
                item.priority = priority
                item.save(update_fields=["priority"])
        promoted = _promote(locked)
        send_after_commit(_promoted_mails(promoted))
    registration.refresh_from_db()
    return registration


# --- course dates -------------------------------------------------------------------------------


def _comparable(value):
    # Times are entered to the minute; seconds lost on a form round trip are no change.
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return value


def course_date_save(*, course_date: CourseDate, by: User | None = None) -> CourseDate:
    """Save a new or edited course date (the Wagtail admin calls this).

    Capacity may not drop below the seats already taken. A higher capacity or municipality
    maximum promotes from the waiting list at once; a changed time, venue or access link is
    told to everybody registered. Only staff with their staff power (and code run without a
    person, `by=None`) may.
    """
    if by is not None and not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    if course_date.pk is None:
        course_date.save()
        return course_date
    with _course_date_locked(course_date.pk) as locked:
        taken, _ = _seat_counts(locked)
        if course_date.capacity < taken:
            raise exceptions.CapacityBelowTaken
        changed = [
            f
            for f in NOTIFIED_FIELDS
            if _comparable(getattr(locked, f)) != _comparable(getattr(course_date, f))
        ]
        course_date.save()
        promoted = _promote(course_date)
        mails = _promoted_mails(promoted)
        if changed and not course_date.is_cancelled:
            promoted_ids = {r.pk for r in promoted}
            for registration in Registration.objects.filter(
                course_date=course_date, status__in=LIVE_STATUSES
            ).select_related("participant"):
                if registration.pk in promoted_ids:
                    continue
                registration.course_date = course_date
                mails.append(
                    _mail(
                        "date_changed",
                        registration,
                        ics=registration.holds_seat,
                        changed=changed,
                    )
                )
        send_after_commit(mails)
    return course_date


def course_date_cancel(*, course_date: CourseDate, by: User) -> CourseDate:
    """Staff cancel a whole date: every live registration is cancelled and told."""
    if not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    with _course_date_locked(course_date.pk) as locked:
        if locked.is_cancelled:
            raise exceptions.CourseDateCancelled
        now = timezone.now()
        locked.status = CourseDateStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        live = list(
            Registration.objects.filter(
                course_date=locked, status__in=LIVE_STATUSES
            ).select_related("participant")
        )
        Registration.objects.filter(pk__in=[r.pk for r in live]).update(
            status=RegistrationStatus.CANCELLED, cancelled_at=now, cancelled_by=by
        )
        mails = []
        for registration in live:
            registration.course_date = locked
            mails.append(_mail("date_cancelled", registration))
        send_after_commit(mails)
    course_date.refresh_from_db()
    return course_date


# --- attendance and certificates -----------------------------------------------------------------


def _new_certificate_number(year: int) -> str:
    return f"KS-{year}-{secrets.token_hex(4).upper()}"


def attendance_mark(*, registration: Registration, by: User, attended: bool) -> Registration:
    """Staff mark whether a confirmed participant attended (once the date has begun). An
    attendee gets a certificate number; taking the mark back withdraws it."""
    if not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    course_date = registration.course_date
    if timezone.now() < course_date.start:
        raise exceptions.AttendanceTooEarly
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status not in SEAT_STATUSES:
            raise exceptions.NotLive
        now = timezone.now()
        if attended and current.status != RegistrationStatus.ATTENDED:
            current.status = RegistrationStatus.ATTENDED
            current.attendance_marked_at = now
            current.certificate_number = _new_certificate_number(course_date.start.year)
            current.certificate_issued_at = now
        elif not attended and current.status == RegistrationStatus.ATTENDED:
            current.status = RegistrationStatus.CONFIRMED
            current.attendance_marked_at = now
            current.certificate_number = None
            current.certificate_issued_at = None
        else:
            return current
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    current.save(
                        update_fields=[
                            "status",
                            "attendance_marked_at",
                            "certificate_number",
                            "certificate_issued_at",
                        ]
                    )
                break
            except IntegrityError:  # pragma: no cover - a 1 in 4 billion collision
                current.certificate_number = _new_certificate_number(course_date.start.year)
    return current


def attendance_mark_many(
    *, course_date: CourseDate, by: User, attended_ids: set[int]
) -> list[Registration]:
    """Mark the whole participant list at once: the given ids attended, the other seats not."""
    changed = []
    for registration in Registration.objects.filter(
        course_date=course_date, status__in=SEAT_STATUSES
    ).select_related("course_date"):
        want = registration.pk in attended_ids
        if want != (registration.status == RegistrationStatus.ATTENDED):
            changed.append(attendance_mark(registration=registration, by=by, attended=want))
    return changed


# --- calendar feed ------------------------------------------------------------------------------


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new secret token: the old feed URL stops working at once."""
    from training.models import _calendar_token

    feed = calendar_feed_get_or_create(user=user)
    feed.token = _calendar_token()
    feed.renewed_at = timezone.now()
    feed.save(update_fields=["token", "renewed_at"])
    return feed


# --- scheduled jobs -----------------------------------------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind confirmed participants of dates starting within two days. Each registration is
    claimed with a conditional update first, so overlapping or repeated runs send once."""
    now = now or timezone.now()
    sent = 0
    for registration in reminders_due(now=now):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                send_after_commit([_mail("reminder", registration, ics=True)])
                sent += 1
    return sent


def registration_notes_purge(*, now: datetime | None = None) -> int:
    """Delete the free-text notes (accessibility, dietary needs) 30 days after the date."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(course_date__end__lt=now - NOTES_RETENTION)
        .exclude(notes="")
        .update(notes="")
    )
