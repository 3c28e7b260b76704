"""Forum pages of the categories and members: the list, a category's topics, watching a
category, @mention suggestions and a member's page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import member_page_cache
from network.decorators import member_required
from network.forums.forms import WatchForm
from network.forums.page_versions import FORUMS_VERSION_KEY
from network.forums.selectors import mentions as mentions_sel
from network.forums.selectors.mentions import member_by_handle
from network.forums.selectors.notifications import category_watch_level
from network.forums.selectors.permissions import user_is_forum_moderator
from network.forums.selectors.topics import categories_for_user, category_topics
from network.forums.services.watching import category_watch_set
from network.forums.views.access import category_or_404


@member_page_cache(versions=(FORUMS_VERSION_KEY,))
@member_required
def category_list(request):
    categories = categories_for_user(user=request.user)
    return render(
        request,
        "forums/category_list.html",
        {
            "categories": categories,
            "is_moderator": user_is_forum_moderator(user=request.user),
            "table_version": _table_version(categories),
        },
    )


def _table_version(categories) -> tuple:
    """Everything the table of categories shows, with the language and the time zone it shows
    them in: the key of its cached markup, so a new topic or post, a rename or a change of who
    may read a category is a new key."""
    return (
        get_language(),
        get_current_timezone_name(),
        *(
            (c.pk, c.name, c.slug, c.description, c.visibility, c.topic_total, c.last_activity)
            for c in categories
        ),
    )


@member_page_cache(versions=(FORUMS_VERSION_KEY,))
@member_required
def category_detail(request, slug):
    category = category_or_404(request, slug)
    paginator = Paginator(category_topics(category=category, user=request.user), 30)
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
    category = category_or_404(request, slug)
    results = mentions_sel.mention_suggestions(
        category=category, query=request.GET.get("q", ""), user=request.user
    )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def member_profile(request, handle):
    """A person's page in the network, where an @mention and the author line lead: name,
    handle, municipality and role; function and e-mail only as the person chose to show them."""
    found = member_by_handle(handle=handle)
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
    category = category_or_404(request, slug)
    form = WatchForm(request.POST)
    if form.is_valid():
        category_watch_set(category=category, user=request.user, level=form.cleaned_data["level"])
        messages.success(request, _("Your notification setting was saved."))
    return redirect("network:forum_category", slug=category.slug)
