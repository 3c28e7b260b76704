import pytest

from network.cache import MUNICIPALITIES_VERSION_KEY
from network.practice.cache import LIST_VERSION_KEY


@pytest.fixture(autouse=True)
def _fresh_list_versions():
    """The practice list's cached fragments outlive a test's rollback (LocMem, one per
    process): each test starts with versions of its own, so none of another test's copies
    answers for its rows."""
    from django.core.cache import cache

    cache.delete_many([LIST_VERSION_KEY, MUNICIPALITIES_VERSION_KEY])
