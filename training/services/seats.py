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
from django.db import OperationalError, connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from training import exceptions
from training.models import SEAT_STATUSES, CourseDate, Registration, RegistrationStatus
from training.selectors import waiting_queue


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
    """Confirm the waiting registrations that fit, in (priority, created) order. Caller holds the
    lock. Cancelled registrations are never in the queue, so they are never promoted.

    Reads only as much of the queue as there are free seats, skipping municipalities already at
    their maximum, so a long waiting list costs nothing extra.
    """
    taken, per_municipality = seat_counts(course_date)
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
            if not fits(course_date, registration.municipality_id, taken, per_municipality):
                break  # this municipality just filled up: look at the queue again
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            registration.course_date = course_date
            taken += 1
            per_municipality[registration.municipality_id] += 1
            promoted.append(registration)
    return promoted
