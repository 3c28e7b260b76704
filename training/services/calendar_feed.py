"""A person's private calendar feed: its secret address, and renewing it."""

from django.utils import timezone

from core.models import User
from training.models import CalendarFeed, _calendar_token


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_renew(*, user: User) -> CalendarFeed:
    """A new secret token: the old feed URL stops working at once."""
    feed = calendar_feed_get_or_create(user=user)
    feed.token = _calendar_token()
    feed.renewed_at = timezone.now()
    feed.save(update_fields=["token", "renewed_at"])
    return feed
