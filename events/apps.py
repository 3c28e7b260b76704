from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Live board")

    def ready(self):
        from core.page_versions import bump_on_changes
        from events.models import ModerationLogEntry, Room
        from events.page_versions import ROOMS_VERSION_KEY

        bump_on_changes(ROOMS_VERSION_KEY, Room, ModerationLogEntry)
