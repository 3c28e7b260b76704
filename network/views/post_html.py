"""One forum post as HTML, built in Python: a 50-post topic page renders 50 of these, and the
template engine's per-node cost made that the page's bottleneck (bench/forum.py). Same markup
the template had; user data is escaped, body_html is the sanitised HTML stored on save."""

from functools import cache

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import date_format as localized_date
from django.utils.html import escape
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    csrf = get_token(request)
    user_id = request.user.pk
    label = _labels()
    return "".join(_render(p, topic, user_id, is_moderator, may_post, csrf, label) for p in posts)


def _render(post, topic, user_id, is_moderator, may_post, csrf, label) -> str:
    n = post.number
    classes = ["post"]
    best = topic.best_answer_id == post.pk
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
    if post.author.erased_at:  # a deleted account: no municipality, and not the Landesjugendamt
        lja = ""
    meta = [
        f'<h2 class="post__author" id="beitrag-{n}-titel"><span class="visually-hidden">'
        f"{escape(post_by % {'number': n})} </span>"
        f"{escape(post.author.display_name)}</h2>",
        f'<span class="muted">{escape(post.municipality.name if post.municipality else lja)}'
        "</span>",
        f'<a href="#beitrag-{n}"><time datetime="{date_format(created, "c")}">'
        f"{localized_date(created, 'SHORT_DATETIME_FORMAT')}</time></a>",
    ]
    if post.edited_at:
        meta.append(_tag(_("edited")))
    if post.is_unread:
        meta.append(_tag(_("new")))
    if best:
        meta.append(_tag("✓ " + _("best answer")))
    if post.status == "held":
        meta.append(_tag(_("waiting for review")))
    if post.status == "rejected":
        meta.append(_tag(_("not approved")))
    body = []
    if post.is_deleted and not is_moderator:
        body.append(f'<p class="muted">{escape(label["deleted"])}</p>')
    elif post.is_hidden and not is_moderator:
        body.append(f'<p class="muted">{escape(label["hidden"])}</p>')
    else:
        if post.is_deleted:
            body.append(f'<p class="tag">{escape(label["deleted_mod"])}</p>')
        elif post.is_hidden:
            body.append(f'<p class="tag">{escape(label["hidden_mod"])}</p>')
        if post.reply_to_id and post.reply_to:
            text = _("In reply to #%(number)s by %(name)s") % {
                "number": post.reply_to.number,
                "name": post.reply_to.author.display_name,
            }
            body.append(f'<p class="muted">{escape(text)}</p>')
        body.append(f'<div class="prose">{post.body_html}</div>')
        attachments = post.attachments.all()
        if attachments:
            from django.template.defaultfilters import filesizeformat

            items = "".join(
                f'<li><a href="{_url("attachment", a.pk)}">{escape(a.original_name)}</a> '
                f'<span class="muted">({filesizeformat(a.size)})</span></li>'
                for a in attachments
            )
            body.append(f'<ul class="post__attachments">{items}</ul>')
        if post.helpful_count:
            text = ngettext(
                "%(count)s person found this helpful",
                "%(count)s people found this helpful",
                post.helpful_count,
            ) % {"count": post.helpful_count}
            body.append(f'<p class="muted">{escape(text)}</p>')
    actions = []
    if not post.is_deleted:
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
                f'<li><a href="{_url("post_hide", post.pk)}">{escape(hide_label)}'
                f"{_sr(post)}</a></li>"
            )
            if post.edited_at:
                actions.append(
                    f'<li><a href="{_url("post_revisions", post.pk)}">'
                    f"{escape(label['revisions'])}{_sr(post)}</a></li>"
                )
    action_html = f'<ul class="post__actions">{"".join(actions)}</ul>' if actions else ""
    return (
        f'<article id="beitrag-{n}" class="{" ".join(classes)}" '
        f'aria-labelledby="beitrag-{n}-titel"><header class="post__meta">{"".join(meta)}'
        f"</header>{''.join(body)}{action_html}</article>"
    )


def _pattern_reply(topic_pk: int) -> str:
    return _url("topic_reply", topic_pk)
