"""One forum post as HTML, built in Python: a 50-post topic page renders 50 of these, and the
template engine's per-node cost made that the page's bottleneck (bench/pages.py). Same markup
the template had; user data is escaped, body_html is the sanitised HTML stored on save."""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import fields
from functools import cache
from hashlib import blake2b
from operator import attrgetter

from django.middleware.csrf import get_token
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date
from django.utils.html import escape
from django.utils.timezone import get_current_timezone_name, localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from core.models import User
from network.forums.selectors.mentions import member_url
from network.forums.selectors.posts import PagePost

_ID = 987654321


@cache
def _pattern(name: str) -> str:
    return reverse(f"network:{name}", args=[_ID]).replace(str(_ID), "%d")


def _url(name: str, pk: int) -> str:
    return _pattern(name) % pk


def _labels() -> dict[str, str]:
    """The fixed words of a post, outside the f-strings so that xgettext extracts them."""
    return {
        "post_by": _("Post #%(number)s by"),
        "lja": _("Landesjugendamt"),
        "deleted": _("This post was deleted."),
        "hidden": _("This post was hidden by the moderation."),
        "deleted_mod": _("deleted – visible to moderators only"),
        "hidden_mod": _("hidden – visible to moderators only"),
        "quote": _("Quote"),
        "helpful": _("Helpful"),
        "report": _("Report"),
        "edit": _("Edit"),
        "delete": _("Delete"),
        "revisions": _("Earlier versions"),
    }


def _tag(text: str) -> str:
    return f'<span class="tag">{escape(text)}</span>'


def _sr(post) -> str:
    return f'<span class="visually-hidden"> #{post.number}</span>'


def _button_form(action: str, csrf: str, label: str, post, pressed: str | None = None) -> str:
    aria = f' aria-pressed="{pressed}"' if pressed is not None else ""
    return (
        f'<li><form method="post" action="{action}" class="inline-form">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
        f'<button type="submit" class="link-button"{aria}>{escape(label)}{_sr(post)}</button>'
        f"</form></li>"
    )


def render_posts(request, *, topic, posts, is_moderator: bool, may_post: bool) -> str:
    """The page's posts (PagePost objects from selectors.posts.page_posts)."""
    csrf = get_token(request)
    user_id = request.user.pk
    label = _labels()
    language = get_language()
    shared = (language, get_current_timezone_name(), is_moderator, topic.best_answer_id)
    mine = topic.author_id == user_id
    new_tag = _tag(_("new"))
    html = []
    for post in posts:
        head, tail = _shared_parts(post, shared, label)
        html.append(head)
        if post.is_unread:
            html.append(new_tag)
        html.append(tail)
        # The reader's actions, by every value they depend on; the form token goes in between.
        key = (
            language,
            topic.pk,
            topic.best_answer_id,
            mine,
            is_moderator,
            may_post,
            post.author_id == user_id,
            *_action_inputs(post),
        )
        segments = _action_memo.get(key)
        if segments is None:
            segments = tuple(
                _actions(post, topic, user_id, is_moderator, may_post, _CSRF_SLOT, label).split(
                    _CSRF_SLOT
                )
            )
            _action_memo.put(key, segments)
        html.append(csrf.join(segments))
        html.append("</article>")
    return "".join(html)


# Stands for the request's form token in kept action markup (never part of escaped text).
_CSRF_SLOT = "\x00csrf\x00"
_action_inputs = attrgetter(
    "pk",
    "number",
    "status",
    "is_hidden",
    "is_deleted",
    "helpful_by_me",
    "may_edit",
    "may_delete",
    "edited_at",
)


class _Memo:
    """The markup of a post that is the same for every reader, by a digest of everything it is
    made of (the post's and its author's values, the language, the time zone, whether the
    reader moderates, the topic's best answer): a change to any of them is a new key, so there
    is nothing to invalidate. Per process, least recently used out first, bounded in size."""

    def __init__(self, max_chars: int):
        self.max_chars = max_chars
        self.chars = 0
        self.items: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: tuple[str, ...]) -> None:
        size = sum(map(len, value))
        with self.lock:
            if key in self.items:
                return
            self.items[key] = value
            self.chars += size
            while self.chars > self.max_chars:
                _, old = self.items.popitem(last=False)
                self.chars -= sum(map(len, old))

    def clear(self) -> None:  # tests
        with self.lock:
            self.items.clear()
            self.chars = 0


_memo = _Memo(max_chars=8_000_000)
_action_memo = _Memo(max_chars=2_000_000)


def _shared_parts(post, shared, label) -> tuple[str, str]:
    key = blake2b(repr((shared, _shared_inputs(post))).encode(), digest_size=20).digest()
    parts = _memo.get(key)
    if parts is None:
        parts = _render_shared(post, shared[2], shared[3], label)
        _memo.put(key, parts)
    return parts


# What the shared markup is made of, besides `shared` (render_posts): every field of the post
# but the reader's own, so a field added to PagePost is in the key without anyone remembering.
_PER_READER = {"helpful_by_me", "is_unread", "may_edit", "may_delete"}
_shared_inputs = attrgetter(*(f.name for f in fields(PagePost) if f.name not in _PER_READER))


def _display_name(name, email, erased_at) -> str:
    # User.display_name decides; a user built from the row's values, never saved.
    return User(name=name, email=email, erased_at=erased_at).display_name


def _render_shared(post, is_moderator, best_answer_id, label) -> tuple[str, str]:
    """The article up to where the reader's "new" marker goes, and from there to the actions."""
    n = post.number
    classes = ["post"]
    best = best_answer_id == post.pk
    if best:
        classes.append("post--best")
    if post.status == "held":
        classes.append("post--held")
    if post.is_hidden:
        classes.append("post--hidden")
    if post.is_deleted:
        classes.append("post--deleted")
    created = localtime(post.created_at)
    post_by = label["post_by"]
    lja = label["lja"]
    if post.author_erased_at:  # a deleted account: no municipality, and not the Landesjugendamt
        lja = ""
    author = _display_name(post.author_name, post.author_email, post.author_erased_at)
    head = [
        f'<article id="beitrag-{n}" class="{" ".join(classes)}" '
        f'aria-labelledby="beitrag-{n}-titel"><header class="post__meta">',
        f'<h2 class="post__author" id="beitrag-{n}-titel"><span class="visually-hidden">'
        f"{escape(post_by % {'number': n})} </span>"
        f"{escape(author)}</h2>",
    ]
    if post.author_handle:  # how others mention the author, linked to their page
        head.append(
            f'<a class="post__handle" href="{escape(member_url(handle=post.author_handle))}">'
            f"@{escape(post.author_handle)}</a>"
        )
    head += [
        f'<span class="muted">{escape(post.municipality_name or lja)}</span>',
        f'<a href="#beitrag-{n}"><time datetime="{date_format(created, "c")}">'
        f"{localized_date(created, 'SHORT_DATETIME_FORMAT')}</time></a>",
    ]
    if post.edited_at:
        head.append(_tag(_("edited")))
    tail = []
    if best:
        tail.append(_tag("✓ " + _("best answer")))
    if post.status == "held":
        tail.append(_tag(_("waiting for review")))
    if post.status == "rejected":
        tail.append(_tag(_("not approved")))
    tail.append("</header>")
    if post.is_deleted and not is_moderator:
        tail.append(f'<p class="muted">{escape(label["deleted"])}</p>')
    elif post.is_hidden and not is_moderator:
        tail.append(f'<p class="muted">{escape(label["hidden"])}</p>')
    else:
        if post.is_deleted:
            tail.append(f'<p class="tag">{escape(label["deleted_mod"])}</p>')
        elif post.is_hidden:
            tail.append(f'<p class="tag">{escape(label["hidden_mod"])}</p>')
        if post.reply_to_id and post.reply_to_number is not None:
            text = _("In reply to #%(number)s by %(name)s") % {
                "number": post.reply_to_number,
                "name": _display_name(
                    post.reply_to_author_name,
                    post.reply_to_author_email,
                    post.reply_to_author_erased_at,
                ),
            }
            tail.append(f'<p class="muted">{escape(text)}</p>')
        tail.append(f'<div class="prose">{post.body_html}</div>')
        if post.attachments:
            items = "".join(
                f'<li><a href="{_url("attachment", pk)}">{escape(name)}</a> '
                f'<span class="muted">({filesizeformat(size)})</span></li>'
                for pk, name, size in post.attachments
            )
            tail.append(f'<ul class="post__attachments">{items}</ul>')
        if post.helpful_count:
            text = ngettext(
                "%(count)s person found this helpful",
                "%(count)s people found this helpful",
                post.helpful_count,
            ) % {"count": post.helpful_count}
            tail.append(f'<p class="muted">{escape(text)}</p>')
    return "".join(head), "".join(tail)


def _actions(post, topic, user_id, is_moderator, may_post, csrf, label) -> str:
    """What the reader may do with the post."""
    if post.is_deleted:
        return ""
    n = post.number
    best = topic.best_answer_id == post.pk
    actions = []
    visible = post.status == "published" and not post.is_hidden
    if may_post and visible:
        actions.append(
            f'<li><a href="{_pattern_reply(topic.pk)}?zitat={post.pk}">'
            f"{escape(label['quote'])}{_sr(post)}</a></li>"
        )
    if post.author_id != user_id and visible:
        actions.append(
            _button_form(
                _url("post_helpful", post.pk),
                csrf,
                label["helpful"],
                post,
                "true" if post.helpful_by_me else "false",
            )
        )
        actions.append(
            f'<li><a href="{_url("post_report", post.pk)}">{escape(label["report"])}'
            f"{_sr(post)}</a></li>"
        )
    if topic.author_id == user_id and n > 1 and visible:
        best_label = _("Remove best answer") if best else _("Mark as best answer")
        actions.append(_button_form(_url("post_best_answer", post.pk), csrf, best_label, post))
    if post.may_edit:
        actions.append(
            f'<li><a href="{_url("post_edit", post.pk)}">{escape(label["edit"])}'
            f"{_sr(post)}</a></li>"
        )
    if post.may_delete:
        actions.append(
            f'<li><a href="{_url("post_delete", post.pk)}">{escape(label["delete"])}'
            f"{_sr(post)}</a></li>"
        )
    if is_moderator:
        hide_label = _("Show again") if post.is_hidden else _("Hide")
        actions.append(
            f'<li><a href="{_url("post_hide", post.pk)}">{escape(hide_label)}{_sr(post)}</a></li>'
        )
        if post.edited_at:
            actions.append(
                f'<li><a href="{_url("post_revisions", post.pk)}">'
                f"{escape(label['revisions'])}{_sr(post)}</a></li>"
            )
    return f'<ul class="post__actions">{"".join(actions)}</ul>' if actions else ""


def _pattern_reply(topic_pk: int) -> str:
    return _url("topic_reply", topic_pk)
