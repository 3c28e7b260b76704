"""The seat ledger of a course date, shared by every write that takes or frees a seat.

Such a write runs in one transaction holding the row lock of the course date
(course_date_locked(), select_for_update), re-counts under the lock, writes, and promotes from the
waiting list in (priority, created) order before the lock is released: one Python path on every
database. A lock that cannot be had within TRAINING_LOCK_TIMEOUT_MS (3 s, pretix's limit) is a
TryAgain error and changes nothing.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, router, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core.models import User
from training import exceptions
from training.models import (
    SEAT_STATUSES,
    CourseDate,
    Registration,
    RegistrationStatus,
)
from training.selectors import live_registration_rows, waiting_in_queue_order


def _lock_timeout_ms() -> int:
    return getattr(settings, "TRAINING_LOCK_TIMEOUT_MS", 3000)


def _is_lock_timeout(exc: BaseException) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "55P03"  # lock_not_available


@contextmanager
def course_date_locked(course_date_id: int, *, savepoint: bool = True) -> Iterator[CourseDate]:
    """One transaction holding the course date's row lock, at most lock_timeout long to get.

    On PostgreSQL the timeout is set with set_config(…, is_local=true) inside the locking query
    itself (evaluated on the row before LockRows waits), which spares a round trip while every
    other registration of the date queues behind this one. Inside a caller's transaction this is
    a savepoint: a lock timeout rolls back only what was done here, and the lock lasts until the
    caller commits. A caller whose transaction holds only what belongs to this write (its mail,
    queued before the lock) passes savepoint=False: the savepoint's release would be one more
    round trip under the lock, and a timeout rolls that back too.
    """
    try:
        with transaction.atomic(savepoint=savepoint):
            queryset = CourseDate.objects.select_for_update(of=("self",))
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


def seat_counts(course_date: CourseDate) -> tuple[int, Counter]:
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


def fits(course_date: CourseDate, municipality_id, taken: int, per_municipality: Counter) -> bool:
    """Whether one more seat for `municipality_id` keeps the capacity and the municipality's
    maximum (which staff without a municipality are not counted against)."""
    if taken >= course_date.capacity:
        return False
    limit = course_date.max_per_municipality
    if limit is not None and municipality_id is not None:
        return per_municipality[municipality_id] < limit
    return True


def promote(course_date: CourseDate) -> list[Registration]:
    """Confirm the waiting registrations that fit, in the queue's order (waiting_in_queue_order).
    Caller holds the lock. Cancelled registrations are never in the queue, so
    they are never promoted.

    Two statements whatever the length of the list, as the caller holds the date's lock: one
    plain query reads the date's live registrations (the seats per municipality and the queue,
    with each waiting person's address for their mail), Python picks who fits (skipping
    municipalities at their maximum), and one UPDATE confirms them. The promoted registrations
    come back as loaded by that read (the other fields are deferred): enough for their mails
    (promoted_mails) and the caller's checks.
    """
    per_municipality: Counter = Counter()
    rows = list(
        live_registration_rows(
            course_date_ids=[course_date.pk], extra=("participant_id", "participant__email")
        )
    )
    for _pk, municipality_id, status, *_rest in rows:
        if status in SEAT_STATUSES:
            per_municipality[municipality_id] += 1
    taken = per_municipality.total()
    chosen = []
    for row in waiting_in_queue_order(rows):
        if taken >= course_date.capacity:
            break
        municipality_id = row[1]
        if fits(course_date, municipality_id, taken, per_municipality):
            chosen.append(row)
            taken += 1
            per_municipality[municipality_id] += 1
    if not chosen:
        return []
    now = timezone.now()
    Registration.objects.filter(pk__in=[row[0] for row in chosen]).update(
        status=RegistrationStatus.CONFIRMED, confirmed_at=now
    )
    db = router.db_for_write(Registration)
    promoted = []
    for pk, municipality_id, _status, priority, created_at, participant_id, email in chosen:
        registration = Registration.from_db(
            db,
            ["id", "course_date_id", "municipality_id", "participant_id", "priority",
             "created_at", "status", "confirmed_at"],
            [pk, course_date.pk, municipality_id, participant_id, priority, created_at,
             RegistrationStatus.CONFIRMED, now],
        )  # fmt: skip
        registration.course_date = course_date
        registration.participant = User.from_db(db, ["id", "email"], [participant_id, email])
        promoted.append(registration)
    return promoted
