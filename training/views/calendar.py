"""A person's private calendar feed: its settings page, renewing its address, the feed itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.calendar import feed_ical
from training.models import CalendarFeed
from training.selectors import calendar_registrations
from training.services.calendar_feed import calendar_feed_get_or_create, calendar_feed_renew


@login_required
def calendar_settings(request):
    feed = calendar_feed_get_or_create(user=request.user)
    url = request.build_absolute_uri(reverse("training:calendar_feed", args=[feed.token]))
    return render(request, "training/calendar.html", {"feed": feed, "feed_url": url})


@login_required
@require_POST
def calendar_renew(request):
    calendar_feed_renew(user=request.user)
    messages.success(
        request, _("Your calendar address has been renewed. The old one no longer works.")
    )
    return redirect("training:calendar")


def calendar_feed(request, token: str):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    dates = [r.course_date for r in calendar_registrations(user=feed.user)]
    response = HttpResponse(
        feed_ical(course_dates=dates), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
