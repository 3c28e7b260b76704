from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.selectors import user_has_mfa, user_is_landesjugendamt_staff

# Staff functions live under these paths; the board's and the network's own staff views use the
# core.decorators.staff_required decorator, which applies the same rule.
STAFF_PATH_PREFIXES = ("/admin/", "/django-admin/")


class RequireStaffMFAMiddleware:
    """Landesjugendamt staff must set up a second factor before they reach staff functions.

    Staff who have none are sent to allauth's TOTP set-up page, and come back afterwards.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(STAFF_PATH_PREFIXES) and staff_needs_mfa(request):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)


def staff_needs_mfa(request) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    is_staff = user.is_staff or user_is_landesjugendamt_staff(user=user)
    return is_staff and not user_has_mfa(user=user)


def redirect_to_mfa_setup(request):
    messages.warning(
        request,
        _(
            "Staff functions need a second factor. Please set up an authenticator app first; "
            "you will then be taken where you wanted to go."
        ),
    )
    request.session["mfa_setup_next"] = request.get_full_path()
    return redirect(reverse("mfa_activate_totp"))
