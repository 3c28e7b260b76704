from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.room_list, name="room_list"),
    path("neuer-raum/", views.room_create, name="room_create"),
    path("<slug:slug>/", views.room_detail, name="room_detail"),
    path("<slug:slug>/moderation/", views.room_moderation, name="room_moderation"),
    path("<slug:slug>/archivieren/", views.room_archive, name="room_archive"),
    path("<slug:slug>/stummschalten/", views.room_mute, name="room_mute"),
    path(
        "<slug:slug>/stummschaltung-aufheben/<int:user_id>/", views.room_unmute, name="room_unmute"
    ),
]
