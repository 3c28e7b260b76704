from django.urls import path

from events import consumers

websocket_urlpatterns = [
    path("ws/board/<slug:slug>/", consumers.BoardConsumer.as_asgi()),
    path("ws/topic/<int:topic_id>/", consumers.TopicConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
]
