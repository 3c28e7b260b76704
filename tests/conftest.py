"""The fixture layer shared by every test.

PostgreSQL and Redis are used when reachable: tests marked `postgres` need the suite to run on
PostgreSQL (tests/run.py sets DATABASE_URL when it is reachable), tests marked `redis` need
TEST_REDIS_URL. Without them those tests are skipped with the reason printed; with
REQUIRE_SERVICES=1 (CI) a missing service fails them instead.
"""

import os

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    # Fast hashing for tests, and plain static storage: the manifest is only there after
    # collectstatic, which a test run must not depend on.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The storages may already have been built while the apps loaded; Django's own receiver of
    # this signal drops them, so the next use builds them from the settings above.
    from django.test.signals import setting_changed

    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)
    # Tasks run at once, after the commit that enqueued them (core.mail hands a non-database
    # backend its tasks on commit), so a test sees the mails in mail.outbox as before; the outbox
    # tests switch to the database backend and run the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)


def _missing(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not settings.USING_POSTGRES:
        _missing("needs PostgreSQL (run through tests/run.py or set DATABASE_URL)")
    if item.get_closest_marker("redis") and not os.environ.get("TEST_REDIS_URL"):
        _missing("needs Redis (set TEST_REDIS_URL)")


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        _missing("needs Redis (set TEST_REDIS_URL)")
    return url


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploaded files of a test go to its own folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def member_page_cache_off(settings):
    """For tests of what a member page's render shows after someone else's change (its fragment
    caches, its queries): the member page cache on top of it (core.middleware
    .MemberPageCacheMiddleware, tests/core/test_member_page_cache.py) would show the page kept
    for that browser a few seconds instead, which is its job."""
    settings.MEMBER_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def channel_events(monkeypatch):
    """Every (group, event) that reaches the real channel layer, in order.

    Our publish() runs unchanged; the layer's group_send is wrapped to record what it is given
    and then delivers as usual. Events are sent after commit: wrap the action in
    django_capture_on_commit_callbacks(execute=True).
    """
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    sent = []
    deliver = layer.group_send

    async def recording(group, message):
        sent.append((group, message))
        await deliver(group, message)

    monkeypatch.setattr(layer, "group_send", recording)
    return sent


@pytest.fixture(autouse=True)
def _german_again():
    """A request in English leaves English active in this thread: the next test starts German."""
    yield
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
