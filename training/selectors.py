"""Reads of training. Each number people see (seats left, waiting position) has one owner here."""

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import User
from core.selectors import user_has_staff_power
from network.models import Municipality
from network.selectors.memberships import user_is_coordinator_of, user_membership
from training.hooks import evaluation_results_url
from training.models import (
    LIVE_STATUSES,
    SEAT_STATUSES,
    Attendance,
    Certificate,
    CertificateStatus,
    Course,
    CourseDate,
    CourseDateLifecycle,
    CourseDateStatus,
    Provider,
    Registration,
    RegistrationStatus,
    Trainer,
)


def _count_subquery(queryset: QuerySet) -> Subquery:
    counted = queryset.order_by().values("course_date").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def course_dates_annotated(queryset: QuerySet[CourseDate] | None = None) -> QuerySet[CourseDate]:
    """Course dates with `seat_count`, `waiting_count` and `seats_left`, in one query."""
    queryset = CourseDate.objects.all() if queryset is None else queryset
    seats = Registration.objects.filter(course_date=OuterRef("pk"), status__in=SEAT_STATUSES)
    waiting = Registration.objects.filter(
        course_date=OuterRef("pk"), status=RegistrationStatus.WAITING
    )
    return queryset.annotate(
        seat_count=_count_subquery(seats),
        waiting_count=_count_subquery(waiting),
    ).annotate(seats_left=Greatest(F("capacity") - F("seat_count"), Value(0)))


def course_dates_upcoming(*, course: Course | None = None) -> QuerySet[CourseDate]:
    """Dates that have not ended yet (planned or cancelled, so a cancellation stays visible),
    soonest first, with seats_left and waiting_count annotated."""
    queryset = CourseDate.objects.filter(end__gte=timezone.now()).select_related("course")
    if course is not None:
        queryset = queryset.filter(course=course)
    return course_dates_annotated(queryset).with_lifecycle().order_by("start", "pk")


def course_dates_filtered(
    *,
    course_id: int | None = None,
    format: str | None = None,
    region: str | None = None,
    month: tuple[int, int] | None = None,
) -> QuerySet[CourseDate]:
    """The public list: upcoming dates filtered by course (module), format, region and month."""
    queryset = course_dates_upcoming()
    if course_id:
        queryset = queryset.filter(course_id=course_id)
    if format:
        queryset = queryset.filter(course__format=format)
    if region:
        queryset = queryset.filter(course__provider=region)
    if month:
        year, number = month
        queryset = queryset.filter(start__year=year, start__month=number)
    return queryset


def course_date_seats_left(*, course_date: CourseDate) -> int:
    """Free seats of a date: capacity minus confirmed and attended registrations, never below 0.

    Uses the annotation when the date came from course_dates_annotated(), else counts.
    """
    if hasattr(course_date, "seats_left"):
        return course_date.seats_left
    taken = Registration.objects.filter(course_date=course_date, status__in=SEAT_STATUSES).count()
    return max(course_date.capacity - taken, 0)


def waiting_queue(*, course_date: CourseDate) -> QuerySet[Registration]:
    """The waiting list in the order it is served: (priority, created, pk)."""
    return Registration.objects.filter(
        course_date=course_date, status=RegistrationStatus.WAITING
    ).order_by("priority", "created_at", "pk")


@dataclass(frozen=True)
class Standing:
    """What a waiting person is told about their place (see waiting_standings)."""

    position: int | None
    blocked: bool
    queue_position: int


# A live registration as the seat rules read it, in this order: plain values, not instances, for
# the writes under the date's lock and for the standings.
LIVE_ROW = ("pk", "municipality_id", "status", "priority", "created_at")


def live_registration_rows(*, course_date_ids: Iterable[int], extra: tuple[str, ...] = ()):
    """The live registrations of the dates as plain rows: LIVE_ROW's values, then `extra`'s.
    Compiling the database's grouped counts or correlated subqueries cost more than counting
    these rows in Python (as many as seats and waiting places)."""
    return (
        Registration.objects.filter(course_date__in=course_date_ids, status__in=LIVE_STATUSES)
        .order_by()
        .values_list(*LIVE_ROW, *extra)
    )


def waiting_in_queue_order(rows: Iterable[tuple]) -> list[tuple]:
    """The waiting ones among LIVE_ROW rows in the order they are served: (priority, created,
    pk), the order of waiting_queue()."""
    return sorted(
        (row for row in rows if row[2] == RegistrationStatus.WAITING),
        key=lambda row: (row[3], row[4], row[0]),
    )


def waiting_standings(rows: Iterable[tuple], *, limit: int | None) -> dict[int, Standing]:
    """The one owner of the waiting position, for one date: its live registrations as LIVE_ROW
    rows and its maximum per municipality. For each waiting registration, by its pk:

    - `blocked`: its municipality holds the maximum of seats, so it moves up only once one of
      those seats is free;
    - `position` (1, 2, …): its place among the waiting people who can be promoted now (whose
      municipality is below its maximum); None while blocked;
    - `queue_position`: its place in the queue as served, what staff reorder.
    """
    rows = list(rows)
    seats = Counter(row[1] for row in rows if row[2] in SEAT_STATUSES)
    standings = {}
    promotable_ahead = 0
    for queue_index, (pk, municipality_id, *_rest) in enumerate(waiting_in_queue_order(rows)):
        blocked = not (municipality_id is None or limit is None or seats[municipality_id] < limit)
        standings[pk] = Standing(
            position=None if blocked else promotable_ahead + 1,
            blocked=blocked,
            queue_position=queue_index + 1,
        )
        promotable_ahead += not blocked
    return standings


def with_standings(registrations: Iterable[Registration]) -> list[Registration]:
    """The registrations, each waiting one with what waiting_standings() says of it as
    `waiting_position`, `waiting_blocked`, `queue_position` and `municipality_limit` (the date's
    maximum); None on the others."""
    registrations = list(registrations)
    standings, limits = _standings_of(registrations)
    for registration in registrations:
        standing = standings.get(registration.pk)
        registration.waiting_position = standing.position if standing else None
        registration.waiting_blocked = standing.blocked if standing else None
        registration.queue_position = standing.queue_position if standing else None
        registration.municipality_limit = limits[registration.course_date_id] if standing else None
    return registrations


def _standings_of(
    registrations: list[Registration],
) -> tuple[dict[int, Standing], dict[int, int | None]]:
    """The standings of the waiting ones among `registrations` by pk, and their dates' maximum
    per municipality by date: one plain query reads the live registrations of the dates that
    have a waiting one among them (none without)."""
    dates = {r.course_date_id for r in registrations if r.status == RegistrationStatus.WAITING}
    rows: dict[int, list[tuple]] = defaultdict(list)
    limits: dict[int, int | None] = {}
    if dates:
        extra = ("course_date_id", "course_date__max_per_municipality")
        for *row, date_id, limit in live_registration_rows(course_date_ids=dates, extra=extra):
            limits[date_id] = limit
            rows[date_id].append(row)
    standings: dict[int, Standing] = {}
    for date_id, date_rows in rows.items():
        standings.update(waiting_standings(date_rows, limit=limits[date_id]))
    return standings, limits


def registration_waiting_position(*, registration: Registration) -> int | None:
    """The one owner of the waiting position a person sees: 1 for the next one to be promoted,
    counting only the waiting people whose municipality may still get a seat. None when not
    waiting or while the person's own municipality holds its maximum (see
    registration_waiting_standing)."""
    return registration_waiting_standing(registration=registration)["position"]


def registration_waiting_standing(*, registration: Registration) -> dict:
    """What a waiting person is told: `position` (or None), `blocked` (their municipality holds
    its `limit` of seats) and `limit`. From with_standings()' attributes when the registration
    came from it, else read now (one query)."""
    if registration.status != RegistrationStatus.WAITING:
        return {"position": None, "blocked": False, "limit": None}
    if hasattr(registration, "waiting_blocked"):
        position, blocked = registration.waiting_position, registration.waiting_blocked
        limit = registration.municipality_limit
    else:
        standings, limits = _standings_of([registration])
        standing = standings.get(registration.pk)
        position, blocked = (standing.position, standing.blocked) if standing else (None, None)
        limit = limits.get(registration.course_date_id)
    return {"position": position, "blocked": bool(blocked), "limit": limit}


def user_live_registration(*, user: User, course_date: CourseDate) -> Registration | None:
    """The person's live registration of the date, plain: only a waiting registration needs its
    standing, which registration_waiting_standing() reads for it."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(
            participant=user, course_date=course_date, status__in=LIVE_STATUSES
        )
        .select_related("municipality")
        .first()
    )


def user_is_course_participant(*, user: User, course: Course) -> bool:
    """Confirmed or attended on any date of the course (for restricted course material)."""
    if not user.is_authenticated:
        return False
    return Registration.objects.filter(
        participant=user, course_date__course=course, status__in=SEAT_STATUSES
    ).exists()


def user_is_trainer_of(*, user: User, course_date: CourseDate) -> bool:
    """Whether `user` is, through their Trainer entry, a trainer of the date."""
    if not user.is_authenticated or not user.is_active:
        return False
    return course_date.trainers.filter(user=user).exists()


# The name the older callers use.
def user_is_trainer(*, user: User, course_date: CourseDate) -> bool:
    return user_is_trainer_of(user=user, course_date=course_date)


def user_is_trainer_account(*, user: User) -> bool:
    """Whether the account has an active Trainer entry (an exists(): cheaper than loading it)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return Trainer.objects.filter(user=user, active=True).exists()


def trainer_course_dates(user: User) -> QuerySet[CourseDate]:
    """The dates `user` teaches (through their Trainer entry), newest first, with seat counts
    and the life cycle annotated. Empty for anyone who is not a trainer."""
    if not user.is_authenticated or not user.is_active:
        return CourseDate.objects.none()
    queryset = CourseDate.objects.filter(trainers__user=user).select_related("course").distinct()
    return course_dates_annotated(queryset).with_lifecycle().order_by("-start", "-pk")


def trainers_offered(*, course_date: CourseDate | None = None) -> QuerySet[Trainer]:
    """What the trainer picker offers: active Trainer entries, and those the date already has
    (so saving a date never drops a trainer who has since left)."""
    condition = Q(active=True)
    if course_date is not None and course_date.pk:
        condition |= Q(course_dates=course_date)
    return Trainer.objects.filter(condition).distinct().order_by("name", "pk")


def user_administered_providers(*, user: User) -> frozenset[str]:
    """The one rule of the back office: whose dates a person administers (participant page,
    attendance, certificates, exports, signature list, waiting list, evaluation results, the
    Wagtail edit screen). Staff with their staff power administer their own Landesjugendamt's
    dates; the other's only when the admin grants them the permission
    training.edit_other_provider_dates, or as superusers. Nobody else administers any."""
    if not user_has_staff_power(user=user):
        return frozenset()
    if user.is_superuser or user.has_perm("training.edit_other_provider_dates"):
        return frozenset(Provider.values)
    return frozenset({user.landesjugendamt}) & frozenset(Provider.values)


def user_may_administer_course_date(*, user: User, course_date: CourseDate) -> bool:
    """user_administered_providers for one date."""
    return course_date.course.provider in user_administered_providers(user=user)


def administered_q(*, user: User, prefix: str = "") -> Q:
    """user_administered_providers as a filter (`prefix` leads from the queried model to the
    course date, e.g. "course_date__"), so an id from a URL is resolved through it."""
    return Q(**{f"{prefix}course__provider__in": user_administered_providers(user=user)})


def trainer_of_q(*, user: User, prefix: str = "") -> Q:
    """The dates `user` teaches through their Trainer entry, as a filter that never repeats a
    row (an EXISTS, not a join)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    taught = Trainer.objects.filter(course_dates=OuterRef(f"{prefix}pk"), user=user)
    return Q(Exists(taught))


def courses_user_may_schedule(
    *, user: User, course_date: CourseDate | None = None
) -> QuerySet[Course]:
    """The courses the date form offers: those of the Landesjugendämter the person administers
    (user_administered_providers); the date's own course always stays selectable."""
    condition = Q(provider__in=user_administered_providers(user=user))
    if course_date is not None and course_date.course_id:
        condition |= Q(pk=course_date.course_id)
    return Course.objects.filter(condition)


def user_may_see_course_date_room(*, user: User, course_date: CourseDate) -> bool:
    """Confirmed (or attended) participants, trainers and Landesjugendamt staff."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_has_staff_power(user=user):
        return True
    if user_is_trainer(user=user, course_date=course_date):
        return True
    return Registration.objects.filter(
        participant=user, course_date=course_date, status__in=SEAT_STATUSES
    ).exists()


def user_may_see_online_link(*, user: User, course_date: CourseDate) -> bool:
    """The access link is for those who hold a seat, the trainers and staff; never after a
    cancellation of the date."""
    if course_date.is_cancelled or not course_date.online_url:
        return False
    return user_may_see_course_date_room(user=user, course_date=course_date)


def user_may_manage_registration(*, user: User, registration: Registration) -> bool:
    """Who may see and cancel a registration: the participant, the coordinator of the
    registration's municipality, the staff who administer its date
    (user_administered_providers)."""
    if not user.is_authenticated:
        return False
    if user_may_administer_course_date(user=user, course_date=registration.course_date):
        return True
    if registration.participant_id == user.pk:
        return True
    return registration.municipality is not None and user_is_coordinator_of(
        user=user, municipality=registration.municipality
    )


def user_registrations(*, user: User) -> list[Registration]:
    """A person's own registrations, newest date first, the waiting ones with their standing
    (with_standings)."""
    return with_standings(
        Registration.objects.filter(participant=user)
        .select_related("course_date__course")  # the page shows no municipality
        .annotate(certificate_number=valid_certificate_number())
        .order_by("-course_date__start", "-pk")
    )


def municipality_registrations(*, municipality: Municipality) -> list[Registration]:
    """A municipality's registrations (for its coordinator), newest date first, the waiting ones
    with their standing."""
    return with_standings(
        Registration.objects.filter(municipality=municipality)
        .select_related("course_date__course", "participant")
        .order_by("-course_date__start", "participant__name", "pk")
    )


def municipality_completed_courses(*, municipality: Municipality) -> list[dict]:
    """Which courses (curriculum modules) the municipality's staff have attended, with names."""
    rows = (
        Registration.objects.filter(municipality=municipality, status=RegistrationStatus.ATTENDED)
        .select_related("course_date__course", "participant")
        .order_by("course_date__course__title", "participant__name")
    )
    courses: dict[int, dict] = {}
    for registration in rows:
        course = registration.course_date.course
        entry = courses.setdefault(course.pk, {"course": course, "participants": []})
        if registration.participant not in entry["participants"]:
            entry["participants"].append(registration.participant)
    return list(courses.values())


def registrable_people(*, user: User) -> list[User]:
    """Whom `user` may register: themselves, and for a coordinator the approved members of their
    municipality."""
    from network.selectors.memberships import municipality_members, user_is_coordinator

    people = [user]
    if user_is_coordinator(user=user):
        membership = user_membership(user=user)
        for member in municipality_members(municipality=membership.municipality).order_by(
            "user__name"
        ):
            if member.user_id != user.pk:
                people.append(member.user)
    return people


def course_date_live_participant_ids(
    *, course_date: CourseDate | int, people: list[User]
) -> set[int]:
    """Which of `people` are registered or waiting for the date (not offered again)."""
    return set(
        Registration.objects.filter(
            course_date=course_date,
            participant__in=[p.pk for p in people],
            status__in=LIVE_STATUSES,
        ).values_list("participant_id", flat=True)
    )


def course_date_municipality_seats(
    *, course_date: CourseDate, municipality: Municipality | None
) -> int | None:
    """The seats `municipality` holds on the date, when the date has a maximum per
    municipality (None without one)."""
    if municipality is None or course_date.max_per_municipality is None:
        return None
    return Registration.objects.filter(
        course_date=course_date, municipality=municipality, status__in=SEAT_STATUSES
    ).count()


def course_date_participants(*, course_date: CourseDate) -> list[Registration]:
    """The participant list for staff: live registrations, seats first, then the waiting list
    (with their standing)."""
    return with_standings(
        Registration.objects.filter(course_date=course_date, status__in=LIVE_STATUSES)
        .select_related("participant", "municipality", "registered_by")
        .annotate(certificate_number=valid_certificate_number())
        .order_by("status", "priority", "created_at", "pk")
    )


def certificate_lookup(*, number: str) -> Certificate | None:
    """The certificate with this number in any state (valid, replaced, revoked), for the public
    verification page."""
    number = (number or "").strip().upper()
    if not number or len(number) > 32:
        return None
    return (
        Certificate.objects.filter(number=number)
        .select_related("registration__participant", "course_date__course", "replaced_by")
        .first()
    )


def valid_certificate_number() -> Subquery:
    """Annotation: the number of the registration's valid certificate, or None."""
    return Subquery(
        Certificate.objects.filter(
            registration=OuterRef("pk"), status=CertificateStatus.VALID
        ).values("number")[:1]
    )


def registration_valid_certificate(*, registration: Registration) -> Certificate | None:
    return (
        Certificate.objects.filter(registration=registration, status=CertificateStatus.VALID)
        .select_related("issued_by", "course_date__course")
        .first()
    )


def course_date_days(*, course_date: CourseDate) -> list[date]:
    """The local (Europe/Berlin) days a date runs on: one for most dates, several for a date
    whose start and end fall on different days. An end at midnight does not add a day."""
    berlin = ZoneInfo("Europe/Berlin")
    day = course_date.start.astimezone(berlin).date()
    last = (course_date.end - timedelta(microseconds=1)).astimezone(berlin).date()
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=1)
    return days


def course_date_attendance(*, course_date: CourseDate) -> dict[int, dict[date, bool]]:
    """Recorded attendance of a date's seats: {registration id: {day: present}}, one query."""
    marks: dict[int, dict[date, bool]] = {}
    for registration_id, day, present in Attendance.objects.filter(
        registration__course_date=course_date, registration__status__in=SEAT_STATUSES
    ).values_list("registration_id", "day", "present"):
        marks.setdefault(registration_id, {})[day] = present
    return marks


def course_date_attendance_version(*, course_date: CourseDate) -> str:
    """A fingerprint of the date's seats and their recorded attendance. The attendance form
    carries it, so a form sent twice or over someone else's later changes is refused."""
    seats = Registration.objects.filter(course_date=course_date, status__in=SEAT_STATUSES)
    state = sorted(seats.values_list("pk", "status"))
    marks = course_date_attendance(course_date=course_date)
    text = repr([(pk, status, sorted(marks.get(pk, {}).items())) for pk, status in state])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def course_date_certificates(*, course_date: CourseDate) -> dict[int, Certificate]:
    """The valid certificate of each registration of a date, by registration id, one query."""
    return {
        certificate.registration_id: certificate
        for certificate in Certificate.objects.filter(
            course_date=course_date, status=CertificateStatus.VALID
        )
    }


def calendar_registrations(*, user: User) -> QuerySet[Registration]:
    """What the private calendar feed shows: the user's dates with a seat."""
    return Registration.objects.filter(participant=user, status__in=SEAT_STATUSES).select_related(
        "course_date__course"
    )


def reminders_due(*, now: datetime) -> QuerySet[Registration]:
    """Confirmed registrations for planned dates that start within two days and have not been
    reminded yet."""
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        course_date__status=CourseDateStatus.PLANNED,
        course_date__start__gt=now,
        course_date__start__lte=now + timedelta(days=2),
    ).select_related("course_date__course", "participant")


def course_date_availability(*, course_date: CourseDate) -> str:
    """The label a list shows: "noch 3 Plätze", "Warteliste" or "abgesagt"."""
    if course_date.is_cancelled:
        return str(_("cancelled"))
    left = course_date_seats_left(course_date=course_date)
    if left > 0:
        return ngettext("%(count)s seat left", "%(count)s seats left", left) % {"count": left}
    return str(_("waiting list"))


# --- the course administration's start page ------------------------------------------------------


STAFF_PERIODS = ("upcoming", "past", "all")


def staff_course_dates(
    *,
    provider: str = "",
    course_id: int | None = None,
    format: str = "",
    lifecycle: str = "",
    period: str = "upcoming",
    year: int | None = None,
    now: datetime | None = None,
) -> QuerySet[CourseDate]:
    """The dates of the course administration's start page, filtered, with `seat_count`,
    `waiting_count`, `seats_left`, `lifecycle_value`, `attended_count` and
    `certificates_missing` annotated: one query, whatever the number of dates and registrations.
    Upcoming dates soonest first, past (and all) newest first."""
    now = now or timezone.now()
    queryset = CourseDate.objects.select_related("course")
    if provider:
        queryset = queryset.filter(course__provider=provider)
    if course_id:
        queryset = queryset.filter(course_id=course_id)
    if format:
        queryset = queryset.filter(course__format=format)
    if year:
        queryset = queryset.filter(start__year=year)
    if period == "upcoming":
        queryset = queryset.filter(end__gt=now)
    elif period == "past":
        queryset = queryset.filter(end__lte=now)
    attended = Registration.objects.filter(
        course_date=OuterRef("pk"), status=RegistrationStatus.ATTENDED
    )
    queryset = (
        course_dates_annotated(queryset)
        .with_lifecycle(now=now)
        .annotate(
            attended_count=_count_subquery(attended),
            certificates_missing=_count_subquery(
                attended.exclude(certificates__status=CertificateStatus.VALID)
            ),
        )
    )
    if lifecycle:
        queryset = queryset.filter(lifecycle_value=lifecycle)
    if period == "upcoming":
        return queryset.order_by("start", "pk")
    return queryset.order_by("-start", "-pk")


def course_date_open_tasks(*, course_date: CourseDate) -> list[dict]:
    """What is left to do on a date, as {"key", "label", "url"}: attendance once it has ended
    and nobody recorded it, certificates for attendees without one, the evaluation of a closed
    date (its results, at the address the evaluation app registered in training.hooks). Reads
    the annotations of staff_course_dates (no query of its own)."""
    participants = reverse("training:staff_participants", args=[course_date.pk])
    lifecycle = course_date.lifecycle
    tasks = []
    if lifecycle == CourseDateLifecycle.HELD:
        tasks.append({"key": "attendance", "label": _("Record attendance"), "url": participants})
    if getattr(course_date, "certificates_missing", 0):
        tasks.append({"key": "certificates", "label": _("Issue certificates"), "url": participants})
    results = evaluation_results_url(course_date_id=course_date.pk)
    if lifecycle == CourseDateLifecycle.CLOSED and results:
        tasks.append({"key": "evaluation", "label": _("Review the evaluation"), "url": results})
    return tasks


def course_date_years() -> list[int]:
    """The years that have dates, newest first (the start page's year filter)."""
    return [d.year for d in CourseDate.objects.datetimes("start", "year", order="DESC")]
