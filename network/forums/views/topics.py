"""A topic's pages: starting one, reading it (page by page, from the first unread post),
replying and watching it."""

from functools import lru_cache

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import member_page_cache
from network.decorators import member_required
from network.exceptions import NetworkError, NotAllowed
from network.forums.forms import PostForm, TopicForm, WatchForm
from network.forums.page_versions import FORUMS_VERSION_KEY
from network.forums.selectors.permissions import (
    posts_set_permissions,
    user_is_forum_moderator,
    user_may_post_in_topic,
    user_may_read_topic,
)
from network.forums.selectors.posts import post_for_reply, topic_posts_page
from network.forums.selectors.topics import (
    topic_first_unread_number,
    topic_for_page,
    topic_page_of_number,
)
from network.forums.services import topics as topics_svc
from network.forums.services.posts import post_create, quote_text, read_mark
from network.forums.services.watching import topic_watch_set
from network.forums.views.access import category_or_404, form_error, post_or_404, topic_or_404
from network.forums.views.post_fragments import posts_fragments_set


@member_required
def topic_create(request, slug):
    category = category_or_404(request, slug)
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = topics_svc.topic_create(
                category=category,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except NetworkError as error:
            form_error(form, error)
        else:
            if topic.post_count == 0:
                messages.info(
                    request,
                    _("Thank you. Your first post will appear once a moderator has approved it."),
                )
            return redirect("network:topic", pk=topic.pk)
    return render(request, "forums/topic_form.html", {"category": category, "form": form})


@member_page_cache(versions=(FORUMS_VERSION_KEY,))
@member_required
def topic_detail(request, pk):
    user = request.user
    topic = topic_for_page(topic_id=pk, user=user)
    if topic is None or not user_may_read_topic(user=user, topic=topic):
        raise Http404
    page, posts = topic_posts_page(topic=topic, user=user, number=request.GET.get("seite"))
    read_before, watch_level = topic.read_number, topic.watch_level
    is_moderator = user_is_forum_moderator(user=user, category=topic.category)
    for post in posts:
        post.is_unread = post.number > read_before
    may_post = user_may_post_in_topic(user=user, topic=topic)
    posts_set_permissions(
        user=user, topic=topic, posts=posts, is_moderator=is_moderator, may_post=may_post
    )
    posts_fragments_set(topic=topic, posts=posts, is_moderator=is_moderator)
    if posts and posts[-1].number > read_before:
        read_mark(topic=topic, user=user, number=posts[-1].number)
    return render(
        request,
        "forums/topic_detail.html",
        {
            "topic": topic,
            "page": page,
            "posts": posts,
            "is_moderator": is_moderator,
            "may_post": may_post,
            "reply_form": PostForm() if may_post else None,
            "reply_fields": _empty_form_fields(PostForm, get_language()) if may_post else "",
            "watch_select": _watch_select(watch_level, get_language()),
        },
    )


@lru_cache(maxsize=16)
def _empty_form_fields(form_class, language: str) -> str:
    """An unbound form's fields (core/includes/form_fields.html): the same markup for every
    reader in a language, so the topic page renders them once per process."""
    return render_to_string("core/includes/form_fields.html", {"form": form_class()})


@lru_cache(maxsize=32)
def _watch_select(level: str, language: str) -> str:
    """The topic page's watching-level select, with `level` chosen (see _empty_form_fields)."""
    return str(WatchForm(initial={"level": level})["level"])


@member_required
def topic_unread(request, pk):
    """Jump to the first post the user has not read yet (or the last page)."""
    topic = topic_or_404(request, pk)
    number = topic_first_unread_number(topic=topic, user=request.user)
    if number is None:
        number = topic.last_number
    page = topic_page_of_number(topic=topic, user=request.user, number=number)
    return redirect(f"{reverse('network:topic', args=[topic.pk])}?seite={page}#beitrag-{number}")


@member_required
def post_jump(request, pk):
    post = post_or_404(request, pk)
    page = topic_page_of_number(topic=post.topic, user=request.user, number=post.number)
    return redirect(
        f"{reverse('network:topic', args=[post.topic_id])}?seite={page}#beitrag-{post.number}"
    )


@member_required
def topic_reply(request, pk):
    topic = topic_or_404(request, pk)
    quoted = post_for_reply(topic=topic, user=request.user, post_id=request.GET.get("zitat"))
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES)
        reply_to = post_for_reply(
            topic=topic, user=request.user, post_id=request.POST.get("reply_to")
        )
        if form.is_valid():
            try:
                post = post_create(
                    topic=topic,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    reply_to=reply_to,
                    files=form.cleaned_data["attachments"],
                )
            except NetworkError as error:
                form_error(form, error, "body" if not isinstance(error, NotAllowed) else None)
            else:
                if post.status == "held":
                    messages.info(
                        request,
                        _("Thank you. Your post will appear once a moderator has approved it."),
                    )
                return redirect("network:post_jump", pk=post.pk)
        quoted = reply_to
    else:
        initial = {"body": quote_text(post=quoted)} if quoted else {}
        form = PostForm(initial=initial)
    return render(
        request,
        "forums/reply_form.html",
        {"topic": topic, "form": form, "quoted": quoted},
    )


@member_required
@require_POST
def topic_watch(request, pk):
    topic = topic_or_404(request, pk)
    form = WatchForm(request.POST)
    if form.is_valid():
        topic_watch_set(topic=topic, user=request.user, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification setting was saved."))
    return redirect("network:topic", pk=topic.pk)
