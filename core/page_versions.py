"""Versions of what member pages show for everybody, for the keys of kept pages
(core.middleware.MemberPageCacheMiddleware, @member_page_cache(versions=...)): an app names a
cache key and the models whose every change bumps it, so a change by one person shows on the
next view of everybody else, not MEMBER_PAGE_CACHE_SECONDS later."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def bump_after_commit(key: str) -> None:
    """After the commit: a page rendered before it must not be kept under the new version."""
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), timeout=None))


def bump_on_changes(key: str, *models) -> None:
    """Every save and delete of `models` bumps `key` (called from the app's ready())."""

    def changed(**_signal_kwargs):
        bump_after_commit(key)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                changed, sender=model, weak=False, dispatch_uid=f"{key}:{model._meta.label}"
            )
