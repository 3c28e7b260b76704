import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth keeps its rate-limit counters in the cache (LocMem here, one per process): each
    test starts with none, or the e-mails of one test would be throttled by the last."""
    cache.clear()
    yield
    cache.clear()
