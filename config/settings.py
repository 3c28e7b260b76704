"""Settings for the kinderstark Lernnetzwerk, driven by environment variables.

Without any variable set, the project runs embedded: SQLite, the in-memory channel layer, a local
memory cache and e-mail on the console. Production sets PRODUCTION=1, DATABASE_URL, REDIS_URL,
SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL (see README.md).
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# PRODUCTION=1 turns on what only makes sense behind HTTPS (secure cookies, HSTS, SSL redirect)
# and makes SECRET_KEY mandatory. Without it the project runs embedded on http://127.0.0.1.
PRODUCTION = env.bool("PRODUCTION", default=False)

if "SECRET_KEY" in env:
    SECRET_KEY = env.str("SECRET_KEY")
elif PRODUCTION:
    raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=1.")
else:
    # Embedded (make run, tests): a key made up once and kept beside the checkout (git ignores
    # it), so sessions survive the development server's reloads.
    _key_file = BASE_DIR / ".secret_key"
    if not _key_file.exists():
        from django.core.management.utils import get_random_secret_key

        _key_file.write_text(get_random_secret_key())
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Application definition

INSTALLED_APPS = [
    "daphne",
    "core",
    "network",
    "network.forums",
    "network.practice",
    "training",
    "training.evaluation",
    "cms",
    "events",
    "channels",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtailmedia",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.CSPMiddleware",  # django-csp, relaxed for the admins' inline scripts
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.GermanFirstLocaleMiddleware",
    "core.middleware.AnonymousPageCacheMiddleware",  # after session and locale: see its text
    "core.middleware.MemberPageCacheMiddleware",  # before the views' own: see its text
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.RequireStaffMFAMiddleware",  # after messages: it leaves a message
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.AdminFramingMiddleware",  # after it: lets the admins frame themselves
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
                "cms.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Database: SQLite embedded, PostgreSQL (psycopg 3) through DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})
if "TEST_DATABASE_NAME" in env:
    # Several test runs side by side (a developer's and CI's) each get their own database.
    DATABASES["default"]["TEST"]["NAME"] = env.str("TEST_DATABASE_NAME")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Waits instead of "database is locked" when the ASGI server and a command write at once.
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DB_POOL = env.bool("DB_POOL", default=True) and not DATABASES["default"]["CONN_MAX_AGE"]
if USING_POSTGRES and DB_POOL:
    # Under ASGI every request runs in a thread of its own, so persistent connections are never
    # used again; psycopg's pool keeps them across requests instead (Django raises when both are
    # set: CONN_MAX_AGE > 0 turns the pool off).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=2),
        "max_size": env.int("DB_POOL_MAX", default=20),
        "timeout": env.int("DB_POOL_TIMEOUT", default=10),
    }
if USING_POSTGRES and env.bool("DB_SERVER_SIDE_BINDING", default=True):
    # Django's documented options for psycopg 3: a query's parameters travel apart from its SQL
    # instead of being quoted into it in Python, and psycopg prepares a statement once it has run
    # five times on a connection (Django turns that off by default for poolers such as PgBouncer
    # before 1.21; the pool keeps the connections, and with them their statements), so
    # PostgreSQL no longer plans the request user's query and the seat's queries for every
    # request. In the registration storm (bench/registration_storm.py) gunicorn spent about a
    # fifth less CPU per POST and PostgreSQL a third less per request.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# Redis: channel layer and cache. Without it, the in-memory layer and a local memory cache, which
# hold for one process (the embedded default runs one).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    from redis.asyncio.retry import Retry as AsyncRetry
    from redis.backoff import ExponentialWithJitterBackoff
    from redis.retry import Retry

    # After Redis restarts, every pooled connection is dead. redis-py gives pooled connections
    # no retry of their own (Retry(NoBackoff(), 0)), so each one would fail one command before it
    # is dropped, for as long as the pool keeps handing them out (a lost broadcast, a 503). With
    # a retry, a command that meets a dead connection reconnects and runs again; the backoff
    # (about 2 s in all) covers a restart. The health check pings a connection idle for 10 s
    # before it is used.
    def _redis_resilience(retry_class) -> dict:
        return {
            "retry": retry_class(ExponentialWithJitterBackoff(cap=0.5, base=0.05), 6),
            "health_check_interval": 10,
            "socket_connect_timeout": 2,
            "socket_keepalive": True,
        }

    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # A dict per host: channels_redis passes its keys to redis-py's connection pool.
                # Each group operation holds a connection; redis-py refuses the 101st by default,
                # fewer than a process's sockets that reconnect at once (tests/events/
                # test_layer_settings.py). Idle ones stay open in the pool.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": 1000,
                        **_redis_resilience(AsyncRetry),
                    }
                ],
                "prefix": env.str("CHANNEL_PREFIX", default="kinderstark"),
                # The defaults (100 messages, 60 s) drop frames under a burst to a busy room; the
                # board's record is PostgreSQL, so a client that still misses one syncs by id.
                "capacity": 1500,
                "expiry": 30,
                "group_expiry": 86400,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_PREFIX", default="kinderstark"),
            # Django passes OPTIONS to redis-py's connection pool.
            "OPTIONS": _redis_resilience(Retry),
        }
    }
else:
    # One process: Channels' own in-memory layer (development and the embedded default only).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 1500, "expiry": 30},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How often each daphne process checks that Redis still holds the channel layer's groups
# (events.layer_watch); 0: off, as with the in-memory layer.
BOARD_LAYER_WATCH_SECONDS = env.float(
    "BOARD_LAYER_WATCH_SECONDS", default=0.5 if REDIS_URL else 0.0
)

# Whole pages for anonymous visitors (core.middleware.AnonymousPageCacheMiddleware): kept this
# many seconds (0: off), and dropped at once when one of these versions changes (cms.cache bumps
# them on every publish and every change of a practice example).
ANONYMOUS_PAGE_CACHE_SECONDS = env.int("ANONYMOUS_PAGE_CACHE_SECONDS", default=5)
PAGE_CACHE_VERSION_KEYS = ["cms:content-version", "cms:practice-version"]
# The member pages people read most, for the browser that asked (core.middleware
# .MemberPageCacheMiddleware): kept this many seconds (0: off); what the person does shows at once,
# what others do at most this late.
MEMBER_PAGE_CACHE_SECONDS = env.int("MEMBER_PAGE_CACHE_SECONDS", default=5)

# Passwords
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "core.auth_backends.ModelBackend",
    "core.auth_backends.AuthenticationBackend",
]
# What the apps load with the user of each request, in the one query of core.auth_backends: a
# function taking and returning a queryset of users, whose selectors then read the answers.
REQUEST_USER_QUERYSET: list[str] = [
    "network.selectors.memberships.users_with_membership",
    "network.forums.selectors.notifications.users_with_unread_count",
]

# Internationalisation: German first, English second.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# core/locale_allauth comes first: allauth's German says „du“, the platform says „Sie“.
LOCALE_PATHS = [BASE_DIR / "core" / "locale_allauth", BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
# Dates by name (DATE_FORMAT, SHORT_DATETIME_FORMAT …), filled in per language: English reads
# "Tuesday, 5 January 2027", German "Dienstag, 5. Januar 2027".
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True

# Static and uploaded files
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# E-mail: the console by default, EMAIL_URL (smtp+tls://user:password@host:587) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# No request talks to SMTP: Django's mail API (ours, allauth's, Wagtail's) writes each message to
# the outbox (core.mail), and the task worker sends it through the backend EMAIL_URL names.
EMAIL_DELIVERY_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_BACKEND = "core.mail.OutboxBackend"
# An SMTP error is tried again after 1, 2, 4 … minutes (at most an hour between), at most this
# often; then the mail is failed and staff send it again from the admin.
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=8)
MAIL_RETRY_BASE_SECONDS = env.int("MAIL_RETRY_BASE_SECONDS", default=60)
# A queued mail due this long ago lost its task (a worker killed while sending): requeue_mail
# enqueues it again.
MAIL_STALLED_SECONDS = env.int("MAIL_STALLED_SECONDS", default=600)
# Sent mails are kept this long (what went out, for questions), then purge_sent_mail deletes them.
MAIL_RETENTION_DAYS = env.int("MAIL_RETENTION_DAYS", default=30)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="kinderstark Lernnetzwerk <noreply@kinderstark.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Background tasks (Django's task framework, the django-tasks backport): the database backend
# writes a task's row in the transaction that enqueues it; `manage.py db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# /healthz answers 503 when a task has waited longer than this for a worker.
TASKS_MAX_WAIT_SECONDS = env.int("TASKS_MAX_WAIT_SECONDS", default=300)

# Security headers everywhere; what needs HTTPS only in production.
SECURE = PRODUCTION
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env.bool("SECURE_SSL_REDIRECT", default=True)
# Behind a proxy that terminates TLS (deploy/nginx sets X-Forwarded-Proto), Django learns the
# request was https from the header; only where the proxy is the sole way in.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("TRUST_X_FORWARDED_PROTO", SECURE) else None
)
# How many proxies of ours stand in front of Django (deploy/: nginx, so 1). The client's address
# is then the last but TRUSTED_PROXY_COUNT-1 entry of X-Forwarded-For (each proxy appends the
# address it saw); without proxies it is REMOTE_ADDR. allauth's per-address limits and
# core.ratelimit read it through allauth's adapter, so behind nginx each person counts alone.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the database:
# the session of every member request without a query of its own.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_SAMESITE = "Lax"
# Nothing frames the site; only the admins frame themselves and Wagtail's previews (the preview
# panel and its accessibility checker), which core.middleware.AdminFramingMiddleware and
# core.middleware.CSPMiddleware allow under CSP_ADMIN_PREFIXES and for preview responses.
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Wagtail's admin sets style attributes from its own scripts.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        # Plus this host's own ws(s) origin (core.middleware.CSPMiddleware), nothing else.
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Wagtail's admin needs inline scripts of its own; the public site does not
# (core.middleware.CSPMiddleware adds 'unsafe-inline' to script-src under these prefixes only).
CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")

# Accounts (django-allauth): e-mail only, verified before the first login.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_ADAPTER = "core.adapters.AccountAdapter"
# Sign-up also asks for the name and the consent to the privacy notice.
ACCOUNT_SIGNUP_FORM_CLASS = "core.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[kinderstark] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "kinderstark Lernnetzwerk"
# Members of this group are Landesjugendamt staff: they need a second factor before staff pages.
STAFF_GROUP_NAME = "Landesjugendamt"

# Wagtail
WAGTAIL_SITE_NAME = "kinderstark Lernnetzwerk"
WAGTAILADMIN_BASE_URL = SITE_URL
# Staff log in through allauth (rate limits, MFA), never through Wagtail's own form.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Wagtail 8's autosave posts the edit form every 500 ms and races the editor's own "Submit" or
# "Approve": the page was created twice (duplicate slug) or the workflow action met a revision
# autosave had just replaced, and the editor got a 500 (tests/e2e/test_cms_journey.py). Saving is
# what the editor clicks, as before Wagtail 8.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# Without the unlabelled tag input that Wagtail's own document form has (axe: label).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Sign-language videos (cms.SignLanguagePage): wagtailmedia's library with our media model, which
# keeps each video's captions (WebVTT) and transcript. Formats every browser plays natively.
WAGTAILMEDIA = {
    "MEDIA_MODEL": "cms.CaptionedMedia",
    "VIDEO_EXTENSIONS": ["webm", "mp4"],
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "ogg"],
}
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "german" if USING_POSTGRES else None,
    }
}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: the admin asks no other site for anything (CSP, DSGVO).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# "My area" (/mein-bereich/): each app adds a section by one line here, a template that gets the
# request's context (user, membership) and renders one <section class="card"> with an h2.
DASHBOARD_PANELS: list[str] = ["practice/dashboard_practice.html"]
# What other apps add to the context of "My area" and the profile: name -> a function taking the
# user (keyword `user`) that returns the value. core imports no app; they join here.
ACCOUNT_PAGE_CONTEXT: dict[str, str] = {
    "membership": "network.selectors.memberships.user_membership"
}
# The benchmarks' yardstick (bench/): /bench/bare, a view rendering a trivial template through the
# whole middleware stack, served only when BENCH_BARE_VIEW=1. It shows nothing but a fixed text.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)
# /healthz: part -> a function without arguments that raises when that part does not answer (the
# database core checks itself). The parts are named in the answer, in this order.
HEALTH_CHECKS: dict[str, str] = {"channel_layer": "events.health.channel_layer"}

# Personal data (DSGVO): each module has export(user) -> dict, erase(user) and RETENTION; the
# account's "download my data" and "delete my account" call them in this order.
PRIVACY_MODULES = [
    "core.privacy",
    "network.privacy",
    "network.forums.privacy",
    "network.practice.privacy",
    "training.privacy",
    "training.evaluation.privacy",
    "events.privacy",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
