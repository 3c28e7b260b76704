from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "network.forums"
    label = "forums"
    verbose_name = _("Forums")

    def ready(self):
        from core.page_versions import bump_on_changes
        from network.forums.models import ForumCategory, Post, PostReaction, Topic
        from network.forums.page_versions import FORUMS_VERSION_KEY

        bump_on_changes(FORUMS_VERSION_KEY, ForumCategory, Topic, Post, PostReaction)
