"""Watching levels, in-app notifications and each person's e-mail choice."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WatchLevel(models.TextChoices):
    MUTED = "muted", _("muted")
    NORMAL = "normal", _("normal")
    WATCHING = "watching", _("watching")


class CategoryWatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "forums.ForumCategory", on_delete=models.CASCADE, related_name="watches"
    )
    level = models.CharField(max_length=16, choices=WatchLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_category_watch")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.category} ({self.level})"


class TopicWatch(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("forums.Topic", on_delete=models.CASCADE, related_name="watches")
    level = models.CharField(max_length=16, choices=WatchLevel.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="one_topic_watch")]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic} ({self.level})"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("immediately, one e-mail per notification")
    DIGEST = "digest", _("once a day as a summary")
    NONE = "none", _("no e-mail, only on the platform")


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_mode = models.CharField(
        _("e-mail about notifications"),
        max_length=16,
        choices=EmailMode.choices,
        default=EmailMode.IMMEDIATE,
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.email_mode}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("mentioned you")
    REPLY = "reply", _("replied")
    WATCHED = "watched", _("new post in a watched topic")
    MODERATION = "moderation", _("moderation")
    PRACTICE = "practice", _("practice example")


class EmailState(models.TextChoices):
    NONE = "none", _("no e-mail")
    SENT = "sent", _("sent")
    PENDING = "pending", _("waiting for the digest")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    topic = models.ForeignKey(
        "forums.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        "forums.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=16, choices=EmailState.choices, default="none")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_state", "user"]),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind}"
