"""Forums of the learning network: categories, topics, posts, attachments, reactions, read state,
moderators, reports and the moderation log."""

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from network.attachments import Attachment


class CategoryVisibility(models.TextChoices):
    MEMBERS = "members", _("all members of the learning network")
    COORDINATORS = "coordinators", _("coordinators and Landesjugendamt staff only")


class ForumCategory(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    visibility = models.CharField(
        _("visible to"),
        max_length=16,
        choices=CategoryVisibility.choices,
        default=CategoryVisibility.MEMBERS,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    hold_first_posts = models.BooleanField(
        _("hold the first posts of new members for review"), default=True
    )

    class Meta:
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    category = models.ForeignKey(ForumCategory, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_topics"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The number the next post gets; post numbers never change, so "jump to #17" stays valid.
    last_number = models.PositiveIntegerField(default=0)
    post_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_closed = models.BooleanField(_("closed"), default=False)
    is_deleted = models.BooleanField(_("deleted"), default=False)
    best_answer = models.ForeignKey(
        "Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["-is_pinned", "-last_activity_at", "-pk"]
        indexes = [models.Index(fields=["category", "is_deleted", "-last_activity_at"])]

    def __str__(self) -> str:
        return self.title


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("published")
    HELD = "held", _("waiting for review")
    REJECTED = "rejected", _("rejected")


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("text"), max_length=20_000)
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=16, choices=PostStatus.choices, default="published")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)
    helpful_count = models.PositiveIntegerField(default=0)
    # The topic page caches each post's markup under its version (views/post_fragments.py):
    # save() counts it up, and every update() of what a post shows counts it up too.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="post_number_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.number}"

    def save(self, *args, **kwargs):
        """Every save of a stored post is a new version, counted in the database (F()), so an
        instance read before someone else's change still makes a version never seen before;
        like any F(), reload the post to read the number."""
        if not self._state.adding:
            self.version = F("version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class PostRevision(models.Model):
    """A post's text before an edit: moderators can read every earlier version."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.post} ({self.created_at:%Y-%m-%d %H:%M})"


class PostAttachment(Attachment):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="forum/%Y/%m/", max_length=255)


class PostReaction(models.Model):
    """ "hilfreich": one per person and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="one_reaction_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.post}"


class TopicReadState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_read_state_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic} #{self.last_read_number}"


class ForumModerator(models.Model):
    """An appointed moderator: of one category, or of every category when category is empty."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_moderations",
        verbose_name=_("person"),
    )
    category = models.ForeignKey(
        ForumCategory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderators",
        verbose_name=_("category"),
        help_text=_("Empty: every category."),
    )
    appointed_at = models.DateTimeField(_("appointed on"), default=timezone.now)

    class Meta:
        verbose_name = _("forum moderator")
        verbose_name_plural = _("forum moderators")
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_moderator_row")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.category or '*'})"


class MentionHandle(models.Model):
    """The name others write after @ to mention a person; each person picks their own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mention_handle"
    )
    handle = models.SlugField(_("handle for @mentions"), max_length=40, unique=True)

    def __str__(self) -> str:
        return f"@{self.handle}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("open")
    RESOLVED = "resolved", _("action taken")
    DISMISSED = "dismissed", _("dismissed")


class PostReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default="open")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(status="open"),
                name="one_open_report_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post}: {self.reason[:40]}"


class ModerationAction(models.TextChoices):
    PIN = "pin", _("pinned")
    UNPIN = "unpin", _("unpinned")
    CLOSE = "close", _("closed")
    OPEN = "open", _("reopened")
    MOVE = "move", _("moved")
    DELETE_TOPIC = "delete_topic", _("deleted topic")
    DELETE_POST = "delete_post", _("deleted post")
    HIDE = "hide", _("hid post")
    UNHIDE = "unhide", _("showed post again")
    APPROVE = "approve", _("approved held post")
    REJECT = "reject", _("rejected held post")
    RESOLVE_REPORT = "resolve_report", _("resolved report")
    DISMISS_REPORT = "dismiss_report", _("dismissed report")
    REVIEW_EXAMPLE = "review_example", _("reviewed practice example")


class ModerationLogEntry(models.Model):
    """Every moderation action, with who did it and why."""

    action = models.CharField(max_length=32, choices=ModerationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(max_length=1000)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, related_name="+")
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor}"
