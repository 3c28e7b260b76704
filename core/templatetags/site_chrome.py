"""The parts of every page's header and footer that are the same for everybody in a language,
section of the site and role: each is rendered once per process for each such combination and
then reused, since rendering them (some twenty translations and URL reversals) was a good part of
what a short member page cost. The key is every input of the markup, so nothing can go stale: the
menu's links come from the cache entry a publish renews (cms.selectors.menu_links), the rest from
the request. What differs per person (the notification badge, the logout form's CSRF token, the
language switch's return address) stays in base.html."""

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.translation import get_language

register = template.Library()

# The header's sections, by their address's beginning: the link marked as the current page.
SECTIONS = (("/fortbildung/", "training"), ("/netzwerk/", "network"), ("/board/", "board"),
            ("/suche/", "search"))  # fmt: skip
PAGES = {"/mein-bereich/": "dashboard", "/fortbildung/verwaltung/": "staff_home"}


def _path(context) -> str:
    request = context.get("request")
    return request.path if request is not None else ""


def _section(path: str) -> str:
    return next((name for prefix, name in SECTIONS if path.startswith(prefix)), "")


@register.simple_tag(takes_context=True)
def site_nav(context) -> str:
    """The main navigation's list items: the CMS menu, courses, network, board, search."""
    user = context.get("user")
    links = tuple((link.title, link.url, link.current) for link in context.get("menu_links") or ())
    return _render(
        "includes/site_nav.html",
        get_language(),
        (
            ("menu_links", links),
            ("section", _section(_path(context))),
            ("authenticated", bool(user and user.is_authenticated)),
        ),
    )


@register.simple_tag(takes_context=True)
def site_account_links(context) -> str:
    """A logged-in person's links to their area and, for staff, the administration."""
    return _render(
        "includes/site_account_links.html",
        get_language(),
        (
            ("page", PAGES.get(_path(context), "")),
            ("is_lja_staff", bool(context.get("is_lja_staff"))),
        ),
    )


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    links = tuple((link.title, link.url) for link in context.get("menu_links") or ())
    return _render("includes/site_footer.html", get_language(), (("menu_links", links),))


@lru_cache(maxsize=512)
def _render(template_name: str, language: str, values: tuple) -> str:
    """`template_name` rendered with `values` in the active `language` (part of the key)."""
    return render_to_string(template_name, dict(values))
