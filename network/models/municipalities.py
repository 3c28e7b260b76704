import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MunicipalityKind(models.TextChoices):
    KREISFREIE_STADT = "kreisfreie_stadt", _("kreisfreie Stadt")
    KREIS = "kreis", _("Kreis")
    KREISANGEHOERIGE_STADT = (
        "kreisangehoerige_stadt",
        _("kreisangehörige Stadt mit eigenem Jugendamt"),
    )


class Region(models.TextChoices):
    LVR = "LVR", _("Rheinland (LVR)")
    LWL = "LWL", _("Westfalen-Lippe (LWL)")


class Municipality(models.Model):
    """A municipality with its own youth office; a Programmkommune when it takes part."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=MunicipalityKind.choices)
    region = models.CharField(_("Landesjugendamt region"), max_length=3, choices=Region.choices)
    municipality_key = models.CharField(
        _("official municipality key"),
        max_length=8,
        unique=True,
        help_text=_(
            "Amtlicher Gemeindeschlüssel (AGS), for a Kreis the five-digit Kreisschlüssel."
        ),
    )
    cohort = models.PositiveSmallIntegerField(
        _("programme cohort"), null=True, blank=True, help_text=_("Empty if not in the programme.")
    )
    joined_year = models.PositiveSmallIntegerField(_("year joined"), null=True, blank=True)
    active = models.BooleanField(
        _("active in the programme"),
        default=True,
        help_text=_("Only members of active programme municipalities may register for courses."),
    )
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Made by the demo loader (load_demo), not taken from the official list."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Koordination Präventionskette")
    STAFF = "staff", _("Fachkraft")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("requested")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    ENDED = "ended", _("ended")


class Membership(models.Model):
    """A person's place in a municipality's team. One live (pending or approved) membership per
    person: a Fachkraft works for one youth office."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.STAFF
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    message = models.TextField(_("message to the coordination"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality__name", "user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "approved"]),
                name="one_live_membership_per_user",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality} ({self.get_role_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A coordinator's invitation of a colleague: for one address, once, until it expires."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.STAFF
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.municipality}"
