"""A small rate limit in the shared cache (Redis in production, so every worker counts alike),
for public pages that look something up and would otherwise let a script try numbers at will."""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address as allauth's own rate limits see it (its adapter knows the trusted
    proxies in front of us, ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER)."""
    return get_adapter(request).get_client_ip(request)


def rate_limit_exceeded(*, action: str, key: str, limit: int, period: int) -> bool:
    """Counts one use of `action` by `key` and says whether it went over `limit` uses in the
    current window of `period` seconds (a fixed window: at most 2 × limit across a boundary)."""
    window = int(time.time()) // period
    cache_key = f"ratelimit:{action}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period + 1)
        count = 1
    return count > limit
