"""A person's notifications and their notification settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network.decorators import member_required
from network.exceptions import NetworkError
from network.forums.forms import NotificationSettingsForm
from network.forums.models import MentionHandle, Notification
from network.forums.selectors.notifications import user_email_mode, user_notifications
from network.forums.services import notifications as svc
from network.forums.services.mentions import mention_handle_set


@member_required
def notification_list(request):
    page = Paginator(user_notifications(user=request.user), 30).get_page(request.GET.get("seite"))
    return render(request, "forums/notifications/list.html", {"page": page})


@member_required
def notification_open(request, pk):
    notification = Notification.objects.filter(user=request.user, pk=pk).first()
    if notification is None:
        raise Http404
    svc.notification_mark_read(user=request.user, notification_id=notification.pk)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return redirect(url)
    return redirect("network:notifications")


@member_required
@require_POST
def notification_read_all(request):
    svc.notification_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("network:notifications")


@member_required
def notification_settings(request):
    handle = MentionHandle.objects.filter(user=request.user).values_list("handle", flat=True)
    initial = {"email_mode": user_email_mode(user=request.user), "handle": next(iter(handle), "")}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            mention_handle_set(user=request.user, handle=form.cleaned_data["handle"])
        except NetworkError as error:
            form.add_error("handle", str(error.message))
        else:
            svc.notification_settings_set(
                user=request.user, email_mode=form.cleaned_data["email_mode"]
            )
            messages.success(request, _("Your notification settings were saved."))
            return redirect("network:notification_settings")
    return render(request, "forums/notifications/settings.html", {"form": form})
