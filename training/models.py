"""Courses of the Landesjugendämter, their dates, and who takes part.

Seats are a scarce resource: every write that confirms, cancels or promotes a registration runs in
training.services under a row lock on the CourseDate (training.services.seats).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HttpsURLField(models.URLField):
    """A URL whose form assumes https:// when the scheme is left out (Django 6's default, and the
    only sensible one for a video-conference link)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class CourseKind(models.TextChoices):
    FORTBILDUNGSMODUL = "fortbildungsmodul", _("Fortbildungsmodul")
    LERNNETZWERKTREFFEN = "lernnetzwerktreffen", _("Lernnetzwerktreffen")
    FACHTAG = "fachtag", _("Fachtag")
    ONLINE_AUSTAUSCH = "online_austausch", _("Online-Austausch")


class CourseFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class Provider(models.TextChoices):
    LVR = "LVR", _("LVR – Landesjugendamt Rheinland")
    LWL = "LWL", _("LWL – Landesjugendamt Westfalen-Lippe")


class Course(models.Model):
    """A course of the qualification programme; it runs on one or more CourseDates.

    The curriculum module page (cms) points at its course; training never imports cms.
    """

    kind = models.CharField(
        _("kind"), max_length=24, choices=CourseKind.choices, default=CourseKind.FORTBILDUNGSMODUL
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=CourseFormat.choices, default=CourseFormat.IN_PERSON
    )
    provider = models.CharField(_("provider"), max_length=3, choices=Provider.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        default=0,
        help_text=_("Hours of instruction, printed on the certificate of attendance."),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=0), name="course_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def module_title(self) -> str:
        """The title of the curriculum module page that points at this course, if any.

        Read through the reverse relation cms declares (related_name="module_pages"), so training
        needs no import of cms.
        """
        manager = getattr(self, "module_pages", None)
        if manager is None:
            return ""
        page = manager.all().first()
        return page.title if page is not None else ""


class CourseDateStatus(models.TextChoices):
    """What staff decided and is stored; the life cycle a person sees is CourseDateLifecycle."""

    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class CourseDateLifecycle(models.TextChoices):
    """planned → running (between start and end) → held (after the end) → closed (attendance
    recorded), or cancelled. Running and held follow from the clock, so no job has to flip them;
    cancelled and closed are stored (status, closed_at)."""

    # A context of their own: "closed" is also a forum topic's state, with another German word.
    PLANNED = "planned", pgettext_lazy("course date", "planned")
    RUNNING = "running", pgettext_lazy("course date", "running")
    HELD = "held", pgettext_lazy("course date", "held")
    CLOSED = "closed", pgettext_lazy("course date", "closed")
    CANCELLED = "cancelled", pgettext_lazy("course date", "cancelled")


# The steps of a date that has taken place: held, and closed once attendance is recorded. What
# comes after a date (evaluation, its invitations) asks for these.
ENDED_LIFECYCLES = (CourseDateLifecycle.HELD.value, CourseDateLifecycle.CLOSED.value)


def course_date_lifecycle_expression(*, now=None):
    """The life cycle as a database expression (for lists: filter and annotate in one query).
    The same rule as CourseDate.lifecycle, in the same order; a test holds the two together.
    The clock is the application's (not the database's), so both read the same moment."""
    now = now or timezone.now()
    return Case(
        When(status=CourseDateStatus.CANCELLED, then=Value(CourseDateLifecycle.CANCELLED.value)),
        When(closed_at__isnull=False, then=Value(CourseDateLifecycle.CLOSED.value)),
        When(end__lte=now, then=Value(CourseDateLifecycle.HELD.value)),
        When(start__lte=now, then=Value(CourseDateLifecycle.RUNNING.value)),
        default=Value(CourseDateLifecycle.PLANNED.value),
        output_field=models.CharField(max_length=16),
    )


class CourseDateQuerySet(models.QuerySet):
    def with_lifecycle(self, *, now=None):
        """Annotate `lifecycle_value`; CourseDate.lifecycle then reads it instead of the clock,
        so a whole page agrees with its filter."""
        return self.annotate(lifecycle_value=course_date_lifecycle_expression(now=now))

    def ended(self, *, now=None):
        """The dates that have taken place (held or closed; not cancelled), by the life cycle."""
        return self.with_lifecycle(now=now).filter(lifecycle_value__in=ENDED_LIFECYCLES)


class Trainer(models.Model):
    """A person who teaches course dates: a role the Landesjugendämter keep, not any account.

    External trainers need no login; a trainer with one (`user`) sees their dates and participant
    lists ("Meine Termine als Referent/in")."""

    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainer_profile",
        verbose_name=_("login"),
        help_text=_("Only if the trainer has an account here (staff or an external trainer)."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active trainers are offered for new dates.")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        if self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name


class CourseDate(models.Model):
    """One date (session) of a course, with its seats and registration window."""

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="dates", verbose_name=_("course")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.TextField(_("venue address"), max_length=500, blank=True)
    online_url = HttpsURLField(
        _("online access link"),
        max_length=500,
        blank=True,
        help_text=_("Shown to confirmed participants only."),
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_(
            "Hours of instruction of this date, printed on the certificate. Empty: the course's "
            "hours."
        ),
    )
    capacity = models.PositiveIntegerField(_("seats"))
    max_per_municipality = models.PositiveIntegerField(
        _("maximum seats per municipality"),
        null=True,
        blank=True,
        help_text=_("Empty for no limit."),
    )
    registration_opens = models.DateTimeField(
        _("registration opens"), null=True, blank=True, help_text=_("Empty: open at once.")
    )
    registration_closes = models.DateTimeField(
        _("registration closes"), null=True, blank=True, help_text=_("Empty: at the start.")
    )
    cancellation_deadline = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("Participants may cancel until then. Empty: until the start."),
    )
    trainers = models.ManyToManyField(
        Trainer,
        blank=True,
        related_name="course_dates",
        verbose_name=_("trainers"),
    )
    information = models.TextField(_("information for participants"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CourseDateStatus.choices,
        default=CourseDateStatus.PLANNED,
    )
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set once attendance has been recorded after the end (training.services.lifecycle).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CourseDateQuerySet.as_manager()

    class Meta:
        verbose_name = _("course date")
        verbose_name_plural = _("course dates")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_date_capacity_min"),
            models.CheckConstraint(
                condition=Q(max_per_municipality__isnull=True) | Q(max_per_municipality__gte=1),
                name="course_date_max_per_municipality_min",
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="course_date_end_after"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0),
                name="course_date_hours_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "start"])]
        permissions = [
            (
                # The whole back office of those dates (training.selectors.
                # user_administered_providers), not only their edit screen.
                "edit_other_provider_dates",
                "Can administer the course dates of the other Landesjugendamt: participants, "
                "attendance, certificates, exports, evaluation results",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.course.title} – {local:%d.%m.%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("training:date_detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == CourseDateStatus.CANCELLED

    @property
    def lifecycle(self) -> str:
        """planned, running, held, closed or cancelled (CourseDateLifecycle): the annotation of
        CourseDateQuerySet.with_lifecycle when the date came from it, else the same rule here."""
        annotated = getattr(self, "lifecycle_value", None)
        if annotated is not None:
            return annotated
        return self.lifecycle_at(timezone.now())

    def lifecycle_at(self, now) -> str:
        """The life cycle at the moment `now` (CourseDate.lifecycle is this at the present)."""
        if self.status == CourseDateStatus.CANCELLED:
            return CourseDateLifecycle.CANCELLED.value
        if self.closed_at is not None:
            return CourseDateLifecycle.CLOSED.value
        if self.end <= now:
            return CourseDateLifecycle.HELD.value
        if self.start <= now:
            return CourseDateLifecycle.RUNNING.value
        return CourseDateLifecycle.PLANNED.value

    def has_ended(self, now=None) -> bool:
        """Whether the date has taken place (held or closed) at `now`, by its life cycle."""
        if now is None:
            return self.lifecycle in ENDED_LIFECYCLES
        return self.lifecycle_at(now) in ENDED_LIFECYCLES

    @property
    def lifecycle_label(self) -> str:
        return CourseDateLifecycle(self.lifecycle).label

    @property
    def region(self) -> str:
        return self.course.provider

    @property
    def effective_registration_closes(self):
        return self.registration_closes or self.start

    @property
    def effective_cancellation_deadline(self):
        return self.cancellation_deadline or self.start

    @property
    def effective_hours(self):
        """The hours of this date: its own, else the course's (a one-day date of a longer
        module must not print the module's hours)."""
        return self.hours if self.hours is not None else self.course.hours

    @property
    def venue_address_lines(self) -> list[str]:
        """The venue address as its lines, without blanks (entered with \n or \r\n)."""
        return [line.strip() for line in self.venue_address.splitlines() if line.strip()]

    @property
    def venue_one_line(self) -> str:
        """Venue name and address on one line, parts separated by commas (plain-text mail,
        calendar location)."""
        return ", ".join(
            part for part in [self.venue_name.strip(), *self.venue_address_lines] if part
        )


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("waiting list")
    CANCELLED = "cancelled", _("cancelled")
    ATTENDED = "attended", _("attended")


# Statuses that hold a seat, and statuses that are "live" (one per person and date).
SEAT_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED)
LIVE_STATUSES = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
    RegistrationStatus.ATTENDED,
)
# New waiting registrations get this priority; staff who move someone renumber the list 0..n-1.
DEFAULT_PRIORITY = 1000


class Registration(models.Model):
    """A person's registration for a course date: a seat, a place on the waiting list, or neither
    any more (cancelled, never promoted again)."""

    course_date = models.ForeignKey(
        CourseDate, on_delete=models.CASCADE, related_name="registrations"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    # Snapshot at registration time: a person who changes municipality keeps their history.
    municipality = models.ForeignKey(
        "network.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    priority = models.IntegerField(_("waiting-list priority"), default=DEFAULT_PRIORITY)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(
        _("notes (accessibility, dietary needs)"),
        max_length=1000,
        blank=True,
        help_text=_("Deleted 30 days after the date."),
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["course_date", "priority", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course_date", "participant"],
                condition=~Q(status="cancelled"),
                name="one_live_registration_per_person_and_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["course_date", "status", "priority", "created_at"],
                name="registration_queue",
            ),
            models.Index(fields=["participant", "status"], name="registration_participant"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.course_date} ({self.get_status_display()})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_STATUSES


def _calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private calendar feed: whoever knows the token sees the user's confirmed dates, so
    the user can renew it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=_calendar_token)
    renewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class Attendance(models.Model):
    """Whether a participant was present on one day of a date: one row per registration and local
    (Europe/Berlin) day, so a date running over several days is recorded day by day. A person
    attended the date (Registration.status "attended", a certificate) when present on every day."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance_days"
    )
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"))
    marked_at = models.DateTimeField(default=timezone.now)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["registration", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "day"], name="one_attendance_per_registration_and_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.day:%Y-%m-%d} {self.present}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("valid")
    VOID = "void", _("replaced")
    REVOKED = "revoked", _("revoked")


class Certificate(models.Model):
    """A certificate of attendance (Teilnahmebescheinigung) as a record that can be verified by
    its number. It outlives the holder's account: on deletion the registration goes and with it
    the name, while the number still answers for which date it was issued."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    course_date = models.ForeignKey(
        CourseDate, on_delete=models.PROTECT, related_name="certificates"
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when the certificate stops being valid (replaced or revoked).
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(status="valid") | Q(withdrawn_at__isnull=False),
                name="certificate_withdrawn_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.VALID
