import pytest
from django.core.cache import cache

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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The course list keeps its rendered HTML for seconds (the cache outlives the rollback):
    one test's list must not answer in the next."""
    cache.clear()
    yield
    cache.clear()
