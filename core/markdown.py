"""The one renderer for everything a user writes: Markdown to HTML, then an allow-list (nh3).

Rendered once on save; templates show the stored HTML. Nothing a user writes reaches a page
without passing through render_markdown().
"""

import threading

import markdown as md
import nh3

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

# Building a Markdown instance loads its extensions (most of a short post's cost); one per
# thread, reset before each use, since an instance is not safe to share between threads.
_local = threading.local()


def _converter() -> md.Markdown:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(
            extensions=["extra", "sane_lists", "nl2br"], output_format="html"
        )
    return converter.reset()


def render_markdown(text: str) -> str:
    """Markdown source to sanitised HTML: no scripts, no event handlers, no javascript: links.

    Raw HTML in the source is escaped by the sanitiser's allow-list; links get rel="noopener
    noreferrer nofollow" so a post cannot hand our window to another site.
    """
    html = _converter().convert(text[:MAX_SOURCE_LENGTH])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
