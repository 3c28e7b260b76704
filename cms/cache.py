"""Fragment caching of the curriculum pages: what is the same for every visitor is rendered once.

The page templates wrap their costly parts in Django's {% cache %} tag. The keys hold a content
version, which every publish, unpublish, move or delete of a page and every change of a document,
view restriction or Site bumps (cms.wagtail_hooks), at once and again after the commit
(core.page_versions), the Site the request came to (a page's links differ between Sites), and the
language. Fragments that show seats left live only SEATS_TTL seconds, so a seat count is never
more than that old. Wagtail routes and serves every request itself, with its hooks and view
restrictions.
"""

from wagtail.models import Site

from core.page_versions import bump, versions

CONTENT_VERSION_KEY = "cms:content-version"
# Seat counts on the home and module pages are at most this old.
SEATS_TTL = 5
# Fragments without seats: until the next publish (the version changes), at most an hour.
PAGE_TTL = 3600
# The home page's newest practice examples: bumped whenever a practice example changes.
PRACTICE_VERSION_KEY = "cms:practice-version"
# A preview renders the editor's draft, which no cached fragment holds: its fragments have a key
# of their own and are kept for no time at all (the cache tag sets them with timeout 0).
PREVIEW_VERSION = "preview"


def content_version(*, request=None) -> str:
    """With a request: read once for it (its page, fragments and menu all ask), not per ask."""
    if request is None:
        return versions(CONTENT_VERSION_KEY)
    if not hasattr(request, "cms_content_version"):
        request.cms_content_version = versions(CONTENT_VERSION_KEY)
    return request.cms_content_version


def content_changed() -> None:
    """Forget every cached fragment (called on publish, unpublish, move, delete)."""
    bump(CONTENT_VERSION_KEY)


def practice_version() -> str:
    return versions(PRACTICE_VERSION_KEY)


def practice_changed() -> None:
    """Forget the home page's list of practice examples (a practice example was saved or
    deleted)."""
    bump(PRACTICE_VERSION_KEY)


def context_for(*, request) -> dict:
    """What the page templates need for their {% cache %} tags: the version (content and Site)
    and the lifetimes of the fragments."""
    if getattr(request, "is_preview", False):
        return {"cms_cache_version": PREVIEW_VERSION, "cms_seats_ttl": 0, "cms_fragment_ttl": 0}
    site = Site.find_for_request(request)
    return {
        "cms_cache_version": f"{content_version(request=request)}.{site.pk if site else 0}",
        "cms_seats_ttl": SEATS_TTL,
        "cms_fragment_ttl": PAGE_TTL,
    }
