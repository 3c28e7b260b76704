"""A post's pages and actions: edit, delete, "hilfreich", best answer, report, earlier
versions, and its attachments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.attachments import attachment_response
from network.decorators import member_required
from network.exceptions import NetworkError, NotAllowed
from network.forums.forms import EditPostForm, OptionalReasonForm, ReasonForm
from network.forums.models import PostRevision
from network.forums.selectors.permissions import (
    user_is_forum_moderator,
    user_may_delete_post,
    user_may_download_attachment,
    user_may_edit_post,
)
from network.forums.selectors.posts import attachment_by_id
from network.forums.services import moderation as moderation_svc
from network.forums.services import posts as posts_svc
from network.forums.services.posts import best_answer_set, reaction_toggle
from network.forums.views.access import form_error, post_or_404


@member_required
def post_edit(request, pk):
    post = post_or_404(request, pk)
    if not user_may_edit_post(user=request.user, post=post):
        raise PermissionDenied
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            posts_svc.post_edit(post=post, by=request.user, body=form.cleaned_data["body"])
        except NetworkError as error:
            form_error(form, error, "body")
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("network:post_jump", pk=post.pk)
    return render(request, "forums/post_edit.html", {"post": post, "form": form})


@member_required
def post_delete(request, pk):
    post = post_or_404(request, pk)
    if not user_may_delete_post(user=request.user, post=post):
        raise PermissionDenied
    own = post.author_id == request.user.pk
    form = (OptionalReasonForm if own else ReasonForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_svc.post_delete(
                post=post, by=request.user, reason=form.cleaned_data["reason"]
            )
        except NetworkError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The post was deleted."))
            return redirect("network:topic", pk=post.topic_id)
    return render(request, "forums/post_delete.html", {"post": post, "form": form, "own": own})


@member_required
@require_POST
def post_helpful(request, pk):
    post = post_or_404(request, pk)
    try:
        reaction_toggle(post=post, user=request.user)
    except NetworkError as error:
        messages.error(request, error.message)
    return redirect("network:post_jump", pk=post.pk)


@member_required
@require_POST
def post_best_answer(request, pk):
    post = post_or_404(request, pk)
    topic = post.topic
    try:
        unset = topic.best_answer_id == post.pk
        best_answer_set(topic=topic, by=request.user, post=None if unset else post)
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
    post = post_or_404(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_svc.post_report(
                post=post, by=request.user, reason=form.cleaned_data["reason"]
            )
        except NotAllowed as error:
            raise PermissionDenied from error
        except NetworkError as error:
            form_error(form, error, "reason")
        else:
            messages.success(request, _("Thank you. The moderators will look at the post."))
            return redirect("network:post_jump", pk=post.pk)
    return render(request, "forums/post_report.html", {"post": post, "form": form})


@member_required
def post_revisions(request, pk):
    post = post_or_404(request, pk)
    if not user_is_forum_moderator(user=request.user, category=post.topic.category):
        raise PermissionDenied
    revisions = PostRevision.objects.filter(post=post).select_related("edited_by")
    return render(request, "forums/post_revisions.html", {"post": post, "revisions": revisions})


@member_required
def attachment_download(request, pk):
    """Files are served only here, after the same check as the post they belong to."""
    attachment = attachment_by_id(attachment_id=pk)
    if attachment is None or not user_may_download_attachment(
        user=request.user, attachment=attachment
    ):
        raise Http404
    return attachment_response(attachment)
