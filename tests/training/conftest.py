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
    """A Landesjugendamt staff member with a second factor, logged in."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(
        user=lja, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(lja)
    return client
