from django.urls import path, re_path

from cms import views

app_name = "cms"

urlpatterns = [
    path("suche/", views.search, name="search"),
    # Wagtail's own pattern: anonymous visitors get cached pages before Wagtail routes the path;
    # everything else goes on to wagtail.views.serve.
    re_path(r"^(?!_util/)(?P<path>(?:[\w\-]+/)*)$", views.serve_page, name="page"),
]
