"""The one renderer for everything a user writes: Markdown to HTML, then an allow-list (nh3).

Rendered once on save; templates show the stored HTML. Nothing a user writes reaches a page
without passing through render_markdown().
"""

import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Mapping

import markdown as md
import nh3
from markdown.inlinepatterns import InlineProcessor

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr",
    "th", "td", "del", "sup", "sub", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
    "span": {"class"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MAX_SOURCE_LENGTH = 100_000

# "@handle" (2-40 small letters, digits, - and _), not inside a word, an e-mail address or a path.
MENTION_PATTERN = r"(?<![\w@/.])@([A-Za-z0-9][A-Za-z0-9_-]{1,39})"
MENTION_RE = re.compile(MENTION_PATTERN)


class _MentionProcessor(InlineProcessor):
    """Links "@handle" to the address the caller gave for it (Markdown.mention_urls); any other
    @word stays text. Code spans and code blocks are left alone by Markdown itself, and inside
    a link's text a mention stays text (no link in a link)."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m, data):
        url = (getattr(self.md, "mention_urls", None) or {}).get(m.group(1).lower())
        if url is None:
            return None, None, None
        link = etree.Element("a")
        link.set("href", url)
        link.text = m.group(0)
        return link, m.start(0), m.end(0)


# Building a Markdown instance loads its extensions (most of a short post's cost); one per
# thread, reset before each use, since an instance is not safe to share between threads.
_local = threading.local()


def _converter() -> md.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(
            extensions=["extra", "sane_lists", "nl2br"], output_format="html"
        )
        # After links and autolinks (Markdown's "link" is 160, "autolink" 120), before emphasis.
        converter.inlinePatterns.register(
            _MentionProcessor(MENTION_PATTERN, converter), "mention", 65
        )
    return converter.reset()


def render_markdown(text: str, *, mentions: Mapping[str, str] | None = None) -> str:
    """Markdown source to sanitised HTML: no scripts, no event handlers, no javascript: links.

    Raw HTML in the source is escaped by the sanitiser's allow-list; links get rel="noopener
    noreferrer nofollow" so a post cannot hand our window to another site. `mentions` maps a
    lower-case handle to the address an "@handle" links to; the caller decides which handles
    qualify (core knows no members), every other @word stays plain text.
    """
    converter = _converter()
    converter.mention_urls = {k.lower(): v for k, v in (mentions or {}).items()}
    html = converter.convert(text[:MAX_SOURCE_LENGTH])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
