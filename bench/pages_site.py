"""Settings and URLconf of the page benchmark (bench/pages.py): the project's own, plus one bare
view rendering a trivial template — only here, never in production URLs."""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.pages_site"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates_bench"]
# The bench serves its static files through WhiteNoise's finders, as the tests do.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}


def bare(request):
    from django.shortcuts import render

    return render(request, "bench_bare.html", {"title": "bare"})


def __getattr__(name):
    # The URLconf is read after Django is set up; this module is imported earlier, as settings.
    if name == "urlpatterns":
        from django.urls import path

        from config.urls import urlpatterns

        return [path("bench/bare/", bare), *urlpatterns]
    raise AttributeError(name)
