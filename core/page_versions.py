"""Versions of what pages show, for the keys of everything kept in Django's cache: the CMS's
fragments and the anonymous pages (cms.cache), network's fragments (network.cache), the kept
member pages (core.middleware.MemberPageCacheMiddleware, @member_page_cache(versions=...)). A
key holds the versions of everything its page or fragment shows; each change bumps the version
of what it changed, so the next request renders afresh and the old copy is never read again.

A version is bumped at once (a page in the same transaction sees the change) and again after the
commit: a request that read the old rows between the first bump and the commit, and kept its page
under the new version, is overtaken by the second bump.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _fresh() -> int:
    # Not 1: a version lost from the cache (evicted, flushed) starts again above any number it
    # could have reached, so nothing kept from before answers for the new one.
    return time.time_ns()


def versions(*keys: str) -> str:
    """The current versions of `keys` as one string for a cache key; one round trip."""
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
    except ValueError:  # not in the cache (yet, or any more)
        cache.set(key, _fresh(), timeout=None)


def bump(key: str) -> None:
    """Forget everything kept under `key`'s version: now and once the transaction commits."""
    _bump(key)
    transaction.on_commit(lambda: _bump(key))


def bump_on_changes(key: str, *models) -> None:
    """Every save and delete of `models` bumps `key` (called from the app's ready())."""

    def changed(**_signal_kwargs):
        bump(key)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"{key}:{model._meta.label}"
            )
