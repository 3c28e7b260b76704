import pytest
from django.core.cache import cache


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Static URLs without collectstatic's manifest (tests/conftest.py sets STORAGES after Django
    built its storages; the signal of a settings override makes it build them again)."""
    from django.conf import settings
    from django.test.signals import setting_changed

    setting_changed.send(
        sender=type(settings._wrapped), setting="STORAGES", value=settings.STORAGES, enter=True
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages of one test must not answer in the next (the cache outlives the rollback)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    from tests.factories import cms_tree

    return cms_tree()
