"""Concurrent registrations and cancellations on PostgreSQL, with real threads and connections.

On SQLite select_for_update does nothing, so these run on PostgreSQL only.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.factories import CourseDateFactory, MunicipalityFactory, member
from tests.training.invariants import assert_invariants
from training.exceptions import PromotedMeanwhile, TryAgain
from training.models import CourseDate, Registration, RegistrationStatus
from training.selectors import with_standings
from training.services.registration import registration_cancel, registration_create
from training.services.waiting_list import registration_leave_waiting_list

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_at_once(tasks):
    """Run the callables in parallel threads, released together by a barrier; each thread uses
    its own database connection and closes it."""
    barrier = threading.Barrier(len(tasks))
    errors = []

    def run(task):
        try:
            barrier.wait(timeout=30)
            return task()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        results = list(pool.map(run, tasks))
    assert not errors, errors
    return results


def _register(course_date, person):
    return lambda: registration_create(course_date=course_date, participant=person, by=person)


def _cancel(registration, person):
    return lambda: registration_cancel(registration=registration, by=person)


def _people(count, municipalities):
    people = [member(municipalities[i % len(municipalities)]) for i in range(count)]
    # Warm the per-object membership cache in this thread.
    from network.selectors.memberships import user_membership

    for person in people:
        user_membership(user=person)
    return people


def test_fifty_at_once_for_ten_seats():
    course_date = CourseDateFactory(capacity=10)
    municipalities = [MunicipalityFactory() for _ in range(5)]
    people = _people(50, municipalities)

    _run_at_once([_register(course_date, p) for p in people])

    statuses = list(
        Registration.objects.filter(course_date=course_date).values_list("status", flat=True)
    )
    assert statuses.count(RegistrationStatus.CONFIRMED) == 10
    assert statuses.count(RegistrationStatus.WAITING) == 40
    positions = sorted(
        r.waiting_position
        for r in with_standings(
            Registration.objects.filter(course_date=course_date, status="waiting")
        )
    )
    assert positions == list(range(1, 41))
    assert_invariants(course_date)


def test_interleaved_cancellations_and_registrations():
    course_date = CourseDateFactory(capacity=8)
    municipalities = [MunicipalityFactory() for _ in range(4)]
    early = _people(20, municipalities)
    for person in early:
        registration_create(course_date=course_date, participant=person, by=person)
    confirmed = list(Registration.objects.filter(course_date=course_date, status="confirmed"))
    waiting = list(Registration.objects.filter(course_date=course_date, status="waiting"))
    late = _people(20, municipalities)

    tasks = [_cancel(r, r.participant) for r in confirmed[:6]]
    tasks += [_cancel(r, r.participant) for r in waiting[:4]]
    tasks += [_register(course_date, p) for p in late]
    random.Random(7).shuffle(tasks)
    _run_at_once(tasks)

    assert Registration.objects.filter(course_date=course_date, status="confirmed").count() == 8
    assert_invariants(course_date)
    # Nobody who cancelled holds a seat again.
    cancelled_ids = [r.pk for r in confirmed[:6] + waiting[:4]]
    assert set(
        Registration.objects.filter(pk__in=cancelled_ids).values_list("status", flat=True)
    ) == {RegistrationStatus.CANCELLED}


def test_per_municipality_maximum_under_concurrency():
    course_date = CourseDateFactory(capacity=10, max_per_municipality=2)
    municipalities = [MunicipalityFactory() for _ in range(6)]
    people = _people(30, municipalities)

    _run_at_once([_register(course_date, p) for p in people])

    assert Registration.objects.filter(course_date=course_date, status="confirmed").count() == 10
    assert_invariants(course_date)

    # Now cancel seats of two municipalities while more people of all of them register.
    seats = list(
        Registration.objects.filter(
            course_date=course_date,
            status="confirmed",
            municipality__in=municipalities[:2],
        )
    )
    late = _people(12, municipalities)
    tasks = [_cancel(r, r.participant) for r in seats] + [_register(course_date, p) for p in late]
    random.Random(3).shuffle(tasks)
    _run_at_once(tasks)
    assert_invariants(course_date)
    assert Registration.objects.filter(course_date=course_date, status="confirmed").count() == 10


def test_a_lock_not_had_within_the_timeout_changes_nothing(settings):
    settings.TRAINING_LOCK_TIMEOUT_MS = 300
    course_date = CourseDateFactory(capacity=10)
    person = member()
    holding = threading.Event()
    release = threading.Event()

    def hold_lock():
        from django.db import transaction

        try:
            with transaction.atomic():
                CourseDate.objects.select_for_update().get(pk=course_date.pk)
                holding.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert holding.wait(timeout=10)
        with pytest.raises(TryAgain) as caught:
            registration_create(course_date=course_date, participant=person, by=person)
        assert (
            "erneut versuchen" in str(caught.value).lower()
            or "try again" in str(caught.value).lower()
        )
    finally:
        release.set()
        holder.join()
    assert not Registration.objects.filter(course_date=course_date).exists()
    # The connection is usable again afterwards.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    registration_create(course_date=course_date, participant=person, by=person)
    assert Registration.objects.filter(course_date=course_date, status="confirmed").count() == 1


def test_leaving_the_waiting_list_after_a_promotion_keeps_the_seat(
    django_capture_on_commit_callbacks,
):
    """The person clicked "Warteliste verlassen" on a page that still showed her waiting; the
    service runs after the promotion and decides on the row as it is under the lock."""
    course_date = CourseDateFactory(capacity=1)
    holder, person = _people(2, [MunicipalityFactory()])
    seat = registration_create(course_date=course_date, participant=holder, by=holder)
    waiting = registration_create(course_date=course_date, participant=person, by=person)
    assert waiting.status == RegistrationStatus.WAITING
    stale = Registration.objects.get(pk=waiting.pk)  # what the page was built from

    _run_at_once([_cancel(seat, holder)])  # promoted in another connection and committed
    with (
        pytest.raises(PromotedMeanwhile) as caught,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        registration_leave_waiting_list(registration=stale, by=person)
    assert "bleibt erhalten" in str(caught.value)
    assert not callbacks  # no "cancelled" mail
    stale.refresh_from_db()
    assert stale.status == RegistrationStatus.CONFIRMED
    assert_invariants(course_date)


def test_leaving_while_being_promoted_never_cancels_a_seat():
    """Leave and promotion at the same moment, many times: whoever gets the lock first decides,
    and a seat is never given up by "leaving the waiting list"."""
    for _round in range(5):
        course_date = CourseDateFactory(capacity=1)
        holder, person = _people(2, [MunicipalityFactory()])
        seat = registration_create(course_date=course_date, participant=holder, by=holder)
        waiting = registration_create(course_date=course_date, participant=person, by=person)
        outcome = []

        def leave(waiting=waiting, person=person, outcome=outcome):
            try:
                registration_leave_waiting_list(registration=waiting, by=person)
                outcome.append("left")
            except PromotedMeanwhile:
                outcome.append("kept")

        _run_at_once([_cancel(seat, holder), leave])
        waiting.refresh_from_db()
        expected = {"left": RegistrationStatus.CANCELLED, "kept": RegistrationStatus.CONFIRMED}
        assert waiting.status == expected[outcome[0]]
        assert_invariants(course_date)


def test_no_registration_runs_in_the_database():
    """Every registration takes the one Python path under the date's lock: the PL/pgSQL
    training_register() of migration 0004 is dropped (migration 0006)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'training_register'")
        assert cursor.fetchone() == (0,)
