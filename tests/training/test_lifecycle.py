"""A course date's life cycle: planned → running → held → closed, or cancelled. Running and held
follow from the clock, closed and cancelled are stored; the model property and the queryset
annotation give the same answer, and the pages show it in German."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, StaffFactory, member
from training import exceptions
from training.models import CourseDate, CourseDateLifecycle, Registration, RegistrationStatus
from training.reports import fill_rates
from training.services.attendance import attendance_mark, attendance_record
from training.services.course_dates import course_date_cancel
from training.services.lifecycle import course_date_close
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db


def _date(*, starts_in: timedelta, hours: int = 3, **fields) -> CourseDate:
    start = timezone.now() + starts_in
    return CourseDateFactory(start=start, end=start + timedelta(hours=hours), **fields)


def planned() -> CourseDate:
    return _date(starts_in=timedelta(days=3))


def running() -> CourseDate:
    return _date(starts_in=-timedelta(hours=1))


def held() -> CourseDate:
    return _date(starts_in=-timedelta(days=2))


def _seat(course_date: CourseDate) -> Registration:
    person = member()
    return Registration.objects.create(
        course_date=course_date,
        participant=person,
        municipality=person.memberships.get().municipality,
        status=RegistrationStatus.CONFIRMED,
    )


def _fresh(course_date: CourseDate) -> CourseDate:
    return CourseDate.objects.get(pk=course_date.pk)


def _annotated(course_date: CourseDate) -> str:
    return CourseDate.objects.with_lifecycle().get(pk=course_date.pk).lifecycle


# --- the states, derived and stored ---------------------------------------------------------------


def test_a_future_date_is_planned():
    course_date = planned()
    assert course_date.lifecycle == _annotated(course_date) == CourseDateLifecycle.PLANNED


def test_between_start_and_end_a_date_is_running_without_any_job():
    course_date = running()
    assert course_date.lifecycle == _annotated(course_date) == CourseDateLifecycle.RUNNING


def test_after_its_end_a_date_is_held_without_any_job():
    course_date = held()
    assert course_date.lifecycle == _annotated(course_date) == CourseDateLifecycle.HELD


def test_recording_attendance_of_a_held_date_closes_it(lja):
    course_date = held()
    seat = _seat(course_date)
    attendance_record(course_date=course_date, by=lja, present=None)
    fresh = _fresh(course_date)
    assert fresh.closed_at is not None
    assert fresh.lifecycle == _annotated(course_date) == CourseDateLifecycle.CLOSED
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.ATTENDED


def test_recording_attendance_of_a_held_date_nobody_attended_closes_it_too(lja):
    course_date = held()
    _seat(course_date)
    attendance_record(course_date=course_date, by=lja, present=set())
    assert _fresh(course_date).lifecycle == CourseDateLifecycle.CLOSED


def test_attendance_recorded_while_running_does_not_close_the_date(lja):
    course_date = running()
    _seat(course_date)
    attendance_record(course_date=course_date, by=lja, present=None)
    assert _fresh(course_date).closed_at is None
    assert _fresh(course_date).lifecycle == CourseDateLifecycle.RUNNING


def test_closing_twice_keeps_the_first_closing_time(lja):
    course_date = held()
    course_date_close(course_date=course_date, by=lja)
    first = _fresh(course_date).closed_at
    course_date_close(course_date=course_date, by=lja)
    assert _fresh(course_date).closed_at == first


def test_a_planned_date_can_be_cancelled(lja):
    course_date = planned()
    course_date_cancel(course_date=course_date, by=lja)
    assert _fresh(course_date).lifecycle == _annotated(course_date) == "cancelled"


def test_a_cancelled_date_stays_cancelled_after_its_end(lja):
    course_date = planned()
    course_date_cancel(course_date=course_date, by=lja)
    CourseDate.objects.filter(pk=course_date.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=1)
    )
    assert _fresh(course_date).lifecycle == _annotated(course_date) == "cancelled"


# --- what is forbidden ----------------------------------------------------------------------------


def test_a_cancelled_date_cannot_be_closed(lja):
    course_date = planned()
    course_date_cancel(course_date=course_date, by=lja)
    CourseDate.objects.filter(pk=course_date.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(exceptions.CourseDateCancelled):
        course_date_close(course_date=_fresh(course_date), by=lja)
    assert _fresh(course_date).closed_at is None


@pytest.mark.parametrize("make", [planned, running], ids=["planned", "running"])
def test_a_date_that_has_not_ended_cannot_be_closed(make, lja):
    course_date = make()
    with pytest.raises(exceptions.CourseDateNotHeld):
        course_date_close(course_date=course_date, by=lja)
    assert _fresh(course_date).closed_at is None


def test_only_staff_close_a_date():
    course_date = held()
    with pytest.raises(exceptions.NotAllowed):
        course_date_close(course_date=course_date, by=member())
    assert _fresh(course_date).closed_at is None


def test_attendance_cannot_be_recorded_before_the_start(lja):
    course_date = planned()
    seat = _seat(course_date)
    with pytest.raises(exceptions.AttendanceTooEarly):
        attendance_record(course_date=course_date, by=lja, present=None)
    with pytest.raises(exceptions.AttendanceTooEarly):
        attendance_mark(registration=seat, by=lja, attended=True)
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.CONFIRMED
    assert _fresh(course_date).lifecycle == CourseDateLifecycle.PLANNED


def test_attendance_cannot_be_recorded_for_a_cancelled_date(lja):
    course_date = planned()
    course_date_cancel(course_date=course_date, by=lja)
    CourseDate.objects.filter(pk=course_date.pk).update(
        start=timezone.now() - timedelta(days=2), end=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(exceptions.CourseDateCancelled):
        attendance_record(course_date=_fresh(course_date), by=lja, present=set())
    assert _fresh(course_date).closed_at is None


def test_registration_is_refused_once_the_date_is_running_whatever_the_window_says():
    # Staff left the registration open past the start: running still refuses.
    course_date = running()
    course_date.registration_closes = course_date.end
    course_date.save()
    person = member()
    with pytest.raises(exceptions.RegistrationClosed):
        registration_create(course_date=course_date, participant=person, by=person)
    assert not Registration.objects.filter(course_date=course_date).exists()


@pytest.mark.parametrize("make", [running, held], ids=["running", "held"])
def test_a_date_that_has_begun_cannot_be_cancelled(make, lja):
    course_date = make()
    seat = _seat(course_date)
    with pytest.raises(exceptions.CourseDateAlreadyBegun):
        course_date_cancel(course_date=course_date, by=lja)
    assert _fresh(course_date).status == "planned"
    seat.refresh_from_db()
    assert seat.status == RegistrationStatus.CONFIRMED


def test_the_cancel_button_refuses_a_held_date_with_a_german_message(staff_client):
    course_date = held()
    response = staff_client.post(
        reverse("training:staff_date_cancel", args=[course_date.pk]),
        {"confirm": "yes"},
        follow=True,
    )
    assert "bereits begonnen" in response.content.decode()
    assert _fresh(course_date).status == "planned"


# --- one rule, two readings ---------------------------------------------------------------------


def test_property_and_annotation_agree_for_every_state_in_one_query(lja, django_assert_num_queries):
    dates = {"planned": planned(), "running": running(), "held": held()}
    dates["closed"] = held()
    course_date_close(course_date=dates["closed"], by=lja)
    dates["cancelled"] = planned()
    course_date_cancel(course_date=dates["cancelled"], by=lja)
    with django_assert_num_queries(1):
        annotated = {d.pk: d.lifecycle for d in CourseDate.objects.with_lifecycle()}
    for state, course_date in dates.items():
        assert _fresh(course_date).lifecycle == state
        assert annotated[course_date.pk] == state
    assert {state.value for state in CourseDateLifecycle} == set(dates)


# --- what people see ------------------------------------------------------------------------------


def test_the_public_catalogue_shows_the_status_in_german(client):
    course_date = running()
    cancelled = planned()
    course_date_cancel(course_date=cancelled, by=StaffFactory())
    html = client.get(reverse("training:date_list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "läuft" in html
    assert "abgesagt" in html
    detail = client.get(course_date.get_absolute_url()).content.decode()
    assert "Status: läuft" in detail


def test_the_labels_are_german_first_and_english_second():
    from django.utils import translation

    with translation.override("de"):
        german = [str(state.label) for state in CourseDateLifecycle]
    with translation.override("en"):
        english = [str(state.label) for state in CourseDateLifecycle]
    assert german == ["geplant", "läuft", "durchgeführt", "abgeschlossen", "abgesagt"]
    assert english == ["planned", "running", "held", "closed", "cancelled"]


def test_the_fill_rate_report_shows_the_life_cycle(lja):
    course_date = held()
    course_date_close(course_date=course_date, by=lja)
    from django.utils import translation

    with translation.override("de"):
        report = fill_rates(year=None)
    assert report.rows[-1][-1] == "abgeschlossen"


def test_the_participant_page_shows_the_status_and_offers_no_cancel_once_begun(staff_client):
    course_date = held()
    html = staff_client.get(
        reverse("training:staff_participants", args=[course_date.pk])
    ).content.decode()
    assert "Status: durchgeführt" in html
    assert reverse("training:staff_date_cancel", args=[course_date.pk]) not in html
