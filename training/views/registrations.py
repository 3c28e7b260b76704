"""A person's registrations and their municipality's: the lists, cancelling a seat, leaving the
waiting list. Ids of registrations the user may not manage answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import member_page_cache
from network.selectors.memberships import user_is_coordinator, user_membership
from training.exceptions import TrainingError
from training.models import Registration, RegistrationStatus
from training.selectors import (
    municipality_completed_courses,
    municipality_registrations,
    user_is_trainer_account,
    user_may_manage_registration,
    user_registrations,
)
from training.services.registration import registration_cancel
from training.services.waiting_list import registration_leave_waiting_list


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def managed_registration(request, pk: int) -> Registration:
    """A registration the user may manage; 404 otherwise, so ids of others reveal nothing."""
    registration = get_object_or_404(
        Registration.objects.select_related("course_date__course", "participant", "municipality"),
        pk=pk,
    )
    if not user_may_manage_registration(user=request.user, registration=registration):
        raise Http404
    return registration


@login_required
@require_POST
def cancel(request, pk: int):
    """Cancel a seat (or, from the coordinator's lists, any live registration)."""
    registration = managed_registration(request, pk)
    try:
        cancelled = registration_cancel(registration=registration, by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        if cancelled.confirmed_at is None:
            messages.success(request, _("The place on the waiting list has been given up."))
        else:
            messages.success(request, _("The registration has been cancelled."))
    return redirect(_safe_next(request, reverse("training:my_training")))


@login_required
@require_POST
def leave_waiting_list(request, pk: int):
    """Leave the waiting list: never cancels a seat, even one given a moment ago."""
    registration = managed_registration(request, pk)
    try:
        registration_leave_waiting_list(registration=registration, by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The place on the waiting list has been given up."))
    return redirect(_safe_next(request, reverse("training:my_training")))


@member_page_cache
@login_required
def my_training(request):
    registrations = list(user_registrations(user=request.user))  # latest date first
    live = [r for r in registrations if r.status != RegistrationStatus.CANCELLED]
    now = timezone.now()
    return render(
        request,
        "training/my_training.html",
        {
            # The dates to come first, the next one at the top, then those past, latest first.
            "live": [r for r in reversed(live) if r.course_date.end >= now]
            + [r for r in live if r.course_date.end < now],
            "cancelled": [r for r in registrations if r.status == RegistrationStatus.CANCELLED],
            "certificates": [r for r in registrations if r.certificate_number],
            "is_trainer": user_is_trainer_account(user=request.user),
        },
    )


@login_required
def our_training(request):
    if not user_is_coordinator(user=request.user):
        raise PermissionDenied
    municipality = user_membership(user=request.user).municipality
    return render(
        request,
        "training/our_training.html",
        {
            "municipality": municipality,
            "registrations": list(municipality_registrations(municipality=municipality)),
            "completed": municipality_completed_courses(municipality=municipality),
        },
    )
