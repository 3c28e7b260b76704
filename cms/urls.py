from django.urls import path, re_path

from cms import views

app_name = "cms"

urlpatterns = [
    path("suche/", views.search, name="search"),
    path("medien/<int:pk>/untertitel.vtt", views.media_captions, name="media_captions"),
    re_path(
        r"^media/(?P<path>(?:media|media_thumbnails)/[^/]+)$",
        views.public_media,
        name="public_media",
    ),
]
