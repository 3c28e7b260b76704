from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CourseDateFactory, MunicipalityFactory, StaffFactory, member
from training.models import Registration, RegistrationStatus


def held_date(**fields):
    """A date that ended yesterday."""
    start = timezone.now() - timedelta(days=1, hours=6)
    return CourseDateFactory(start=start, end=start + timedelta(hours=6), **fields)


def attendee(course_date, person=None):
    """A person who attended the date (status and attendance as staff record them)."""
    person = person or member()
    Registration.objects.create(
        course_date=course_date,
        participant=person,
        municipality=None,
        status=RegistrationStatus.ATTENDED,
        confirmed_at=timezone.now(),
        attendance_marked_at=timezone.now(),
    )
    return person


GOOD = {
    "overall": "5",
    "daily_work": "4",
    "trainers": "5",
    "organisation": "3",
    "helpful": "Die Beispiele aus Dortmund.",
    "improve": "",
}


@pytest.fixture
def held(db):
    return held_date()


@pytest.fixture
def lja(db):
    return StaffFactory()


@pytest.fixture
def town(db):
    return MunicipalityFactory()
