from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Live board")

    def ready(self):
        from events.models import ModerationLogEntry, Room
        from events.page_versions import rooms_changed

        for model in (Room, ModerationLogEntry):
            post_save.connect(rooms_changed, sender=model, dispatch_uid=f"rooms_changed_{model}")
            post_delete.connect(rooms_changed, sender=model, dispatch_uid=f"rooms_del_{model}")
