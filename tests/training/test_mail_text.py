"""What the training mails and calendar files say in plain text: the venue address line by line,
and links to the server the platform runs on (settings.SITE_URL)."""

import pytest
from django.core import mail
from icalendar import Calendar

from tests.factories import CourseDateFactory, MunicipalityFactory, member
from training.calendar import course_date_ical
from training.services.registration import registration_cancel, registration_create

pytestmark = pytest.mark.django_db

ADDRESS = "Oeynhausener Str. 1\r\n32602 Vlotho"


def register(course_date, person):
    return registration_create(course_date=course_date, participant=person, by=person)


def test_every_training_mail_keeps_the_address_lines_apart(django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(
        capacity=1, venue_name="Jugendhof Vlotho", venue_address=ADDRESS
    )
    first, second = member(), member()
    # Each request's mails are written by the worker after it commits, as they stand then.
    with django_capture_on_commit_callbacks(execute=True):
        seat = register(course_date, first)  # registered
    with django_capture_on_commit_callbacks(execute=True):
        register(course_date, second)  # waiting
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=seat, by=first)  # cancelled, promoted
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert "Jugendhof Vlotho, Oeynhausener Str. 1, 32602 Vlotho" in message.body, (
            message.subject
        )
        assert "132602" not in message.body


def test_the_address_without_a_venue_name_is_still_told(django_capture_on_commit_callbacks):
    course_date = CourseDateFactory(venue_name="", venue_address=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        register(course_date, member())
    (message,) = mail.outbox
    assert "Wo: Oeynhausener Str. 1, 32602 Vlotho" in message.body
    html = message.alternatives[0][0]
    assert "Oeynhausener Str. 1<br>32602 Vlotho" in html


def test_links_in_mails_and_calendar_files_use_site_url(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8104"
    course_date = CourseDateFactory(capacity=1, venue_address=ADDRESS)
    town = MunicipalityFactory()
    with django_capture_on_commit_callbacks(execute=True):
        register(course_date, member(town))
        register(course_date, member(town))
    date_url = f"http://127.0.0.1:8104/fortbildung/termine/{course_date.pk}/"
    for message in mail.outbox:
        assert date_url in message.body
        assert "http://127.0.0.1:8104/fortbildung/meine/" in message.body
        assert "127.0.0.1:8000" not in message.body
        assert "127.0.0.1:8000" not in message.alternatives[0][0]
    ics = mail.outbox[0].attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["url"]) == date_url
    assert str(event["location"]) == "LWL-Bildungszentrum, Oeynhausener Str. 1, 32602 Vlotho"
    (event,) = Calendar.from_ical(
        course_date_ical(course_date=course_date, with_online_url=False)
    ).walk("VEVENT")
    assert date_url in str(event["description"])
