"""Forum pages. Every rule is in network.forums.selectors / network.forums.services."""

from functools import lru_cache, wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.files import private_file_response
from core.middleware import redirect_to_mfa_setup, staff_needs_mfa
from network.decorators import member_required
from network.exceptions import NetworkError, NotAllowed
from network.forums.forms import (
    EditPostForm,
    OptionalReasonForm,
    PostForm,
    ReasonForm,
    TopicForm,
    TopicModerationForm,
    WatchForm,
)
from network.forums.models import ModerationAction, PostReport, PostRevision, ReportStatus
from network.forums.selectors import forums as sel
from network.forums.selectors.notifications import category_watch_level
from network.forums.services import forums as svc
from network.forums.views.post_html import render_posts


def moderator_required(view):
    """A forum moderator of some category; staff also need their second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if staff_needs_mfa(request):
            return redirect_to_mfa_setup(request)
        if not sel.user_is_forum_moderator(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _category_or_404(request, slug):
    category = sel.category_by_slug(slug=slug)
    if category is None or not sel.user_may_read_category(user=request.user, category=category):
        raise Http404
    return category


def _topic_or_404(request, pk):
    topic = sel.topic_by_id(topic_id=pk)
    if topic is None or not sel.user_may_read_topic(user=request.user, topic=topic):
        raise Http404
    return topic


def _post_or_404(request, pk):
    post = sel.post_by_id(post_id=pk)
    if post is None or not sel.user_may_see_post(user=request.user, post=post):
        raise Http404
    return post


def _error(form, error: NetworkError, field=None):
    form.add_error(field, str(error.message))


@member_required
def category_list(request):
    categories = sel.categories_for_user(user=request.user)
    return render(
        request,
        "forums/category_list.html",
        {
            "categories": categories,
            "is_moderator": sel.user_is_forum_moderator(user=request.user),
        },
    )


@member_required
def category_detail(request, slug):
    category = _category_or_404(request, slug)
    paginator = Paginator(sel.category_topics(category=category, user=request.user), 30)
    page = paginator.get_page(request.GET.get("seite"))
    return render(
        request,
        "forums/category_detail.html",
        {
            "category": category,
            "page": page,
            "watch_form": WatchForm(
                initial={"level": category_watch_level(category=category, user=request.user)}
            ),
        },
    )


@member_required
def mention_suggestions(request, slug):
    """The composer's @ suggestions (JSON): only people who may read the category, and only for
    someone who may read it too."""
    category = _category_or_404(request, slug)
    results = sel.mention_suggestions(
        category=category, query=request.GET.get("q", ""), user=request.user
    )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def member_profile(request, handle):
    """A person's page in the network, where an @mention and the author line lead: name,
    handle, municipality and role; function and e-mail only as the person chose to show them."""
    found = sel.member_by_handle(handle=handle)
    if found is None:
        raise Http404
    person, membership = found
    return render(
        request,
        "forums/member.html",
        {"person": person, "handle": person.mention_handle.handle, "person_membership": membership},
    )


@member_required
@require_POST
def category_watch(request, slug):
    category = _category_or_404(request, slug)
    form = WatchForm(request.POST)
    if form.is_valid():
        svc.category_watch_set(
            category=category, user=request.user, level=form.cleaned_data["level"]
        )
        messages.success(request, _("Your notification setting was saved."))
    return redirect("network:forum_category", slug=category.slug)


@member_required
def topic_create(request, slug):
    category = _category_or_404(request, slug)
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = svc.topic_create(
                category=category,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except NetworkError as error:
            _error(form, error)
        else:
            if topic.post_count == 0:
                messages.info(
                    request,
                    _("Thank you. Your first post will appear once a moderator has approved it."),
                )
            return redirect("network:topic", pk=topic.pk)
    return render(request, "forums/topic_form.html", {"category": category, "form": form})


@member_required
def topic_detail(request, pk):
    user = request.user
    topic = sel.topic_for_page(topic_id=pk, user=user)
    if topic is None or not sel.user_may_read_topic(user=user, topic=topic):
        raise Http404
    page, posts = sel.topic_posts_page(topic=topic, user=user, number=request.GET.get("seite"))
    read_before, watch_level = topic.read_number, topic.watch_level
    is_moderator = sel.user_is_forum_moderator(user=user, category=topic.category)
    for post in posts:
        post.is_unread = post.number > read_before
    sel.posts_set_permissions(user=user, topic=topic, posts=posts, is_moderator=is_moderator)
    if posts and posts[-1].number > read_before:
        svc.read_mark(topic=topic, user=user, number=posts[-1].number)
    may_post = sel.user_may_post_in_topic(user=user, topic=topic)
    return render(
        request,
        "forums/topic_detail.html",
        {
            "topic": topic,
            "page": page,
            "posts": posts,
            "posts_html": render_posts(
                request, topic=topic, posts=posts, is_moderator=is_moderator, may_post=may_post
            ),
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
    topic = _topic_or_404(request, pk)
    number = sel.topic_first_unread_number(topic=topic, user=request.user)
    if number is None:
        number = topic.last_number
    page = sel.topic_page_of_number(topic=topic, user=request.user, number=number)
    return redirect(f"{reverse('network:topic', args=[topic.pk])}?seite={page}#beitrag-{number}")


@member_required
def post_jump(request, pk):
    post = _post_or_404(request, pk)
    page = sel.topic_page_of_number(topic=post.topic, user=request.user, number=post.number)
    return redirect(
        f"{reverse('network:topic', args=[post.topic_id])}?seite={page}#beitrag-{post.number}"
    )


@member_required
def topic_reply(request, pk):
    topic = _topic_or_404(request, pk)
    quoted = sel.post_for_reply(topic=topic, user=request.user, post_id=request.GET.get("zitat"))
    if request.method == "POST":
        form = PostForm(request.POST, request.FILES)
        reply_to = sel.post_for_reply(
            topic=topic, user=request.user, post_id=request.POST.get("reply_to")
        )
        if form.is_valid():
            try:
                post = svc.post_create(
                    topic=topic,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    reply_to=reply_to,
                    files=form.cleaned_data["attachments"],
                )
            except NetworkError as error:
                _error(form, error, "body" if not isinstance(error, NotAllowed) else None)
            else:
                if post.status == "held":
                    messages.info(
                        request,
                        _("Thank you. Your post will appear once a moderator has approved it."),
                    )
                return redirect("network:post_jump", pk=post.pk)
        quoted = reply_to
    else:
        initial = {"body": svc.quote_text(post=quoted)} if quoted else {}
        form = PostForm(initial=initial)
    return render(
        request,
        "forums/reply_form.html",
        {"topic": topic, "form": form, "quoted": quoted},
    )


@member_required
@require_POST
def topic_watch(request, pk):
    topic = _topic_or_404(request, pk)
    form = WatchForm(request.POST)
    if form.is_valid():
        svc.topic_watch_set(topic=topic, user=request.user, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification setting was saved."))
    return redirect("network:topic", pk=topic.pk)


@member_required
def post_edit(request, pk):
    post = _post_or_404(request, pk)
    if not sel.user_may_edit_post(user=request.user, post=post):
        raise PermissionDenied
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            svc.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        except NetworkError as error:
            _error(form, error, "body")
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("network:post_jump", pk=post.pk)
    return render(request, "forums/post_edit.html", {"post": post, "form": form})


@member_required
def post_delete(request, pk):
    post = _post_or_404(request, pk)
    if not sel.user_may_delete_post(user=request.user, post=post):
        raise PermissionDenied
    own = post.author_id == request.user.pk
    form = (OptionalReasonForm if own else ReasonForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.post_delete(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except NetworkError as error:
            _error(form, error)
        else:
            messages.success(request, _("The post was deleted."))
            return redirect("network:topic", pk=post.topic_id)
    return render(request, "forums/post_delete.html", {"post": post, "form": form, "own": own})


@member_required
@require_POST
def post_helpful(request, pk):
    post = _post_or_404(request, pk)
    try:
        svc.reaction_toggle(post=post, user=request.user)
    except NetworkError as error:
        messages.error(request, error.message)
    return redirect("network:post_jump", pk=post.pk)


@member_required
@require_POST
def post_best_answer(request, pk):
    post = _post_or_404(request, pk)
    topic = post.topic
    try:
        unset = topic.best_answer_id == post.pk
        svc.best_answer_set(topic=topic, by=request.user, post=None if unset else post)
    except NotAllowed as error:
        raise PermissionDenied from error
    except NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The best answer was removed.") if unset else _("Marked as the best answer."),
        )
    return redirect("network:post_jump", pk=post.pk)


@member_required
def post_report(request, pk):
    post = _post_or_404(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.post_report(post=post, by=request.user, reason=form.cleaned_data["reason"])
        except NotAllowed as error:
            raise PermissionDenied from error
        except NetworkError as error:
            _error(form, error, "reason")
        else:
            messages.success(request, _("Thank you. The moderators will look at the post."))
            return redirect("network:post_jump", pk=post.pk)
    return render(request, "forums/post_report.html", {"post": post, "form": form})


@member_required
def post_revisions(request, pk):
    post = _post_or_404(request, pk)
    if not sel.user_is_forum_moderator(user=request.user, category=post.topic.category):
        raise PermissionDenied
    revisions = PostRevision.objects.filter(post=post).select_related("edited_by")
    return render(request, "forums/post_revisions.html", {"post": post, "revisions": revisions})


@moderator_required
def post_hide(request, pk):
    post = _post_or_404(request, pk)
    if not sel.user_is_forum_moderator(user=request.user, category=post.topic.category):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.post_hide(
                post=post,
                by=request.user,
                reason=form.cleaned_data["reason"],
                hidden=not post.is_hidden,
            )
        except NetworkError as error:
            _error(form, error, "reason")
        else:
            messages.success(request, _("Done. The action was logged."))
            return redirect("network:post_jump", pk=post.pk)
    return render(request, "forums/post_hide.html", {"post": post, "form": form})


@moderator_required
def topic_moderate(request, pk):
    topic = _topic_or_404(request, pk)
    if not sel.user_is_forum_moderator(user=request.user, category=topic.category):
        raise PermissionDenied
    form = TopicModerationForm(
        request.POST or None, categories=sel.categories_moderated_by(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.topic_moderate(
                topic=topic,
                by=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                category=form.cleaned_data["category"],
            )
        except NotAllowed:
            form.add_error(None, _("This action is not possible here."))
        except NetworkError as error:
            _error(form, error)
        else:
            messages.success(request, _("Done. The action was logged."))
            if form.cleaned_data["action"] == ModerationAction.DELETE_TOPIC:
                return redirect("network:forum_category", slug=topic.category.slug)
            return redirect("network:topic", pk=topic.pk)
    return render(request, "forums/topic_moderate.html", {"topic": topic, "form": form})


@moderator_required
def moderation_queue(request):
    return render(
        request,
        "forums/moderation_queue.html",
        {
            "reports": sel.moderation_open_reports(user=request.user),
            "held": sel.moderation_held_posts(user=request.user),
            "log": sel.moderation_log(user=request.user),
            "form": OptionalReasonForm(),
        },
    )


@moderator_required
@require_POST
def moderation_report(request, pk):
    report = (
        PostReport.objects.select_related("post__topic__category", "reporter")
        .filter(pk=pk, status=ReportStatus.OPEN)
        .first()
    )
    if report is None:
        raise Http404
    try:
        svc.report_decide(
            report=report,
            by=request.user,
            reason=request.POST.get("reason", ""),
            resolved=request.POST.get("decision") == "resolve",
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done. The action was logged."))
    return redirect("network:moderation")


@moderator_required
@require_POST
def moderation_held(request, pk):
    post = sel.post_by_id(post_id=pk)
    if post is None:
        raise Http404
    try:
        svc.post_review(
            post=post,
            by=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except NotAllowed as error:
        raise PermissionDenied from error
    except NetworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done. The action was logged."))
    return redirect("network:moderation")


@member_required
def attachment_download(request, pk):
    """Files are served only here, after the same check as the post they belong to."""
    attachment = sel.attachment_by_id(attachment_id=pk)
    if attachment is None or not sel.user_may_download_attachment(
        user=request.user, attachment=attachment
    ):
        raise Http404
    return private_file_response(
        file=attachment.file, name=attachment.original_name, content_type=attachment.content_type
    )
