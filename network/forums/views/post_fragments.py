"""The markup of a topic page's posts that is the same for every reader, kept in Django's cache.

A post is written out in the loop of forums/topic_detail.html. Most of it is the same for
everyone who reads the page in a language: the parts rendered from forums/_post_meta.html (up to
where the reader's "new" marker goes) and forums/_post_content.html (from there to the reader's
actions). Those two are kept in the cache under a template fragment key
(make_template_fragment_key, as `{% cache %}` makes them) of the post's version (Post.save and
every update() of what a post shows count it up) and of what the markup shows from outside the
post's row: the language, the time zone, whether the reader moderates (moderators read hidden
and deleted posts), whether the post is the topic's best answer, the author's and the quoted
author's names, @handle and municipality, and the attachments; all of them are in the page's
rows anyway. A change is a new key, so nothing is ever invalidated; old keys expire. The site
plays no part: the markup holds paths, no host.

The page fetches the fragments of all its posts with one get_many, renders only those missing
and stores them with one set_many: a `{% cache %}` tag per post asks the cache once per post,
which made a 50-post page twice as slow as building the markup in Python.
"""

from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

from core.models import User
from network.forums.models import Topic
from network.forums.selectors.posts import PagePost

# Count the number up when the fragments' templates or links change: a deploy then starts
# with new keys instead of a day of the old markup.
FRAGMENT_NAME = "forums.post.2"
TIMEOUT = 24 * 60 * 60  # a version that nobody asks for again leaves the cache after a day


def post_fragment_key(
    *, post: PagePost, best_answer_id: int | None, is_moderator: bool, language: str, zone: str
) -> str:
    return make_template_fragment_key(
        FRAGMENT_NAME,
        [
            post.pk,
            post.version,
            language,
            zone,
            is_moderator,
            post.pk == best_answer_id,
            post.author_name,
            post.author_email,
            post.author_erased_at,
            post.author_handle,
            post.municipality_name,
            post.reply_to_number,
            post.reply_to_author_name,
            post.reply_to_author_email,
            post.reply_to_author_erased_at,
            post.attachments,
        ],
    )


def posts_fragments_set(*, topic: Topic, posts: list[PagePost], is_moderator: bool) -> None:
    """Set meta_html and content_html of each of the page's posts, from the cache or rendered."""
    language, zone = get_language(), get_current_timezone_name()
    by_key = {
        post_fragment_key(
            post=post,
            best_answer_id=topic.best_answer_id,
            is_moderator=is_moderator,
            language=language,
            zone=zone,
        ): post
        for post in posts
    }
    kept = cache.get_many(by_key)
    rendered = {}
    for key, post in by_key.items():
        parts = kept.get(key)
        if parts is None:
            parts = rendered[key] = _render(post, topic=topic, is_moderator=is_moderator)
        meta_html, content_html, post.links = parts
        post.meta_html, post.content_html = mark_safe(meta_html), mark_safe(content_html)
    if rendered:
        cache.set_many(rendered, TIMEOUT)


def _render(post: PagePost, *, topic: Topic, is_moderator: bool) -> tuple[str, str, dict]:
    links = _links(post, topic=topic)
    context = {
        "post": post,
        "number": links["number"],  # text: no number formatting for each use
        "is_moderator": is_moderator,
        "best": post.pk == topic.best_answer_id,
        "author": _display_name(post.author_name, post.author_email, post.author_erased_at),
    }
    if post.reply_to_number is not None:
        context["reply_to_author"] = _display_name(
            post.reply_to_author_name, post.reply_to_author_email, post.reply_to_author_erased_at
        )
    return (
        str(render_to_string("forums/_post_meta.html", context)),
        str(render_to_string("forums/_post_content.html", context)),
        links,
    )


def _links(post: PagePost, *, topic: Topic) -> dict[str, str]:
    """The addresses of what a reader may do with the post (forums/topic_detail.html decides which
    the reader gets), and its number as text: the same for every reader, and reversing them
    for every post of every page was a sixth of the page's time."""
    pk = post.pk
    return {
        "number": str(post.number),
        "quote": f"{reverse('network:topic_reply', args=[topic.pk])}?zitat={pk}",
        **{
            name: reverse(f"network:post_{name}", args=[pk])
            for name in ("helpful", "report", "best_answer", "edit", "delete", "hide", "revisions")
        },
    }


def _display_name(name, email, erased_at) -> str:
    # User.display_name decides; a user built from the row's values, never saved.
    return User(name=name, email=email, erased_at=erased_at).display_name
