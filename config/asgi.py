"""ASGI entry point: HTTP through Django, WebSockets through Channels (events.asgi)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the routing imports models.
django.setup(set_prefix=False)

from django.core.asgi import get_asgi_application  # noqa: E402

from core.startup import freeze_startup_objects  # noqa: E402

django_asgi_app = get_asgi_application()

# Channels is events' business (the WebSocket side, its Origin check and authentication).
from events.asgi import protocol_router  # noqa: E402

application = protocol_router(http=django_asgi_app)

freeze_startup_objects()
