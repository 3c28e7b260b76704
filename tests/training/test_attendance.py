"""Attendance: everybody at once, person by person, day by day for a date over several days; bad
input (someone else's registration, a date that has not begun, a cancelled registration, a form
sent twice) answers in German and changes nothing. A person present on every day attended and
gets a certificate with its mail in the outbox."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from tests.factories import CourseDateFactory, MunicipalityFactory, member
from training import exceptions
from training.models import Attendance, Certificate, Registration
from training.selectors import (
    course_date_attendance_version,
    course_date_days,
    registration_valid_certificate,
)
from training.services.attendance import attendance_mark, attendance_record

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _past_date(*, days=1, hours=3, ago=timedelta(days=10), **kwargs):
    start = (timezone.now() - ago).astimezone(BERLIN).replace(hour=9, minute=0, second=0)
    end = start + timedelta(days=days - 1, hours=hours)
    return CourseDateFactory(start=start, end=end, **kwargs)


def _seat(course_date, name="Anna Arendt", status="confirmed"):
    town = MunicipalityFactory()
    return Registration.objects.create(
        course_date=course_date,
        participant=member(town, name=name),
        municipality=town,
        status=status,
    )


def _state(course_date):
    return (
        sorted(
            Attendance.objects.filter(registration__course_date=course_date).values_list(
                "registration_id", "day", "present"
            )
        ),
        sorted(course_date.registrations.values_list("pk", "status")),
        Certificate.objects.count(),
        OutgoingMail.objects.count(),
    )


def test_days_of_a_date_are_local_days():
    # 23:30 to 00:30 Berlin time crosses midnight: two days; an end at midnight adds none.
    start = datetime(2026, 3, 2, 23, 30, tzinfo=BERLIN)
    two = CourseDateFactory(start=start, end=start + timedelta(hours=1))
    assert [d.isoformat() for d in course_date_days(course_date=two)] == [
        "2026-03-02",
        "2026-03-03",
    ]
    start = datetime(2026, 3, 2, 18, 0, tzinfo=BERLIN)
    one = CourseDateFactory(start=start, end=datetime(2026, 3, 3, 0, 0, tzinfo=BERLIN))
    assert len(course_date_days(course_date=one)) == 1


def test_everybody_present_at_once_issues_certificates_and_mails(lja):
    course_date = _past_date()
    a, b = _seat(course_date, "Anna Arendt"), _seat(course_date, "Bert Brecht")
    result = attendance_record(course_date=course_date, by=lja, present=None)
    assert len(result.issued) == 2
    for registration in (a, b):
        registration.refresh_from_db()
        assert registration.status == "attended"
        certificate = registration_valid_certificate(registration=registration)
        assert certificate.issued_by == lja and certificate.course_date == course_date
        mail = OutgoingMail.objects.get(key=f"certificate-{certificate.number}")
        assert registration.participant.email in mail.recipients
        assert "Teilnahmebescheinigung" in mail.subject and certificate.number in mail.body


def test_multi_day_date_needs_every_day(lja):
    course_date = _past_date(days=3)
    days = course_date_days(course_date=course_date)
    assert len(days) == 3
    a = _seat(course_date)
    attendance_mark(registration=a, by=lja, attended=True, day=days[0])
    attendance_mark(registration=a, by=lja, attended=True, day=days[1])
    a.refresh_from_db()
    assert a.status == "confirmed" and not Certificate.objects.exists()
    assert Attendance.objects.filter(registration=a, present=True).count() == 2
    a = attendance_mark(registration=a, by=lja, attended=True, day=days[2])
    assert a.status == "attended" and registration_valid_certificate(registration=a)
    # Absent on one day after all: the certificate is revoked, the verification page says so.
    a = attendance_mark(registration=a, by=lja, attended=False, day=days[1])
    assert a.status == "confirmed" and registration_valid_certificate(registration=a) is None
    assert Certificate.objects.get().status == "revoked"


def test_person_by_person_leaves_the_others_alone(lja):
    course_date = _past_date()
    a, b = _seat(course_date), _seat(course_date, "Bert Brecht")
    attendance_record(course_date=course_date, by=lja, present=None)
    attendance_mark(registration=a, by=lja, attended=False)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("confirmed", "attended")


def test_a_running_multi_day_date_marks_only_days_begun(lja):
    start = (timezone.now() - timedelta(days=1)).astimezone(BERLIN).replace(hour=0, minute=1)
    course_date = CourseDateFactory(start=start, end=start + timedelta(days=2, hours=8))
    days = course_date_days(course_date=course_date)
    a = _seat(course_date)
    attendance_record(course_date=course_date, by=lja, present=None)
    a.refresh_from_db()
    assert a.status == "confirmed"  # the last day is still to come
    assert Attendance.objects.filter(registration=a).count() == 2
    before = _state(course_date)
    with pytest.raises(exceptions.AttendanceDayTooEarly):
        attendance_mark(registration=a, by=lja, attended=True, day=days[2])
    assert _state(course_date) == before


@pytest.mark.parametrize("case", ["other_date", "unknown", "cancelled", "waiting"])
def test_bad_registration_ids_change_nothing(lja, case):
    course_date = _past_date()
    a = _seat(course_date)
    day = course_date_days(course_date=course_date)[0]
    if case == "other_date":
        bad = _seat(_past_date()).pk
    elif case == "unknown":
        bad = 999_999
    else:
        bad = _seat(course_date, "Carla Cancel", status=case).pk
    before = _state(course_date)
    error = exceptions.NotThisDate if case in ("other_date", "unknown") else exceptions.NotLive
    with pytest.raises(error) as caught:
        attendance_record(course_date=course_date, by=lja, present={(a.pk, day), (bad, day)})
    assert "Nichts wurde geändert" in str(caught.value.message) or "storniert" in str(
        caught.value.message
    )
    assert _state(course_date) == before


def test_a_date_not_begun_and_a_foreign_day_are_refused(lja):
    future = CourseDateFactory()
    a = _seat(future)
    with pytest.raises(exceptions.AttendanceTooEarly):
        attendance_record(course_date=future, by=lja, present=None)
    course_date = _past_date()
    b = _seat(course_date)
    with pytest.raises(exceptions.NotADayOfTheDate):
        attendance_record(course_date=course_date, by=lja, present={(b.pk, timezone.localdate())})
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == "confirmed" and not Attendance.objects.exists()


def test_only_staff_record_attendance():
    course_date = _past_date()
    a = _seat(course_date)
    with pytest.raises(exceptions.NotAllowed):
        attendance_record(course_date=course_date, by=a.participant, present=None)


def test_the_page_marks_everybody_and_refuses_a_replayed_post(staff_client, lja):
    course_date = _past_date(days=2)
    a, b = _seat(course_date, "Anna Arendt"), _seat(course_date, "Bert Brecht")
    url = reverse("training:staff_participants", args=[course_date.pk])
    page = staff_client.get(url).content.decode()
    assert "Anna Arendt am" in page and "anwesend" in page  # a checkbox per person and day
    version = course_date_attendance_version(course_date=course_date)
    form = {"action": "all", "version": version}
    response = staff_client.post(url, form, follow=True)
    assert "2 Bescheinigungen ausgestellt" in response.content.decode()
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == "attended"
    before = _state(course_date)
    # The same POST again (a reload, a double click): a German message, nothing changes.
    response = staff_client.post(url, form, follow=True)
    assert "zweimal abgeschickt" in response.content.decode()
    assert _state(course_date) == before
    # Person by person: untick Bert's second day.
    days = [d.isoformat() for d in course_date_days(course_date=course_date)]
    version = course_date_attendance_version(course_date=course_date)
    present = [f"{a.pk}:{days[0]}", f"{a.pk}:{days[1]}", f"{b.pk}:{days[0]}"]
    response = staff_client.post(
        url, {"action": "save", "version": version, "present": present}, follow=True
    )
    assert "1 widerrufen" in response.content.decode()
    b.refresh_from_db()
    assert b.status == "confirmed"
    assert Attendance.objects.get(registration=b, day=days[1]).present is False


def test_participant_page_query_count_is_constant(staff_client, lja, django_assert_max_num_queries):
    course_date = _past_date(days=2)
    url = reverse("training:staff_participants", args=[course_date.pk])
    _seat(course_date)
    attendance_record(course_date=course_date, by=lja, present=None)
    with django_assert_max_num_queries(11) as few:
        assert staff_client.get(url).status_code == 200
    for number in range(6):
        _seat(course_date, f"Person {number}")
    attendance_record(course_date=course_date, by=lja, present=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(url).status_code == 200
