"""The waiting-list invariants every test of concurrent writes checks."""

from collections import Counter

from training.models import SEAT_STATUSES, CourseDate, Registration, RegistrationStatus
from training.selectors import waiting_queue, with_waiting_position


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
    # Waiting positions are 1..n without gaps.
    positions = sorted(
        with_waiting_position(
            Registration.objects.filter(course_date=course_date, status=RegistrationStatus.WAITING)
        ).values_list("waiting_position", flat=True)
    )
    assert positions == list(range(1, len(positions) + 1))
