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


# The sentences of the moderation and practice example notifications, by `Notification.event`.
# Stored as the event and its parts, rendered when read: in the reader's language, not in that
# of the person whose action caused it. %(topic)s and %(title)s are the notification's `text`,
# %(reason)s and %(note)s its `detail`, %(name)s its actor's name.
NOTIFICATION_SENTENCES = {
    "post_deleted": _("A moderator deleted your post in „%(topic)s“: %(reason)s"),
    "post_hidden": _("A moderator hid your post in „%(topic)s“: %(reason)s"),
    "post_approved": _("Your post in „%(topic)s“ was approved and is now visible."),
    "post_rejected": _("Your post in „%(topic)s“ was not approved: %(reason)s"),
    "report_resolved": _("Your report about a post in „%(topic)s“ was handled: %(reason)s"),
    "report_dismissed": _("Your report about a post in „%(topic)s“ was dismissed: %(reason)s"),
    "topic_deleted": _("A moderator deleted your topic „%(topic)s“: %(reason)s"),
    "topic_moved": _("A moderator moved your topic „%(topic)s“: %(reason)s"),
    "practice_contact_asked": _(
        "You were named as contact person of the practice example „%(title)s“. Your name "
        "and e-mail address are only shown if you agree."
    ),
    "practice_contact_declined": _(
        "%(name)s does not (or no longer) agree to be named as contact person of „%(title)s“."
    ),
    "practice_submitted": _(
        "%(name)s submitted the practice example „%(title)s“. Please confirm it or send it back."
    ),
    "practice_confirmed": _(
        "Your practice example „%(title)s“ was confirmed by your coordination and goes to the "
        "Landesjugendamt for review."
    ),
    "practice_sent_back": _(
        "Your coordination sent back your practice example „%(title)s“: %(note)s"
    ),
    "practice_published": _("Your practice example „%(title)s“ was published."),
    "practice_returned": _("Your practice example „%(title)s“ was returned for revision: %(note)s"),
}


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
    # The title it is about (the topic's, or the practice example's). Notifications stored
    # before `event` existed hold their whole sentence here, in their actor's language.
    text = models.CharField(max_length=300, blank=True)
    # Moderation and practice example notifications: which sentence (NOTIFICATION_SENTENCES),
    # and the moderator's reason or the reviewer's note in it.
    event = models.CharField(max_length=32, blank=True)
    detail = models.CharField(max_length=300, blank=True)
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

    @property
    def sentence(self) -> str:
        """A moderation or practice example notification's sentence, in the active language
        (the reader's); for the others (their sentence is in the templates) and those stored
        before `event` existed, `text`."""
        sentence = NOTIFICATION_SENTENCES.get(self.event)
        if sentence is None:
            return self.text
        name = self.actor.display_name if self.actor else str(_("former member"))
        return str(sentence) % {
            "topic": self.text,
            "title": self.text,
            "reason": self.detail,
            "note": self.detail,
            "name": name,
        }
