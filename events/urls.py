from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.room_list, name="room_list"),
]
