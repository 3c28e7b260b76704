"""The live board: rooms, their messages (the record; the channel layer only delivers), who read
how far, who is muted, and what moderators did."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.models import Region


class RoomKind(models.TextChoices):
    NETWORK = "network", _("network room (all members)")
    REGION = "region", _("region room")
    COURSE_DATE = "course_date", _("course date room")
    MEETING = "meeting", _("meeting room")


class Room(models.Model):
    """A place to talk. Who may read and write one is decided by events.selectors.room_access."""

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=150)
    description = models.CharField(_("description"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=RoomKind.choices)
    region = models.CharField(
        _("Landesjugendamt region"), max_length=3, choices=Region.choices, blank=True
    )
    # Course date rooms: created by events.services.room_for_course_date the first time the date's
    # room is listed or opened, so training never needs to know about the board.
    course_date = models.OneToOneField(
        "training.CourseDate",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="board_room",
        verbose_name=_("course date"),
    )
    # Meeting rooms: the people invited (staff always have access).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="board_rooms", verbose_name=_("members")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    archived_at = models.DateTimeField(
        _("archived at"), null=True, blank=True, help_text=_("An archived room is read-only.")
    )
    # The `seq` of the room's newest message: raised under this row's lock in the transaction
    # that stores a message (events.services.message_post), so seqs are gapless and commit in
    # order.
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("board room")
        verbose_name_plural = _("board rooms")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="region") | ~models.Q(region=""),
                name="board_region_room_has_region",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One board message: a row before it is broadcast. Ids grow, so `sync` after an id is exact;
    `seq` counts the room's messages without gaps, so a client sees from the frames alone that a
    broadcast never reached it."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField(editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_messages"
    )
    # Where the author worked when writing: shown beside the name, like a signature.
    author_municipality = models.CharField(max_length=150, blank=True)
    nonce = models.CharField(max_length=64)
    body = models.TextField(_("text"), max_length=4000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("board message")
        verbose_name_plural = _("board messages")
        ordering = ["id"]
        constraints = [
            # A re-sent post (same nonce after a dropped connection) is stored once.
            models.UniqueConstraint(
                fields=["room", "author", "nonce"], name="board_message_once_per_nonce"
            ),
            models.UniqueConstraint(fields=["room", "seq"], name="board_message_seq_once"),
        ]
        indexes = [
            models.Index(fields=["room", "id"], name="board_message_room_id"),
            models.Index(fields=["room", "author", "created_at"], name="board_message_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.room} #{self.pk}"


class ReadState(models.Model):
    """How far a person has read in a room: the unread count's one source."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_states")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "room"], name="board_read_state_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.room}: {self.last_read_id}"


class Mute(models.Model):
    """A moderator's decision: this person may read but not write in this room until `until`."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_mutes"
    )
    until = models.DateTimeField(_("muted until"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["room", "user", "until"], name="board_mute_lookup")]

    def __str__(self) -> str:
        return f"{self.user} – {self.room}"


class ModerationAction(models.TextChoices):
    DELETE_MESSAGE = "delete_message", _("message deleted")
    MUTE = "mute", _("user muted")
    UNMUTE = "unmute", _("mute lifted")
    ARCHIVE = "archive", _("room archived")
    UNARCHIVE = "unarchive", _("room reopened")
    CREATE_ROOM = "create_room", _("room created")


class ModerationLogEntry(models.Model):
    """Every moderation step, kept so it can be reviewed."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="moderation_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} – {self.room}"
