from django.conf import settings
from django.urls import path

from events import consumers

websocket_urlpatterns = [
    path("ws/board/<slug:slug>/", consumers.BoardConsumer.as_asgi()),
    path("ws/topic/<int:topic_id>/", consumers.TopicConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi()),
]


def websocket_routes() -> list:
    """The sockets config.asgi serves: the board's and, only with BENCH_BARE_VIEW=1, the
    benchmarks' bare consumer (bench/board_fanout.py), read from the settings when the ASGI
    application is built."""
    if not settings.BENCH_BARE_VIEW:
        return list(websocket_urlpatterns)
    from events.consumers.bench import BenchBareConsumer

    return [*websocket_urlpatterns, path("ws/bench/bare/", BenchBareConsumer.as_asgi())]
