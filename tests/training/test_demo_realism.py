"""The demo's course dates follow the Landesjugendämter's practice (training/demo.py's rules):
weekdays, in-person days 09:30–16:30 of 6 hours, online units 09:00–12:00 of 3 hours, hours that
add up to the course's, texts naming their own year, past runs with attendance; and loading it
twice changes nothing."""

import itertools
import os
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from network.models import Municipality
from training import demo
from training.models import Course, CourseDate, Registration, RegistrationStatus
from training.reports import module_matrix, participation_by_module, report_years

pytestmark = pytest.mark.django_db


def _load():
    call_command("load_demo", password="demo-pass", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_rule_for_hours():
    tz = timezone.get_current_timezone()
    day = timezone.datetime(2026, 3, 3, tzinfo=tz)
    at = lambda d, h, m=0: day.replace(hour=h, minute=m) + timedelta(days=d)  # noqa: E731
    assert demo.date_hours(at(0, 9, 30), at(0, 16, 30)) == Decimal("6.0")  # lunch break
    assert demo.date_hours(at(0, 9), at(0, 12)) == Decimal("3.0")  # no break
    assert demo.date_hours(at(0, 10), at(0, 16)) == Decimal("5.0")  # Lernnetzwerktreffen
    assert demo.date_hours(at(0, 10), at(0, 15)) == Decimal("5.0")  # five hours: no break
    assert demo.date_hours(at(0, 9, 30), at(1, 16, 30)) == Decimal("12.0")  # two days


def test_the_demo_dates_are_realistic_and_loading_twice_changes_nothing():
    _load()
    dates = list(CourseDate.objects.select_related("course").order_by("course_id", "start"))
    assert len(dates) >= 40
    runs = defaultdict(list)
    for course_date in dates:
        start, end = timezone.localtime(course_date.start), timezone.localtime(course_date.end)
        label = f"{course_date.course.title} {start:%d.%m.%Y}"
        assert start.weekday() < 5 and end.weekday() < 5, label
        assert (start.time(), end.time()) in {
            (demo.IN_PERSON_DAY[0], demo.IN_PERSON_DAY[1]),
            (demo.ONLINE_UNIT[0], demo.ONLINE_UNIT[1]),
            (
                timezone.datetime.min.time().replace(hour=10),
                timezone.datetime.min.time().replace(hour=16),
            ),
            (
                timezone.datetime.min.time().replace(hour=10),
                timezone.datetime.min.time().replace(hour=12),
            ),
        }, label
        assert course_date.hours == demo.date_hours(course_date.start, course_date.end), label
        online = not course_date.venue_name
        if online:
            assert course_date.online_url, label
        assert str(start.year) in course_date.information, label
        assert not (start.month == 12 and start.day >= 20), label
        # A run: the course's dates starting within four weeks of the run's first.
        course_runs = runs[course_date.course_id]
        if not course_runs or course_date.start - course_runs[-1][0].start > timedelta(days=28):
            course_runs.append([])
        course_runs[-1].append(course_date)
    courses = {course.pk: course for course in Course.objects.all()}
    for course_id, course_runs in runs.items():
        assert len(course_runs) == 4, courses[course_id].title
        for run in course_runs:
            total = sum(course_date.hours for course_date in run)
            assert total == courses[course_id].hours, (courses[course_id].title, total)
    # The online module is a series of three 3-hour dates a week apart.
    online = Course.objects.get(format="online", kind="fortbildungsmodul")
    first_run = runs[online.pk][0]
    assert [d.hours for d in first_run] == [3, 3, 3]
    assert [(b.start - a.start).days for a, b in itertools.pairwise(first_run)] == [7, 7]

    # Past dates have their attendance recorded, from several municipalities.
    now = timezone.now()
    for course_date in dates:
        if course_date.end < now:
            seats = course_date.registrations.filter(
                status__in=[RegistrationStatus.ATTENDED, RegistrationStatus.CONFIRMED]
            )
            assert seats.count() >= 5, course_date
            assert not seats.filter(attendance_marked_at__isnull=True).exists(), course_date
    assert (
        Registration.objects.filter(status="attended").values("municipality").distinct().count()
        >= 9
    )
    # So every report has something to show.
    assert len(report_years()) >= 2
    assert all(row[4] > 0 for row in participation_by_module(year=now.year - 1).rows)
    matrix = module_matrix(municipalities=Municipality.objects.filter(slug="essen"))
    assert matrix.rows and any(cell == "done" for row in matrix.rows for cell in row.cells)
    assert Municipality.objects.filter(is_demo=True).count() == Municipality.objects.count() >= 60

    counts = (CourseDate.objects.count(), Registration.objects.count())
    _load()
    assert (CourseDate.objects.count(), Registration.objects.count()) == counts
