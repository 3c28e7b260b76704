"""Practice examples (Praxisbeispiele): structured entries of what works in a prevention chain."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from network.attachments import Attachment


class BuildingBlock(models.TextChoices):
    FRUEHE_HILFEN = "fruehe-hilfen", _("Frühe Hilfen")
    LOTSENDIENST = "lotsendienst", _("Lotsendienst Geburtsklinik/Kinderarztpraxis")
    KITA = "kita", _("Kita")
    FAMILIENGRUNDSCHULZENTRUM = "familiengrundschulzentrum", _("Familiengrundschulzentrum")
    FAMILIENBUERO = "familienbuero", _("Familienbüro")
    AUFSUCHENDE_HILFEN = "aufsuchende-hilfen", _("aufsuchende Hilfen")
    UEBERGANG_SCHULE_BERUF = "uebergang-schule-beruf", _("Übergang Schule–Beruf")
    DATENBASIS = "datenbasis", _("Datenbasis und Monitoring")
    BETEILIGUNG = "beteiligung", _("Beteiligung")


class LifePhase(models.TextChoices):
    PREGNANCY = "schwangerschaft", _("Pregnancy and birth")
    AGE_0_3 = "0-3", _("0–3 years")
    AGE_3_6 = "3-6", _("3–6 years")
    AGE_6_10 = "6-10", _("6–10 years")
    AGE_10_16 = "10-16", _("10–16 years")
    AGE_16_27 = "16-27", _("16–27 years")


class ExampleStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AWAITING_CONFIRMATION = "awaiting", _("waiting for the coordination's confirmation")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("returned for revision")
    PUBLISHED = "published", _("published")


class ExampleAudience(models.TextChoices):
    MEMBERS = "members", _("members of the learning network")
    PUBLIC = "public", _("everyone (public)")


class PracticeExample(models.Model):
    title = models.CharField(_("title"), max_length=200)
    municipality = models.ForeignKey(
        "network.Municipality", on_delete=models.PROTECT, related_name="practice_examples"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practice_examples"
    )
    summary = models.CharField(_("summary"), max_length=500)
    target_groups = models.CharField(_("target groups"), max_length=300)
    what_was_done = models.TextField(_("what was done"), max_length=10_000)
    what_was_done_html = models.TextField(editable=False, default="")
    success_factors = models.TextField(_("what made it work"), max_length=10_000)
    success_factors_html = models.TextField(editable=False, default="")
    resources = models.TextField(_("resources and funding"), max_length=5_000, blank=True)
    resources_html = models.TextField(editable=False, default="")
    # The contact person is a member with an account: only they consent to being named (their
    # name and e-mail address are shown while contact_consent_at is set).
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_contacts",
    )
    contact_asked_at = models.DateTimeField(null=True, blank=True)
    contact_consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ExampleStatus.choices, default=ExampleStatus.DRAFT
    )
    audience = models.CharField(
        _("published for"),
        max_length=16,
        choices=ExampleAudience.choices,
        default=ExampleAudience.MEMBERS,
    )
    review_note = models.TextField(_("note from the review"), blank=True, max_length=2000)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    discussion = models.OneToOneField(
        "forums.Topic",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_example",
    )

    class Meta:
        verbose_name = _("practice example")
        verbose_name_plural = _("practice examples")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "audience"])]

    def __str__(self) -> str:
        return self.title

    @property
    def contact_consented(self) -> bool:
        """Whether the contact person agreed, themselves, to be named with the example."""
        return self.contact_id is not None and self.contact_consent_at is not None


class PracticeExampleBlock(models.Model):
    example = models.ForeignKey(PracticeExample, on_delete=models.CASCADE, related_name="blocks")
    block = models.CharField(max_length=32, choices=BuildingBlock.choices, db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["example", "block"], name="one_block_per_example")
        ]

    def __str__(self) -> str:
        return f"{self.example}: {self.block}"


class PracticeExamplePhase(models.Model):
    example = models.ForeignKey(PracticeExample, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(max_length=32, choices=LifePhase.choices, db_index=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["example", "phase"], name="one_phase_per_example")
        ]

    def __str__(self) -> str:
        return f"{self.example}: {self.phase}"


class PracticeAttachment(Attachment):
    example = models.ForeignKey(
        PracticeExample, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to="practice/%Y/%m/", max_length=255)
