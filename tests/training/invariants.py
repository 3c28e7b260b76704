"""The waiting-list invariants every test of concurrent writes checks."""

from collections import Counter

from training.models import SEAT_STATUSES, CourseDate, Registration, RegistrationStatus
from training.selectors import waiting_queue, with_standings


def assert_invariants(course_date: CourseDate) -> None:
    course_date.refresh_from_db()
    seats = list(Registration.objects.filter(course_date=course_date, status__in=SEAT_STATUSES))
    per_municipality = Counter(r.municipality_id for r in seats)
    # Never more seats than the capacity, nor more per municipality than its maximum.
    assert len(seats) <= course_date.capacity
    if course_date.max_per_municipality:
        assert max(per_municipality.values(), default=0) <= course_date.max_per_municipality
    # Never a free seat while someone on the waiting list fits.
    if len(seats) < course_date.capacity:
        for waiting in waiting_queue(course_date=course_date):
            limit = course_date.max_per_municipality
            fits = limit is None or per_municipality[waiting.municipality_id] < limit
            assert not fits, f"free seat while {waiting} waits and fits"
    # Queue positions are 1..n without gaps; the positions people see are 1..k without gaps
    # among those who can be promoted, and None exactly for those whose municipality holds its
    # maximum.
    rows = [
        (r.queue_position, r.waiting_position, r.waiting_blocked, r.municipality_id)
        for r in with_standings(
            Registration.objects.filter(course_date=course_date, status=RegistrationStatus.WAITING)
        )
    ]
    assert sorted(row[0] for row in rows) == list(range(1, len(rows) + 1))
    shown = sorted(row[1] for row in rows if row[1] is not None)
    assert shown == list(range(1, len(shown) + 1))
    limit = course_date.max_per_municipality
    for _queue, position, blocked, municipality_id in rows:
        full = limit is not None and municipality_id is not None
        full = full and per_municipality[municipality_id] >= limit
        assert blocked == full and (position is None) == full
