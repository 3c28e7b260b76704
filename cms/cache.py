"""Caching the curriculum pages: what is the same for every visitor is rendered once.

Anonymous visitors get whole pages from the cache. The key holds a content version, which every
publish, unpublish, move or delete of a page and every change of a document bumps (see
cms.wagtail_hooks), and the seats: pages that show seats left live only SEATS_TTL seconds, so a
seat count is never more than that old. Logged-in visitors get a fresh page around cached
fragments (the module's body) keyed by the same content version.

The CSRF token of the language switch differs per visitor: the cached HTML holds a placeholder
that each response replaces with the visitor's own token.
"""

import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

CONTENT_VERSION_KEY = "cms:content-version"
# Seat counts on the home and module pages are at most this old.
SEATS_TTL = 5
# Pages without seats: until the next publish (the version changes), at most an hour.
PAGE_TTL = 3600
CSRF_PLACEHOLDER = "cms-csrf-placeholder-7f3a9c"
_RENDERING_FOR_CACHE = "_cms_rendering_for_cache"


# The home page's newest practice examples: bumped whenever a practice example changes.
PRACTICE_VERSION_KEY = "cms:practice-version"


def _version(key: str) -> int:
    version = cache.get(key)
    if version is None:
        version = 1
        cache.add(key, version, timeout=None)
    return version


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, timeout=None)


def content_version() -> int:
    return _version(CONTENT_VERSION_KEY)


def content_changed() -> None:
    """Forget every cached page and fragment (called on publish, unpublish, move, delete)."""
    _bump(CONTENT_VERSION_KEY)


def practice_version() -> int:
    return _version(PRACTICE_VERSION_KEY)


def practice_changed() -> None:
    """Forget the home page's list of practice examples (a practice example was saved or
    deleted). Anonymous whole-page copies of the home page live only SEATS_TTL anyway."""
    _bump(PRACTICE_VERSION_KEY)


def _cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.GET:
        return False
    if getattr(request, "is_preview", False):
        return False
    if request.user.is_authenticated:
        return False
    # A pending message ("you have been logged out") belongs to this visitor only.
    return len(get_messages(request)) == 0


def _key(request) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()
    return f"cms:page:{content_version()}:{get_language()}:{path}"


def _response(request, html: str) -> HttpResponse:
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    response["X-Cache"] = "cms"
    return response


def cached_response(request) -> HttpResponse | None:
    """The cached page for this anonymous request, before Wagtail routes it; None on a miss."""
    if not _cacheable(request):
        return None
    html = cache.get(_key(request))
    return None if html is None else _response(request, html)


def _route_key(request) -> str:
    path = hashlib.sha256(request.path.encode()).hexdigest()
    return f"cms:route:{content_version()}:{path}"


def routed_page(request):
    """The live page Wagtail routed this path to last time (no query instead of one per path
    segment), or None. Forgotten with the content version: a publish, unpublish or move of any
    page forgets every route."""
    return cache.get(_route_key(request))


def serve_cached(*, page, request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """Render the page (routed and checked by Wagtail) and keep it for the next visitors."""
    if request.method in ("GET", "HEAD") and not getattr(request, "is_preview", False):
        key = _route_key(request)
        if cache.get(key) is None:
            cache.set(key, page, timeout=PAGE_TTL)
    if not _cacheable(request):
        return render()
    key = _key(request)
    html = cache.get(key)
    if html is None:
        setattr(request, _RENDERING_FOR_CACHE, True)
        response = render()
        if response.status_code != 200 or not hasattr(response, "render"):
            return response
        response.render()
        html = response.content.decode()
        # A page behind a view restriction (password, login, groups) is never shared.
        if page.get_view_restrictions():
            return response
        ttl = SEATS_TTL if getattr(page, "shows_seats", False) else PAGE_TTL
        cache.set(key, html, timeout=ttl)
    return _response(request, html)


# A preview renders the editor's draft, which no cached fragment holds: its fragments have a key
# of their own and are kept for no time at all (the cache tag sets them with timeout 0).
PREVIEW_VERSION = "preview"


def context_for(*, request) -> dict:
    """What the page templates need for caching: the version and the lifetimes of the fragments,
    and the CSRF placeholder when the render goes into the cache."""
    if getattr(request, "is_preview", False):
        return {"cms_cache_version": PREVIEW_VERSION, "cms_seats_ttl": 0, "cms_fragment_ttl": 0}
    context = {
        "cms_cache_version": content_version(),
        "cms_seats_ttl": SEATS_TTL,
        "cms_fragment_ttl": PAGE_TTL,
    }
    if getattr(request, _RENDERING_FOR_CACHE, False):
        context["csrf_token"] = CSRF_PLACEHOLDER
    return context


def view_restrictions(*, page, compute):
    """The page's view restrictions (its own and its ancestors'), from the cache."""
    from wagtail.models import PageViewRestriction

    key = f"cms:restrictions:{content_version()}:{page.pk}"
    ids = cache.get(key)
    if ids is None:
        ids = list(compute().values_list("pk", flat=True))
        cache.set(key, ids, timeout=PAGE_TTL)
    if not ids:
        return PageViewRestriction.objects.none()
    return PageViewRestriction.objects.filter(pk__in=ids)
