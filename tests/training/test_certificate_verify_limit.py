"""The public certificate check answers at most VERIFY_LIMIT look-ups a minute per client
address, so nobody walks through the numbers and collects the names they reveal."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, member
from training.models import Registration
from training.selectors import registration_valid_certificate
from training.services.attendance import attendance_mark
from training.views.certificates import VERIFY_LIMIT

pytestmark = pytest.mark.django_db

URL = reverse("training:certificate_verify")


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The clock at the start of a minute, so no window boundary falls inside a test; a test
    moves it on with clock[0] += seconds."""
    import time

    now = [time.time() // 60 * 60 + 1]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


def test_too_many_checks_from_one_address_get_429_in_german(client, lja):
    start = timezone.now() - timedelta(days=1)
    registration = Registration.objects.create(
        course_date=CourseDateFactory(start=start, end=start + timedelta(hours=2)),
        participant=member(name="Gesine Geprüft"),
        status="confirmed",
    )
    attended = attendance_mark(registration=registration, by=lja, attended=True)
    number = registration_valid_certificate(registration=attended).number
    for i in range(VERIFY_LIMIT):
        assert client.get(URL, {"nummer": f"KS-2026-{i:08d}"}).status_code == 200
    response = client.get(URL, {"nummer": number})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Zu viele Prüfungen in kurzer Zeit" in html
    assert "Gesine Geprüft" not in html  # nothing is looked up any more
    assert 'lang="de"' in html

    # Another address is not affected; the empty form page counts nothing.
    other = client.get(URL, {"nummer": number}, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200 and "Gesine Geprüft" in other.content.decode()
    assert client.get(URL).status_code == 200


def test_the_limit_is_per_minute(client, clock):
    for _ in range(VERIFY_LIMIT):
        client.get(URL, {"nummer": "KS-1"})
    assert client.get(URL, {"nummer": "KS-1"}).status_code == 429
    clock[0] += 60
    assert client.get(URL, {"nummer": "KS-1"}).status_code == 200
