import pytest

from tests.factories import CourseDateFactory, StaffFactory


@pytest.fixture
def course_date(db):
    return CourseDateFactory()


@pytest.fixture
def lja(db):
    return StaffFactory()


@pytest.fixture
def staff_client(client, lja):
    """A Landesjugendamt staff member with a second factor (StaffFactory's), logged in."""
    client.force_login(lja)
    return client
