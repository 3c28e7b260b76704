"""The browser layer: a live ASGI server, Debian's Chromium through Playwright, and helpers.

Browser journeys run in their own pytest process (pytest-playwright and pytest-asyncio clash):

    .venv/bin/python -m pytest -p no:asyncio tests/e2e -q

What this file gives a journey:
- `live_url`: the base URL of config.asgi:application (HTTP and WebSockets) served by uvicorn in a
  thread of this process, so a test reads `mailoutbox` (locmem) and shares the in-memory channel
  layer and cache with the server. Every e2e test runs on `transactional_db` with serialized
  rollback, so what a test creates is visible to the server and the data of the migrations
  (Wagtail's root page, groups) is there in every test.
- `page`, `context`, `new_context` (pytest-playwright's, launched on /usr/bin/chromium, German
  locale, `base_url` set to the live server: `page.goto("/konto/login/")`). Every page a journey
  visits must pass `assert_no_axe_violations(page)` (tests/e2e/axe.py): a test that navigates to a
  page and never checks it fails at teardown, and so does a page that answered 5xx or broke the
  Content Security Policy.
- `login(page, user)` through the real login form (answering the second-factor question for a
  user with an authenticator), `session_login(context, user)` without the form, `give_totp(user)`
  to set up an authenticator, `totp_code(secret)` for the code an app would show, and
  `mail_link(outbox, pattern)` for the link in the newest matching e-mail.

Without Chromium the journeys are skipped with the reason printed; with REQUIRE_SERVICES=1 they
fail. On SQLite the test database is a file: an in-memory one is not shared with the server's
thread.
"""

import html
import os
import re
import socket
import tempfile
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.axe import AXE_CHECKED_ATTR, PAGE_PROBLEMS_ATTR

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A page of this project answers in well under a second; waiting 30 s (Playwright's default) for
# an element that is not there only makes a failing run slow. E2E_TIMEOUT_MS=30000 for a slow box.
TIMEOUT_MS = int(os.environ.get("E2E_TIMEOUT_MS", "10000"))
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
# Playwright's sync API keeps an event loop in the main thread; the ORM calls a test makes there
# (factories, assertions) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_SQLITE_DIR = tempfile.mkdtemp(prefix="kinderstark-e2e-")


def pytest_configure(config):
    from django.conf import settings

    # The server thread opens its own database connections: an in-memory SQLite database would
    # be a different, empty one there.
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME"):
        database["TEST"]["NAME"] = str(Path(_SQLITE_DIR) / "test_e2e.sqlite3")
    # Static files straight from the apps' folders, as `runserver` would: no collectstatic needed.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # WhiteNoise's file responses are synchronous iterators; under ASGI Django says so each time.
    config.addinivalue_line(
        "filterwarnings", "ignore:StreamingHttpResponse must consume synchronous iterators"
    )


WRONG_PROCESS = (
    "browser journeys run in a pytest process of their own, without pytest-asyncio (it clashes "
    "with Playwright's sync API): python -m pytest -p no:asyncio tests/e2e"
)


def pytest_collection_modifyitems(config, items):
    wrong_process = config.pluginmanager.has_plugin(
        "asyncio"
    ) or not config.pluginmanager.has_plugin("playwright")
    for item in items:
        if "e2e" not in item.path.parts:
            continue
        item.add_marker(pytest.mark.browser)
        if wrong_process:
            item.add_marker(pytest.mark.skip(reason=WRONG_PROCESS))
        elif not item.get_closest_marker("django_db"):
            # Journeys run on transactional_db with serialized rollback (see the docstring).
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_rep_{report.when}", report)
    return report


def _missing_chromium() -> str | None:
    if Path(CHROMIUM).exists():
        return None
    return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"


# --- the live server --------------------------------------------------------------------------


class InFlight:
    """ASGI middleware that counts the connections the application is still handling, so a test
    can wait for the server to finish (a WebSocket consumer cleans up after the browser closed)
    before its data is flushed."""

    def __init__(self, application):
        self.application = application
        self.count = 0
        self.lock = threading.Lock()

    async def __call__(self, scope, receive, send):
        with self.lock:
            self.count += 1
        try:
            await self.application(scope, receive, send)
        finally:
            with self.lock:
                self.count -= 1

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True


class LiveASGIServer:
    """uvicorn serving config.asgi:application on 127.0.0.1 in a background thread."""

    def __init__(self, application):
        import uvicorn

        self.in_flight = InFlight(application)

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            self.in_flight,
            lifespan="off",  # Channels' ProtocolTypeRouter has no lifespan handler
            ws="websockets-sansio",
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live ASGI server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        from asgiref.sync import SyncToAsync
        from django.db import connections

        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()
        # Django's views ran in asgiref's single thread for thread-sensitive code; its database
        # connection would keep PostgreSQL from dropping the test database.
        SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)


def _plain_static_storage() -> None:
    """Serve static files under their plain names, without collectstatic's manifest.

    tests/conftest.py sets STORAGES, but Django built its storages during setup, before that;
    the signal a settings override sends makes it build them again from the current setting.
    """
    from django.conf import settings
    from django.test.signals import setting_changed

    setting_changed.send(
        sender=type(settings._wrapped), setting="STORAGES", value=settings.STORAGES, enter=True
    )


@pytest.fixture(scope="session")
def _chromium():
    """Skip (or, with REQUIRE_SERVICES=1, fail) every journey when there is no Chromium."""
    reason = _missing_chromium()
    if reason:
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def django_db_setup(_chromium, playwright, django_db_setup, django_db_blocker):
    """The test database, set up after Playwright started.

    Playwright's sync API runs the test code in a greenlet with a context of its own; Django keeps
    its connections per context, and serialized rollback stores the database's initial contents
    on the connection that set it up. Set up first, that would be a connection the tests never
    see, and the data of the migrations (groups, Wagtail's root page) would be lost after the
    first test.

    At the end, connections the server's worker threads left open are ended, so that PostgreSQL
    lets the test database be dropped."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(scope="session")
def live_server_asgi(django_db_setup, django_db_blocker):
    """The running server (session-wide; each test brings its own data)."""
    from django.conf import settings

    _plain_static_storage()
    with django_db_blocker.unblock():
        from config.asgi import application

        server = LiveASGIServer(application)
        server.start()
    # Links in e-mails that are built from SITE_URL point at this server.
    old = settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = server.url
    yield server
    settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL = old
    server.stop()


@pytest.fixture(scope="session")
def live_url(live_server_asgi) -> str:
    return live_server_asgi.url


@pytest.fixture(autouse=True)
def _e2e_server_per_test(live_server_asgi):
    """Fresh rate-limit counters for every journey (allauth keeps them in the cache); after it,
    the server finishes what the closed browser left (WebSocket disconnects) before the
    database is flushed."""
    from django.core.cache import cache

    cache.clear()
    yield
    if not live_server_asgi.in_flight.wait_idle(timeout=10):
        warnings.warn(
            f"the live server still handles {live_server_asgi.in_flight.count} connection(s) "
            "after the test; its database work may fail",
            stacklevel=1,
        )
    cache.clear()


DEMO_PASSWORD = "kinderstark-demo"


class Demo:
    """The demo data of `manage.py load_demo`, loaded into the test database: the logins of the
    README by role (`demo.member`, `demo.coordinator`, …) and `demo.password`."""

    password = DEMO_PASSWORD
    EMAILS = {
        "editor": "redaktion@lvr.example",
        "course_manager": "fortbildung@lwl.example",
        "coordinator": "koordination@dortmund.example",
        "member": "fachkraft@dortmund.example",
        "other_coordinator": "koordination@koeln.example",
    }

    def __getattr__(self, role):
        from django.contrib.auth import get_user_model

        try:
            email = self.EMAILS[role]
        except KeyError:
            raise AttributeError(role) from None
        return get_user_model().objects.get(email=email)


@pytest.fixture
def demo(live_url) -> Demo:
    """The journeys per role start where a new colleague starts: the demo data of `make run`,
    loaded by the same command."""
    from django.core.management import call_command

    call_command("load_demo", password=DEMO_PASSWORD, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Demo()


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(_chromium, browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": _chromium,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_url):
    """pytest-playwright gives every context this base URL: `page.goto("/konto/login/")`."""
    return live_url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "de-DE",
        "timezone_id": "Europe/Berlin",
        # No fade-ins: axe-core measures colour contrast as the page is at that moment.
        "reduced_motion": "reduce",
    }


class PageGuard:
    """Watches every page of every context a test opens: which documents it showed, and whether
    any of them failed (5xx, a Content Security Policy violation, an uncaught script error)."""

    def __init__(self):
        self.pages = []
        self.visited: dict[str, str] = {}  # url without fragment -> the full url, in order
        self.problems: list[str] = []

    def watch(self, page) -> None:
        self.pages.append(page)
        # assert_no_axe_violations reports these first, so a 500 fails where it happened.
        setattr(page, PAGE_PROBLEMS_ATTR, self.problems)
        page.on("framenavigated", lambda frame: self._navigated(page, frame))
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))

    def _navigated(self, page, frame) -> None:
        if frame == page.main_frame and frame.url.startswith("http"):
            self.visited.setdefault(_page_key(frame.url), frame.url)

    def _response(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.request.method} {response.url}")

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")

    def unchecked(self) -> list[str]:
        checked = set()
        for page in self.pages:
            checked |= getattr(page, AXE_CHECKED_ATTR, set())
        return [url for key, url in self.visited.items() if key not in checked]


def _page_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


@pytest.fixture
def page_guard(request):
    guard = PageGuard()
    yield guard
    call = getattr(request.node, "_e2e_rep_call", None)
    if call is None or not call.passed:
        return  # the test's own failure says more
    messages = list(guard.problems)
    unchecked = guard.unchecked()
    if unchecked:
        messages.append(
            "pages visited without assert_no_axe_violations(page): " + ", ".join(unchecked)
        )
    if messages:
        pytest.fail("\n".join(messages), pytrace=False)


@pytest.fixture
def new_context(new_context, page_guard):
    """pytest-playwright's `new_context`, with every page watched by the page guard.

    Pass any option but base_url, locale, timezone_id and reduced_motion (they are set for every
    context), e.g.
    `new_context(viewport={"width": 360, "height": 740})` for a phone-sized window."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", page_guard.watch)
        return context

    return make


# --- helpers ----------------------------------------------------------------------------------


def login(page, user, password: str | None = None) -> None:
    """Log `user` in through the real login form; the page is left where the login leads, every
    page on the way checked with axe-core. A user with an authenticator (see `give_totp`) also
    enters the code on allauth's second page."""
    from tests.e2e.axe import assert_no_axe_violations
    from tests.factories import PASSWORD

    page.goto("/konto/login/")
    assert_no_axe_violations(page)
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(password or PASSWORD)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")
    assert "/konto/login/" not in page.url, _page_errors(page)
    if "/konto/2fa/authenticate/" in page.url:
        assert_no_axe_violations(page)
        page.locator("input[name=code]").fill(fresh_totp_code(user))
        with page.expect_navigation():
            page.locator("input[name=code]").press("Enter")
        assert "/konto/2fa/authenticate/" not in page.url, _page_errors(page)
    assert_no_axe_violations(page)


def session_login(context, user) -> None:
    """Log `user` in without the login form (Django's force_login), for journeys whose subject is
    elsewhere. The session cookie is added to the browser context `context`."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    # SITE_URL is the live server's address while the journeys run.
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": settings.SITE_URL}])


def give_totp(user) -> str:
    """Set up an authenticator app (TOTP) for `user`, as if they had done it; returns the secret.
    `login` then answers allauth's second-factor question by itself."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    # StaffFactory gives staff an authenticator already; this one replaces it.
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def fresh_totp_code(user) -> str:
    """The code `user`'s authenticator app shows now, accepted even if it was used already."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    code = totp_code(decrypt(authenticator.data["secret"]))
    # allauth accepts a code once; a journey that logs the same person in twice within the
    # same 30 seconds would otherwise wait for the next one.
    cache.delete(TOTP(authenticator)._get_used_cache_key(code))
    return code


def answer_question(page, *, accept: bool = True) -> list[str]:
    """Answer the browser's next confirm() question (a form with data-confirm asks one before
    it gives a seat away) as the person would; returns a list that holds its text once asked."""
    asked: list[str] = []

    def answer(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", answer)
    return asked


def follow(page, target) -> None:
    """Click a link or press a button (a Locator) that loads a page, as a person does, and check
    the page reached with axe-core."""
    from tests.e2e.axe import assert_no_axe_violations

    with page.expect_navigation():
        target.click()
    assert_no_axe_violations(page)


def open_start(page) -> None:
    """The start page, where every journey begins; checked with axe-core."""
    from tests.e2e.axe import assert_no_axe_violations

    page.goto("/")
    assert_no_axe_violations(page)


def start_page(new_context):
    """A fresh browser (a context of its own) at the start page."""
    page = new_context().new_page()
    open_start(page)
    return page


def login_from_start(page, user, password: str) -> None:
    """From the start page through the header's "Anmelden" link and the login form, filled by
    the labels a person reads; then, for a user with an authenticator (see `give_totp`), the
    code it shows on allauth's second page. The page is left where the login leads."""
    open_start(page)
    follow(page, page.locator("header").get_by_role("link", name="Anmelden", exact=True))
    page.get_by_label("E-Mail:", exact=True).fill(user.email)
    page.get_by_label("Passwort:", exact=True).fill(password)
    follow(page, page.locator("main").get_by_role("button", name="Anmelden"))
    if "/konto/2fa/authenticate/" in page.url:
        page.get_by_label(re.compile(r"^Code")).fill(fresh_totp_code(user))
        follow(page, page.locator("main").get_by_role("button").first)
        assert "/konto/2fa/authenticate/" not in page.url, _page_errors(page)
    assert "/konto/login/" not in page.url, _page_errors(page)


MAX_TABS = 40


def focused(page) -> dict:
    """What has the keyboard focus, and whether it is visibly marked."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            tag: el.tagName.toLowerCase(),
            id: el.id,
            name: el.getAttribute("name"),
            text: (el.innerText || "").trim(),
            className: el.className,
            outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
            shadow: style.boxShadow !== "none",
            inViewport: (() => {
              const r = el.getBoundingClientRect();
              return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
            })(),
          };
        }"""
    )


def has_focus(target) -> bool:
    """Whether `target` (a Locator) has the keyboard focus."""
    return target.evaluate("el => el === document.activeElement")


def tab_to(page, target, *, key: str = "Tab", limit: int = MAX_TABS) -> dict:
    """Press Tab (or `key`, e.g. "Shift+Tab") until `target` — a CSS selector or a Locator — has
    the focus; every stop on the way must show where the focus is."""
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state["tag"] != "body":
            assert state["outline"] or state["shadow"], f"focus not visible on {state}"
        if isinstance(target, str):
            if page.evaluate("s => document.activeElement.matches(s)", target):
                return state
        elif has_focus(target):
            return state
    raise AssertionError(f"{target} not reached with {limit} presses of {key}")


def _page_errors(page) -> str:
    errors = page.locator(".errorlist, [role=alert], .message--error").all_inner_texts()
    return f"still on {page.url}: {' / '.join(errors) or 'no error shown'}"


def mail_link(outbox, pattern: str, *, to: str | None = None, timeout: float = 5.0) -> str:
    """The first link matching the regular expression `pattern` in the newest e-mail that has one
    (sent to `to`, if given), as a path with its query string, ready for `page.goto`.

    Mail sent after a commit may arrive a moment after the page that caused it: wait up to
    `timeout` seconds.
    """
    url_re = re.compile(r"https?://[^\s<>\"']+")
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(outbox):
            if to and to not in message.to:
                continue
            bodies = [message.body] + [
                content for content, _mime in getattr(message, "alternatives", [])
            ]
            for body in bodies:
                for url in url_re.findall(body):
                    if re.search(pattern, url):
                        parts = urlsplit(html.unescape(url))
                        return parts.path + (f"?{parts.query}" if parts.query else "")
        if time.monotonic() > deadline:
            summary = [f"{m.to}: {m.subject}" for m in outbox] or ["(no mail)"]
            raise AssertionError(
                f"no e-mail with a link matching {pattern!r}; outbox: " + "; ".join(summary)
            )
        time.sleep(0.1)


def totp_code(secret: str) -> str:
    """The current code an authenticator app shows for `secret` (allauth's own algorithm)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 3:
        # The code would change before the form reaches the server: wait for the next one.
        time.sleep(left + 0.1)
    counter = int(time.time()) // period
    return format_hotp_value(hotp_value(secret, counter))
