import hashlib
import uuid

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


def page_cache_key(prefix: str, request, owner: str = "", version_keys: tuple = ()) -> str:
    """The key of a kept page: whose it is (nobody's, or a browser's cookies), the address, the
    language and the content versions of PAGE_CACHE_VERSION_KEYS (publishing a page or changing
    a practice example bumps one, cms.cache) and of `version_keys`, read in one round trip. A
    version not in the cache reads as None until its next bump (core.page_versions), and the
    browser's write version (MemberPageCacheMiddleware) expires: neither is added here."""
    version_keys = [*settings.PAGE_CACHE_VERSION_KEYS, *version_keys]
    versions = cache.get_many(version_keys)
    parts = [owner, request.build_absolute_uri(), translation.get_language() or ""]
    parts += [str(versions.get(key)) for key in version_keys]
    fingerprint = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return f"{prefix}:{fingerprint}"


def html_answer_to_keep(response, cookies_as_sent: dict | None = None) -> bool:
    """An HTML page answered 200 that no view marked as not to be kept and that sets no cookie,
    except ones that the request sent with the same value (Django's CSRF middleware sets its
    cookie again on every page with a form, to keep it from expiring)."""
    cache_control = response.get("Cache-Control", "")
    cookies_as_sent = cookies_as_sent or {}
    return (
        response.status_code == 200
        and not response.streaming
        and all(
            cookies_as_sent.get(name) == morsel.value for name, morsel in response.cookies.items()
        )
        and response.get("Content-Type", "").startswith("text/html")
        and "no-cache" not in cache_control
        and "no-store" not in cache_control
    )


class AnonymousPageCacheMiddleware:
    """Whole pages for visitors who are not logged in, kept for a few seconds in the cache.

    Every anonymous visitor of a public page gets the same HTML (German or English), so a page
    is rendered once per ANONYMOUS_PAGE_CACHE_SECONDS and language, and served from the cache in
    between. Nothing of a person is ever kept: only GET requests that carry no cookie but the
    language and CSRF cookies are served or stored (a session cookie, a message or a login
    means the page is made for that request), only HTML answers 200 that set no cookie, touch no
    session and do not say private/no-cache/no-store. The key holds the content versions named in
    PAGE_CACHE_VERSION_KEYS (publishing a page or changing a practice example bumps one), so
    published changes show at once; anything else (seats left, new dates) is at most
    ANONYMOUS_PAGE_CACHE_SECONDS old. The cache is Django's (Redis in production).

    It sits after the session and locale middleware: a cached answer still passes those and the
    security, CSP and WhiteNoise middleware on its way out, like a fresh one.
    """

    allowed_cookies = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.ANONYMOUS_PAGE_CACHE_SECONDS
        if not seconds or not self.request_is_anonymous(request):
            return self.get_response(request)
        key = page_cache_key("anonymous-page", request)
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

    def response_is_shared(self, request, response) -> bool:
        session = getattr(request, "session", None)
        return (
            html_answer_to_keep(response)
            and "private" not in response.get("Cache-Control", "")
            and not (session is not None and (session.modified or session.session_key))
        )


class MemberPageCacheMiddleware:
    """The member pages people read most (marked with @member_page_cache: the dashboard, my
    training, the forums, a topic, the practice examples, a board room), kept for one browser
    for MEMBER_PAGE_CACHE_SECONDS.

    Reading the session and the person, and rendering the page, cost several milliseconds per
    request; a reload, a second tab or coming back to the page within those seconds is served
    from Django's cache (Redis in production) without either. The key holds the browser's whole
    Cookie header (its session, so nobody else's browser ever gets the page; after logging out
    or in the session is another), the address, the language, the content versions of
    PAGE_CACHE_VERSION_KEYS, the versions the view names (core.page_versions: every change in
    the forums, of a board room or a moderation bumps one, so a reply or an archiving shows at
    once) and the browser's own write version: every request of that session that may change
    something (any method but GET/HEAD/OPTIONS, and every redirect) bumps it, so what a person
    did shows at once on the next page. What else others did (a seat given by the coordinator,
    a new notification) is at most MEMBER_PAGE_CACHE_SECONDS old.

    Only answers 200 with HTML that set no cookie, leave the session unchanged, said no
    no-cache/no-store and showed no message are kept. The look-up happens in process_view, after
    login_required and member_required have been decided for the first answer only: a kept page
    is only ever served to the session it was rendered for.
    """

    safe_methods = frozenset({"GET", "HEAD", "OPTIONS"})
    key_attribute = "_member_page_cache_key"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session_cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not session_cookie or not settings.MEMBER_PAGE_CACHE_SECONDS:
            return response
        if request.method not in self.safe_methods or 300 <= response.status_code < 400:
            cache.set(
                self.write_version_key(session_cookie),
                uuid.uuid4().hex,
                settings.MEMBER_PAGE_CACHE_SECONDS + 60,
            )
        elif (key := getattr(request, self.key_attribute, None)) and self.response_is_kept(
            request, response
        ):
            cache.set(key, response, settings.MEMBER_PAGE_CACHE_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        session_cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        page_versions = getattr(view_func, "member_page_cache", None)
        if not (
            settings.MEMBER_PAGE_CACHE_SECONDS
            and session_cookie
            and request.method == "GET"
            and page_versions is not None
        ):
            return None
        key = page_cache_key(
            "member-page",
            request,
            owner=request.META.get("HTTP_COOKIE", ""),
            version_keys=(*page_versions, self.write_version_key(session_cookie)),
        )
        response = cache.get(key)
        if response is None:
            setattr(request, self.key_attribute, key)
        return response

    @staticmethod
    def write_version_key(session_cookie: str) -> str:
        return f"member-page-writes:{hashlib.sha256(session_cookie.encode()).hexdigest()}"

    def response_is_kept(self, request, response) -> bool:
        session = getattr(request, "session", None)
        return (
            html_answer_to_keep(response, request.COOKIES)
            and not (session is not None and session.modified)
            and not len(messages.get_messages(request))
        )
