"""Versions of what network's pages keep in Django's cache ({% cache %} fragments): a fragment's
key holds the versions of everything it shows, and each change bumps the version of what it
changed, so the next request renders afresh and the old copy is never read again.

A version is bumped at once (a test or a page in the same transaction sees the change) and again
after the commit: a request that read the old rows between the first bump and the commit, and
cached its fragment under the new version, is overtaken by the second bump.
"""

import time

from django.core.cache import cache
from django.db import transaction

# The municipalities' names, slugs and regions (the practice examples' list shows them).
MUNICIPALITIES_VERSION_KEY = "network:municipalities-version"


def _fresh() -> int:
    # Not 1: a version lost from the cache (evicted, flushed) starts again above any number it
    # could have reached, so no fragment kept from before answers for the new one.
    return time.time_ns()


def versions(*keys: str) -> str:
    """The current versions of `keys` as one string for a fragment's key; one round trip."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            value = _fresh()
            if not cache.add(key, value, timeout=None):
                value = cache.get(key, value)  # another process was first
            found[key] = value
    return ".".join(str(found[key]) for key in keys)


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh(), timeout=None)


def version_bump(key: str) -> None:
    """Forget every fragment that holds `key`'s version: now and once the transaction commits."""
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def municipalities_changed() -> None:
    """A municipality was created, changed or deleted (admin, CSV import, demo data)."""
    version_bump(MUNICIPALITIES_VERSION_KEY)
