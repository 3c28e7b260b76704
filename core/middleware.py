import hashlib

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.cache import cache
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


class AnonymousPageCacheMiddleware:
    """Whole pages for visitors who are not logged in, kept for a few seconds in the cache.

    Every anonymous visitor of a public page gets the same HTML (German or English), so a page
    is rendered once per ANONYMOUS_PAGE_CACHE_SECONDS and language, and served from the cache in
    between. Nothing of a person is ever kept: only GET requests that carry no cookie but the
    language and CSRF cookies are served or stored (a session cookie, a message or a login
    means the page is made for that request), only HTML answers 200 that set no cookie, touch no
    session and do not say private/no-cache/no-store. The key holds the content versions named in
    ANONYMOUS_PAGE_CACHE_VERSION_KEYS (publishing a page or changing a practice example bumps
    one), so published changes show at once; anything else (seats left, new dates) is at most
    ANONYMOUS_PAGE_CACHE_SECONDS old. The cache is Django's (Redis in production).

    It sits after the session and locale middleware: a cached answer still passes those and the
    security, CSP and WhiteNoise middleware on its way out, like a fresh one.
    """

    allowed_cookies = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})
    private_directives = ("private", "no-cache", "no-store")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if not seconds or not self.request_is_anonymous(request):
            return self.get_response(request)
        key = self.key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if self.response_is_shared(request, response):
            # A rendered response pickles with its content and headers (the way Django's own
            # cache middleware keeps pages).
            cache.set(key, response, seconds)
        return response

    def request_is_anonymous(self, request) -> bool:
        return (
            request.method == "GET"
            and self.allowed_cookies.issuperset(request.COOKIES)
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def key(self, request) -> str:
        version_keys = settings.ANONYMOUS_PAGE_CACHE_VERSION_KEYS
        versions = cache.get_many(version_keys)
        parts = [request.build_absolute_uri(), translation.get_language() or ""]
        parts += [str(versions.get(key)) for key in version_keys]
        fingerprint = hashlib.sha256("|".join(parts).encode()).hexdigest()
        return f"anonymous-page:{fingerprint}"

    def response_is_shared(self, request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        session = getattr(request, "session", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith("text/html")
            and not any(directive in cache_control for directive in self.private_directives)
            and not (session is not None and (session.modified or session.session_key))
        )
