"""The list of practice examples (the filter and the examples, everything but the reader's own
links) is the same for every member, and another one for everyone else: it is rendered once per
version of the examples and of the municipalities, language and query, and kept in the cache.
Every change of a practice example goes through examples_changed()."""

from core.page_versions import bump, versions
from network.cache import MUNICIPALITIES_VERSION_KEY
from network.practice.models import PracticeExample
from network.practice.signals import practice_examples_changed

LIST_VERSION_KEY = "practice:list-version"
# Until the next change (the version changes); at most an hour.
LIST_TTL = 3600


def list_version() -> str:
    """The version part of the list fragment's key."""
    return versions(LIST_VERSION_KEY, MUNICIPALITIES_VERSION_KEY)


def examples_changed(example: PracticeExample | None = None) -> None:
    """A practice example was saved (created, edited, submitted, confirmed, reviewed, its contact
    changed) or texts were erased (`example` None when several changed): the list is rendered
    afresh, and the site's page cache (cms, through the signal) forgets its own list."""
    bump(LIST_VERSION_KEY)
    practice_examples_changed.send(sender=PracticeExample, example=example)
