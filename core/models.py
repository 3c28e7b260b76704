from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Landesjugendamt(models.TextChoices):
    LVR = "LVR", _("LVR – Landesjugendamt Rheinland")
    LWL = "LWL", _("LWL – Landesjugendamt Westfalen-Lippe")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with a login. E-mail is the login; there is no user name.

    Personal data held here is exported by core.privacy and erased by it.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    function = models.CharField(
        _("function"),
        max_length=150,
        blank=True,
        help_text=_("For example „Koordination Präventionskette“ or „Fachkraft Frühe Hilfen“."),
    )
    landesjugendamt = models.CharField(
        _("Landesjugendamt"),
        max_length=3,
        choices=Landesjugendamt.choices,
        blank=True,
        help_text=_("Only for staff of a Landesjugendamt."),
    )
    show_email_to_members = models.BooleanField(
        _("show my e-mail address to members of the learning network"), default=False
    )
    show_function_to_members = models.BooleanField(
        _("show my function to members of the learning network"), default=True
    )

    erased_at = models.DateTimeField(_("account deleted at"), null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        # What others read next to what this person wrote, also after the account is deleted.
        if self.erased_at:
            return str(_("former member"))
        return self.name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.display_name


class OutgoingMailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingMail(models.Model):
    """One e-mail on its way out (core.mail): written in the transaction of the change that causes
    it, sent by a task of the worker, at most once per key.

    The message is stored as rendered (subject, text, HTML, attachments), so a retry sends what the
    change produced. Sent mails are deleted after MAIL_RETENTION_DAYS (purge_sent_mail)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    # ",a@example.org,b@example.org,": every recipient (to, cc, bcc), lower case, between commas,
    # so the mails of one address are found by a plain `contains` on every database.
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    # to, cc, bcc, reply_to, from_email, headers, further alternatives and attachments (base64).
    message = models.JSONField(_("message"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutgoingMailStatus.choices,
        default=OutgoingMailStatus.QUEUED,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When the next attempt is due: a queued mail past it (plus a grace period) lost its task
    # (a worker killed while sending) and is enqueued again by requeue_mail.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # A mail the worker renders (core.mail.MailLater): the dotted path of the function that
    # builds its Mail from these keyword arguments (ids, not objects). The change that causes it
    # then writes a small row and renders no template while it holds its locks. Emptied once
    # the worker has rendered it, so a retry sends the same message.
    builder = models.CharField(_("built by"), max_length=200, blank=True)
    builder_kwargs = models.JSONField(_("built from"), default=dict, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoingmail_due_idx")]

    def __str__(self) -> str:
        return self.subject or self.builder
