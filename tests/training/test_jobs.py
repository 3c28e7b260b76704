"""Scheduled jobs (reminders, note retention), privacy, certificates, calendar, admin."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from tests.factories import CourseDateFactory, member
from training.calendar import course_date_ical, feed_ical
from training.models import CalendarFeed, Registration
from training.selectors import registration_valid_certificate
from training.services.calendar_feed import calendar_feed_renew
from training.services.registration import registration_create

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def test_send_reminders_two_days_before_and_only_once(django_capture_on_commit_callbacks):
    soon = CourseDateFactory(start=timezone.now() + timedelta(hours=40))
    later = CourseDateFactory(start=timezone.now() + timedelta(days=5))
    person, other = member(), member()
    registration_create(course_date=soon, participant=person, by=person)
    registration_create(course_date=later, participant=other, by=other)
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "1 reminder" in out.getvalue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email] and "Erinnerung" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_no_reminder_for_waiting_or_cancelled(django_capture_on_commit_callbacks):
    soon = CourseDateFactory(start=timezone.now() + timedelta(hours=30), capacity=1)
    seat, waiting = member(), member()
    registration = registration_create(course_date=soon, participant=seat, by=seat)
    registration_create(course_date=soon, participant=waiting, by=waiting)
    registration.status = "cancelled"
    registration.save()
    Registration.objects.filter(participant=waiting).update(status="waiting")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
    assert mail.outbox == []


def test_purge_registration_notes_after_thirty_days():
    old_start = timezone.now() - timedelta(days=32)
    old = CourseDateFactory(start=old_start, end=old_start + timedelta(hours=3))
    recent_start = timezone.now() - timedelta(days=10)
    recent = CourseDateFactory(start=recent_start, end=recent_start + timedelta(hours=3))
    a = Registration.objects.create(
        course_date=old, participant=member(), status="attended", notes="Rollstuhl"
    )
    b = Registration.objects.create(
        course_date=recent, participant=member(), status="attended", notes="vegan"
    )
    out = StringIO()
    call_command("purge_registration_notes", stdout=out)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.notes == "" and b.notes == "vegan"
    assert "1 registration" in out.getvalue()


def test_privacy_export_and_erase(django_capture_on_commit_callbacks):
    from training import privacy

    course_date = CourseDateFactory(capacity=1)
    person, waiting = member(), member()
    registration_create(course_date=course_date, participant=person, by=person, notes="Hinweis")
    registration_create(course_date=course_date, participant=waiting, by=waiting)
    calendar_feed_renew(user=person)
    data = privacy.export(person)
    assert data["training_registrations"][0]["notes"] == "Hinweis"
    assert data["training_calendar_feed"]
    assert privacy.RETENTION
    privacy.erase(person)
    assert not Registration.objects.filter(participant=person).exists()
    assert not CalendarFeed.objects.filter(user=person).exists()
    # The freed seat went to the next in line.
    assert Registration.objects.get(participant=waiting).status == "confirmed"


def test_privacy_module_is_registered(settings):
    assert "training.privacy" in settings.PRIVACY_MODULES


def test_certificate_pdf_has_umlauts_and_number(lja):
    from training.certificates import certificate_pdf_bytes
    from training.services.attendance import attendance_mark

    start = timezone.now() - timedelta(days=1)
    course_date = CourseDateFactory(start=start, end=start + timedelta(hours=3))
    registration = Registration.objects.create(
        course_date=course_date, participant=member(name="Özlem Müller"), status="confirmed"
    )
    registration = attendance_mark(registration=registration, by=lja, attended=True)
    certificate = registration_valid_certificate(registration=registration)
    assert certificate.number.startswith(f"KS-{start.year}-")
    pdf = certificate_pdf_bytes(certificate=certificate)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_attendance_not_before_the_start(course_date, lja):
    from training.exceptions import AttendanceTooEarly
    from training.services.attendance import attendance_mark

    person = member()
    registration = registration_create(course_date=course_date, participant=person, by=person)
    with pytest.raises(AttendanceTooEarly):
        attendance_mark(registration=registration, by=lja, attended=True)


def test_attendance_only_by_staff(lja):
    from training.exceptions import NotAllowed
    from training.services.attendance import attendance_mark

    # Ended an hour ago, so every (local) day it ran on has begun, at any time of day.
    start = timezone.now() - timedelta(hours=4)
    course_date = CourseDateFactory(start=start, end=start + timedelta(hours=3))
    registration = Registration.objects.create(
        course_date=course_date, participant=member(), status="confirmed"
    )
    with pytest.raises(NotAllowed):
        attendance_mark(registration=registration, by=registration.participant, attended=True)
    # Taking the mark back withdraws the certificate number.
    marked = attendance_mark(registration=registration, by=lja, attended=True)
    assert registration_valid_certificate(registration=marked)
    unmarked = attendance_mark(registration=registration, by=lja, attended=False)
    assert unmarked.status == "confirmed"
    assert registration_valid_certificate(registration=unmarked) is None


def test_ics_file_of_a_date(course_date):
    calendar = Calendar.from_ical(course_date_ical(course_date=course_date, with_online_url=False))
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == course_date.course.title
    assert event["dtstart"].dt == course_date.start.replace(microsecond=0)


def _date_in_berlin(day: tuple[int, int, int], start: tuple[int, int], end: tuple[int, int]):
    """A course date at local times in Münster, read back as a page or a mail reads it: from the
    database, in UTC."""
    course_date = CourseDateFactory(
        start=datetime(*day, *start, tzinfo=BERLIN), end=datetime(*day, *end, tzinfo=BERLIN)
    )
    course_date.refresh_from_db()
    return course_date


def test_ics_times_are_local_to_the_course_with_the_zone_defined():
    """09:00 in Münster is written as 09:00 Europe/Berlin (not 07:00Z in summer, 08:00Z in
    winter), in the single file and in the feed, each with the zone's definition."""
    summer = _date_in_berlin((2027, 7, 1), (9, 0), (16, 0))
    winter = _date_in_berlin((2027, 1, 12), (9, 30), (15, 0))
    single = course_date_ical(course_date=summer, with_online_url=False).decode()
    assert "DTSTART;TZID=Europe/Berlin:20270701T090000" in single
    assert "DTEND;TZID=Europe/Berlin:20270701T160000" in single
    assert "BEGIN:VTIMEZONE" in single and "TZID:Europe/Berlin" in single
    feed = feed_ical(course_dates=[summer, winter]).decode()
    assert "DTSTART;TZID=Europe/Berlin:20270112T093000" in feed
    assert feed.count("BEGIN:VTIMEZONE") == 1
    assert "Z\r\n" not in repr(feed.split("BEGIN:VEVENT")[1].split("DTSTAMP")[0])


def test_ics_zone_definition_covers_the_dates_years_and_no_others():
    """A calendar that knows only the file's VTIMEZONE (not the tz database) places each date
    right: the definition holds the transitions of the years from the first date to the last,
    summer and winter time included, and not those of 1970-2038 (2.5 times the file)."""
    winter = _date_in_berlin((2027, 1, 12), (9, 30), (15, 0))
    summer = _date_in_berlin((2029, 7, 1), (9, 0), (16, 0))

    def zone_of(ical: bytes):
        (definition,) = Calendar.from_ical(ical).walk("VTIMEZONE")
        return definition, definition.to_tz()

    definition, zone = zone_of(feed_ical(course_dates=[winter, summer]))
    for day, hours in (((2027, 1, 12), 1), ((2028, 7, 1), 2), ((2029, 7, 1), 2)):
        assert datetime(*day, 9, 0, tzinfo=zone).utcoffset() == timedelta(hours=hours), day

    def years(definition) -> set[int]:
        """The years of the zone's transitions (each part's start and its repetitions)."""
        found = set()
        for part in definition.walk():
            if "dtstart" in part:
                found.add(part["dtstart"].dt.year)
            rdates = part.get("rdate", [])
            for rdate in rdates if isinstance(rdates, list) else [rdates]:
                found.update(moment.dt.year for moment in rdate.dts)
        return found

    assert years(definition) == {2027, 2028, 2029}
    single, _ = zone_of(course_date_ical(course_date=winter, with_online_url=False))
    assert years(single) == {2027}


def test_module_title_reads_the_cms_reverse_relation(course_date):
    # Without a module page pointing at it, the course has no module title; training never
    # imports cms for it.
    assert course_date.course.module_title == ""


def test_wagtail_admin_edit_goes_through_the_service(
    client, lja, django_capture_on_commit_callbacks
):
    client.force_login(lja)
    # Staff edit their own Landesjugendamt's dates (selectors.user_administered_providers).
    course_date = CourseDateFactory(capacity=1, course__provider=lja.landesjugendamt)
    first, second = member(), member()
    registration_create(course_date=course_date, participant=first, by=first)
    waiting = registration_create(course_date=course_date, participant=second, by=second)
    from django.urls import reverse

    index = client.get(reverse("course_dates:index"))
    assert index.status_code == 200, index.status_code
    assert client.get(reverse("course_dates:add")).status_code == 200
    assert client.get(reverse("courses:index")).status_code == 200
    edit_url = reverse("course_dates:edit", args=[course_date.pk])
    page = client.get(edit_url)
    assert page.status_code == 200
    local = timezone.localtime
    data = {
        "course": course_date.course_id,
        "start": local(course_date.start).strftime("%Y-%m-%d %H:%M"),
        "end": local(course_date.end).strftime("%Y-%m-%d %H:%M"),
        "venue_name": course_date.venue_name,
        "venue_address": course_date.venue_address,
        "online_url": "",
        "capacity": "2",
        "max_per_municipality": "",
        "registration_opens": "",
        "registration_closes": "",
        "cancellation_deadline": "",
        "information": "",
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert [m.to for m in mail.outbox] == [[second.email]]
    # Below the seats taken: refused with the German message, nothing changed.
    data["capacity"] = "1"
    response = client.post(edit_url, data)
    assert response.status_code == 200
    assert "Platzzahl darf nicht unter" in response.content.decode()
    course_date.refresh_from_db()
    assert course_date.capacity == 2


def test_staff_group_may_manage_courses(lja):
    assert lja.has_perm("training.add_coursedate")
    assert lja.has_perm("training.change_course")


def test_privacy_notice_says_how_long_notes_are_kept(client):
    from django.urls import reverse

    content = client.get(reverse("core:privacy")).content.decode()
    assert "Werden 30 Tage nach dem Termin gelöscht." in content
