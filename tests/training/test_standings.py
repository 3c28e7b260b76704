"""waiting_standings(): the one rule of what a waiting person is told about their place."""

from datetime import datetime, timedelta

from training.models import RegistrationStatus
from training.selectors import Standing, waiting_standings

SEAT, WAIT = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING
T = datetime(2026, 11, 30, 9, 0)


def test_the_queue_is_served_by_priority_then_creation_then_id():
    rows = [
        (5, 1, WAIT, 1000, T + timedelta(seconds=2)),
        (3, 2, WAIT, 1000, T),  # same moment as 4: the lower id first
        (4, 3, WAIT, 1000, T),
        (9, 4, WAIT, 0, T + timedelta(seconds=9)),  # moved to the front by staff
    ]
    standings = waiting_standings(rows, limit=None)
    assert [standings[pk].queue_position for pk in (9, 3, 4, 5)] == [1, 2, 3, 4]
    assert [standings[pk].position for pk in (9, 3, 4, 5)] == [1, 2, 3, 4]


def test_a_municipality_at_its_maximum_waits_blocked_and_is_not_counted_ahead():
    rows = [
        (1, 10, SEAT, 1000, T),
        (2, 20, SEAT, 1000, T),
        (3, 10, WAIT, 1000, T + timedelta(seconds=1)),  # 10 holds its one seat
        (4, None, WAIT, 1000, T + timedelta(seconds=2)),  # staff without a municipality
        (5, 30, WAIT, 1000, T + timedelta(seconds=3)),
    ]
    standings = waiting_standings(rows, limit=1)
    assert standings[3] == Standing(position=None, blocked=True, queue_position=1)
    assert standings[4] == Standing(position=1, blocked=False, queue_position=2)
    assert standings[5] == Standing(position=2, blocked=False, queue_position=3)
    assert set(standings) == {3, 4, 5}  # seats have no standing


def test_without_a_maximum_nobody_is_blocked():
    rows = [(1, 10, SEAT, 1000, T), (2, 10, WAIT, 1000, T), (3, 10, WAIT, 1000, T)]
    standings = waiting_standings(rows, limit=None)
    assert [(s.position, s.blocked) for s in standings.values()] == [(1, False), (2, False)]
