"""Versions of what network's pages keep in Django's cache ({% cache %} fragments), kept and
bumped by core.page_versions: a fragment's key holds the versions of everything it shows.
"""

from core.page_versions import bump

# The municipalities' names, slugs and regions (the practice examples' list shows them).
MUNICIPALITIES_VERSION_KEY = "network:municipalities-version"


def municipalities_changed() -> None:
    """A municipality was created, changed or deleted (admin, CSV import, demo data)."""
    bump(MUNICIPALITIES_VERSION_KEY)
