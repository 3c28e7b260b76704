"""The notification link with its unread badge, for the header's account navigation."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from network.forums.selectors.notifications import user_unread_count
from network.selectors.memberships import user_is_member

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_badge(context):
    """One list item: "Benachrichtigungen" and the unread count (members only; the count came
    with the request's user). The live `notification.new` frame updates the element marked
    data-notification-count."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user_is_member(user=user):
        return ""
    count = user_unread_count(user=user)
    url = reverse("network:notifications")
    current = ' aria-current="page"' if request.path == url else ""
    # The count and its "unread" hide together: with nothing unread the link is called just
    # "Benachrichtigungen", not "Benachrichtigungen ungelesen".
    return format_html(
        '<li><a href="{}"{}>{}<span data-notification-unread{}> <span class="badge" '
        'data-notification-count>{}</span><span class="visually-hidden"> {}</span></span></a></li>',
        url,
        mark_safe(current),
        _("Notifications"),
        "" if count else mark_safe(" hidden"),
        count,
        _("unread"),
    )
