import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The topic page keeps its posts' markup in the cache (LocMem here, one per process), by
    post id and version: ids come again after a rollback on SQLite, so each test starts empty."""
    cache.clear()
    yield
    cache.clear()
