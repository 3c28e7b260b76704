"""What the forum pages share: the moderator check and looking up a category, topic or post
through the reader's visibility (404 otherwise)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.middleware import redirect_to_mfa_setup, staff_needs_mfa
from network.exceptions import NetworkError
from network.forums.selectors.permissions import (
    user_is_forum_moderator,
    user_may_read_category,
    user_may_read_topic,
    user_may_see_post,
)
from network.forums.selectors.posts import post_by_id
from network.forums.selectors.topics import category_by_slug, topic_by_id


def moderator_required(view):
    """A forum moderator of some category; staff also need their second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if staff_needs_mfa(request):
            return redirect_to_mfa_setup(request)
        if not user_is_forum_moderator(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def category_or_404(request, slug):
    category = category_by_slug(slug=slug)
    if category is None or not user_may_read_category(user=request.user, category=category):
        raise Http404
    return category


def topic_or_404(request, pk):
    topic = topic_by_id(topic_id=pk)
    if topic is None or not user_may_read_topic(user=request.user, topic=topic):
        raise Http404
    return topic


def post_or_404(request, pk):
    post = post_by_id(post_id=pk)
    if post is None or not user_may_see_post(user=request.user, post=post):
        raise Http404
    return post


def form_error(form, error: NetworkError, field=None):
    form.add_error(field, str(error.message))
