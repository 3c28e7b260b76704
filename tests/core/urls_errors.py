"""A URL configuration for the error-page tests: the site's URLs plus views that fail."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from config.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("the database is gone")


urlpatterns = [
    path("test-403/", _forbidden),
    path("test-500/", _broken),
    *urlpatterns,
]
