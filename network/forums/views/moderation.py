"""The moderators' pages: hiding posts, moderating topics, the queue of reports and held
posts."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.exceptions import NetworkError, NotAllowed
from network.forums.forms import OptionalReasonForm, ReasonForm, TopicModerationForm
from network.forums.models import ModerationAction, PostReport, ReportStatus
from network.forums.selectors.moderation import (
    categories_moderated_by,
    moderation_held_posts,
    moderation_log,
    moderation_open_reports,
)
from network.forums.selectors.permissions import user_is_forum_moderator
from network.forums.selectors.posts import post_by_id
from network.forums.services import moderation as moderation_svc
from network.forums.services.moderation import post_review, report_decide
from network.forums.views.access import form_error, moderator_required, post_or_404, topic_or_404


@moderator_required
def post_hide(request, pk):
    post = post_or_404(request, pk)
    if not user_is_forum_moderator(user=request.user, category=post.topic.category):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_svc.post_hide(
                post=post,
                by=request.user,
                reason=form.cleaned_data["reason"],
                hidden=not post.is_hidden,
            )
        except NetworkError as error:
            form_error(form, error, "reason")
        else:
            messages.success(request, _("Done. The action was logged."))
            return redirect("network:post_jump", pk=post.pk)
    return render(request, "forums/post_hide.html", {"post": post, "form": form})


@moderator_required
def topic_moderate(request, pk):
    topic = topic_or_404(request, pk)
    if not user_is_forum_moderator(user=request.user, category=topic.category):
        raise PermissionDenied
    form = TopicModerationForm(
        request.POST or None, categories=categories_moderated_by(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            moderation_svc.topic_moderate(
                topic=topic,
                by=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                category=form.cleaned_data["category"],
            )
        except NotAllowed:
            form.add_error(None, _("This action is not possible here."))
        except NetworkError as error:
            form_error(form, error)
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
            "reports": moderation_open_reports(user=request.user),
            "held": moderation_held_posts(user=request.user),
            "log": moderation_log(user=request.user),
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
        report_decide(
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
    post = post_by_id(post_id=pk)
    if post is None:
        raise Http404
    try:
        post_review(
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
