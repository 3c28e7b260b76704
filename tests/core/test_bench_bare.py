"""The benchmarks' bare view (/bench/bare) exists only where BENCH_BARE_VIEW=1 turned it on, and
shows nothing but a fixed page."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.views import bench_bare

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(settings.BENCH_BARE_VIEW, reason="BENCH_BARE_VIEW=1 in this environment")
def test_off_by_default(client):
    # Without it the path is nobody's: Django adds the slash, Wagtail finds no such page.
    assert client.get("/bench/bare", follow=True).status_code == 404


def test_a_fixed_page_without_the_database(rf):
    request = rf.get("/bench/bare")
    request.user = AnonymousUser()
    with CaptureQueriesContext(connection) as queries:
        response = bench_bare(request)
    assert response.status_code == 200
    assert b"Eine schlichte Seite." in response.content
    assert len(queries) == 0
