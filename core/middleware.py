from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.origins import websocket_origin_of
from core.selectors import user_has_mfa, user_needs_second_factor

# Staff functions live under these paths; the board's and the network's own staff views use the
# core.decorators.staff_required decorator, which applies the same rule.
STAFF_PATH_PREFIXES = ("/admin/", "/django-admin/")
# The admins' own login forms would check a password without allauth's rate limits and second
# factor; every request to them goes to allauth's login instead.
ADMIN_LOGIN_PATHS = ("/admin/login/", "/django-admin/login/")
MFA_SETUP_NEXT_SESSION_KEY = "mfa_setup_next"


class RequireStaffMFAMiddleware:
    """Landesjugendamt staff must set up a second factor before they reach staff functions.

    Staff who have none are sent to allauth's TOTP set-up page, and come back afterwards: the
    page they wanted is kept in the session, and once the authenticator is active the
    recovery-code page offers the way back (core:mfa_continue), or, when allauth skips that page,
    the redirect goes there directly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_LOGIN_PATHS):
            return redirect_to_allauth_login(request)
        if request.path.startswith(STAFF_PATH_PREFIXES) and staff_needs_mfa(request):
            return redirect_to_mfa_setup(request)
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 302
            and MFA_SETUP_NEXT_SESSION_KEY in getattr(request, "session", {})
            and request.path == reverse("mfa_activate_totp")
            and response.get("Location") == reverse("mfa_index")
            and request.user.is_authenticated
            and user_has_mfa(user=request.user)
        ):
            return HttpResponseRedirect(reverse("core:mfa_continue"))
        return response


def redirect_to_allauth_login(request):
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or request.path.rsplit("login/", 1)[0]
    login_url = resolve_url(settings.LOGIN_URL)
    return HttpResponseRedirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


def staff_needs_mfa(request) -> bool:
    return user_needs_second_factor(user=request.user)


def redirect_to_mfa_setup(request):
    messages.warning(
        request,
        _(
            "Staff functions need a second factor. Please set up an authenticator app first; "
            "you will then be taken where you wanted to go."
        ),
    )
    request.session[MFA_SETUP_NEXT_SESSION_KEY] = request.get_full_path()
    return redirect(reverse("mfa_activate_totp"))


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp, with two exceptions. Wagtail's admin still renders a few inline scripts (date
    pickers, inline panels), so under CSP_ADMIN_PREFIXES script-src also allows inline scripts,
    and the admin may frame itself. A preview (the page as Wagtail renders it for the admin's
    preview panel and its accessibility checker) may be framed by the admin too: Wagtail renders
    it through the whole middleware stack for a request to the page's own path, so the path
    alone does not tell it from a visit. The public site keeps the strict policy.

    And connect-src is 'self' plus this host's own WebSocket origin (the live board), never every
    ws:/wss: host. CSP Level 3 lets 'self' cover ws(s) on the same host (Chromium and Firefox do),
    browsers that only know Level 2 do not, so the origin is also named.
    """

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        own_socket = websocket_origin_of(request)
        if own_socket:
            parts.update = {**(parts.update or {}), "connect-src": [own_socket]}
        if report_only:
            return parts
        if is_admin_path(request):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-inline'"]}
        if is_admin_path(request) or getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


class AdminFramingMiddleware:
    """X-Frame-Options is DENY everywhere but in the admins, whose preview frames their own
    pages. Listed after Django's XFrameOptionsMiddleware, so it answers first and Django's
    middleware leaves the header alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_admin_path(request) and "X-Frame-Options" not in response:
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


def is_admin_path(request) -> bool:
    return request.path_info.startswith(tuple(settings.CSP_ADMIN_PREFIXES))


class GermanFirstLocaleMiddleware(LocaleMiddleware):
    """German unless the person chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English browser
    would get English pages without asking; a German public service answers in German and offers
    English as a choice. The choice is the language cookie that the switch sets.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
