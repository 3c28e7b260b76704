"""The back office's query counts, pinned and constant in the number of dates, registrations,
certificates and answers: each test measures a page, doubles (and more) what it shows, and
measures again. Wagtail's look-up of the Site is left out: its cache answers or not depending on
the time passed, not on the rows."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.test_results import answers
from tests.factories import CourseFactory, MunicipalityFactory, StaffFactory, coordinator, member
from training.models import Registration, RegistrationStatus, Trainer
from training.reports import REPORTS
from training.services.attendance import attendance_record
from training.services.lifecycle import course_date_close

pytestmark = pytest.mark.django_db

HOME = "/fortbildung/verwaltung/"


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    return len([q for q in queries.captured_queries if "wagtailcore_site" not in q["sql"]])


def _date(course, *, days_ago: int, hours: int = 3, capacity: int = 10):
    from tests.factories import CourseDateFactory

    start = timezone.now() - timedelta(days=days_ago)
    return CourseDateFactory(
        course=course, start=start, end=start + timedelta(hours=hours), capacity=capacity
    )


def _grow(course, staff, n: int) -> list:
    """n dates of every kind the start page shows: upcoming with a waiting list, held (attendance
    to record), closed with certificates and three answers, closed with an attendee lacking
    a certificate."""
    made = []
    for index in range(n):
        town = MunicipalityFactory()
        upcoming = _date(course, days_ago=-(10 + index), capacity=1)
        for status in ("confirmed", "waiting", "waiting"):
            Registration.objects.create(
                course_date=upcoming, participant=member(town), municipality=town, status=status
            )
        held = _date(course, days_ago=2 + index)
        Registration.objects.create(
            course_date=held, participant=member(town), municipality=town, status="confirmed"
        )
        closed = _date(course, days_ago=40 + index)
        for _ in range(3):
            Registration.objects.create(
                course_date=closed, participant=member(town), municipality=town, status="confirmed"
            )
        attendance_record(course_date=closed, by=staff, present=None)
        answers(closed, [5, 4, 3], helpful="hilfreich")
        lacking = _date(course, days_ago=70 + index)
        Registration.objects.create(
            course_date=lacking,
            participant=member(town),
            municipality=town,
            status=RegistrationStatus.ATTENDED,
        )
        course_date_close(course_date=lacking, by=None)
        coordinator(town)
        made.append(closed)
    return made


@pytest.fixture
def lvr(db):
    return StaffFactory()


@pytest.fixture
def course(db):
    return CourseFactory(provider="LVR", title="Frühe Hilfen im Rheinland")


def test_the_start_page_with_every_task_is_constant_and_pinned(
    client, lvr, course, django_assert_max_num_queries
):
    _grow(course, lvr, 2)
    client.force_login(lvr)
    params = {"period": "all"}
    _count(client, HOME, params)
    few = _count(client, HOME, params)
    html = client.get(HOME, params).content.decode()
    for task in ("attendance", "certificates", "evaluation"):
        assert f'data-task="{task}"' in html, task
    _grow(course, lvr, 4)
    assert _count(client, HOME, params) == few
    # The other provider's rows (no tasks, no link) cost nothing more either.
    _grow(CourseFactory(provider="LWL"), StaffFactory(landesjugendamt="LWL"), 2)
    assert _count(client, HOME, {"period": "all", "provider": "all"}) == few
    # Measured 12; one more for Wagtail's Site look-up when its cache has expired.
    with django_assert_max_num_queries(13):
        client.get(HOME, params)


def test_the_participant_page_and_its_files_are_constant_and_pinned(
    client, lvr, course, django_assert_max_num_queries
):
    held = _date(course, days_ago=2, capacity=4)

    def fill(n):
        for _ in range(n):
            town = MunicipalityFactory()
            for status in ("confirmed", "waiting"):
                Registration.objects.create(
                    course_date=held, participant=member(town), municipality=town, status=status
                )

    fill(2)
    attendance_record(course_date=held, by=lvr, present=None)
    client.force_login(lvr)
    urls = [
        reverse("training:staff_participants", args=[held.pk]),
        reverse("training:staff_participants_export", args=[held.pk, "csv"]),
        reverse("training:staff_participants_export", args=[held.pk, "xlsx"]),
        reverse("training:staff_signature_list", args=[held.pk]),
    ]
    _count(client, urls[0])
    few = [_count(client, url) for url in urls]
    held.capacity = 20
    held.save()
    fill(8)
    attendance_record(course_date=held, by=lvr, present=None)
    assert [_count(client, url) for url in urls] == few
    with django_assert_max_num_queries(15):  # measured 14
        client.get(urls[0])
    for url in urls[1:]:
        with django_assert_max_num_queries(10):  # measured 9 (exports), 10 (signature list)
            client.get(url)


def test_every_report_page_and_export_is_constant_and_pinned(
    client, lvr, course, django_assert_max_num_queries
):
    _grow(course, lvr, 1)
    client.force_login(lvr)
    year = timezone.localdate().year
    pages = [(reverse("training:staff_reports"), None)]
    for key in REPORTS:
        for fmt in ("csv", "xlsx"):
            pages.append((reverse("training:staff_report_export", args=[key, fmt]), None))
    pages.append((reverse("training:staff_report_export", args=["module", "xlsx"]), {"jahr": year}))
    pages.append((reverse("training:staff_reports"), {"kurs": course.pk}))
    pages.append((reverse("training:staff_matrix"), None))
    pages.append((reverse("training:staff_matrix_xlsx"), None))
    _count(client, pages[0][0])
    few = [_count(client, url, params) for url, params in pages]
    _grow(course, lvr, 3)
    _grow(CourseFactory(provider="LVR", title="Kita als Ort der Prävention"), lvr, 1)
    assert [_count(client, url, params) for url, params in pages] == few
    for url, params in pages:
        # Measured: the page 12 (13 for one course), exports 6, the matrix 9 (its XLSX 8).
        limit = 14 if url == reverse("training:staff_reports") else 10
        with django_assert_max_num_queries(limit):
            client.get(url, params or {})


def test_the_evaluation_results_are_constant_and_pinned_for_staff_and_trainers(
    client, lvr, course, django_assert_max_num_queries
):
    closed = _grow(course, lvr, 1)
    trainer = member()
    entry = Trainer.objects.create(name="Rita Referentin", user=trainer)
    closed[0].trainers.add(entry)
    granted = StaffFactory(landesjugendamt="LWL")
    granted.user_permissions.add(Permission.objects.get(codename="edit_other_provider_dates"))
    date_url = reverse("evaluation:date_results", args=[closed[0].pk])
    pages = {
        lvr: [
            (date_url, None),
            (reverse("evaluation:date_results_xlsx", args=[closed[0].pk]), None),
            (reverse("evaluation:index"), None),
            (reverse("evaluation:index"), {"kurs": course.pk, "anbieter": "LVR"}),
            (reverse("evaluation:index_xlsx"), None),
        ],
        granted: [(reverse("evaluation:index"), None), (reverse("evaluation:index_xlsx"), None)],
        trainer: [(date_url, None), (reverse("evaluation:index"), None)],
    }
    few = {}
    for person, urls in pages.items():
        client.force_login(person)
        _count(client, urls[0][0], urls[0][1])
        few[person] = [_count(client, url, params) for url, params in urls]
    for made in _grow(course, lvr, 3):
        made.trainers.add(entry)
        answers(made, [2, 2, 1, 5], helpful="mehr Pausen")
    _grow(CourseFactory(provider="LWL"), StaffFactory(landesjugendamt="LWL"), 1)
    for person, urls in pages.items():
        client.force_login(person)
        _count(client, urls[0][0], urls[0][1])
        assert [_count(client, url, params) for url, params in urls] == few[person], person
        for url, params in urls:
            with django_assert_max_num_queries(15):  # measured 10 to 14
                client.get(url, params or {})
