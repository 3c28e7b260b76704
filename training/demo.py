"""Demo courses and dates (idempotent). cms.demo has created the Fortbildungsmodul courses of the
curriculum; this adds the other formats, past and upcoming dates, and a few registrations of the
demo logins (one attended with a certificate, one on a waiting list)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from core.models import User
from network.models import Membership, MembershipStatus
from training.models import (
    Course,
    CourseDate,
    Registration,
    RegistrationStatus,
)

EXTRA_COURSES = [
    # (title, kind, format, provider, hours, summary, target group)
    (
        "Lernnetzwerktreffen Rheinland",
        "lernnetzwerktreffen",
        "in_person",
        "LVR",
        5,
        "Die Programmkommunen im Rheinland tauschen sich über den Stand ihrer Präventionsketten "
        "aus: Was trägt, wo hakt es, was lässt sich übernehmen?",
        "Koordinationen Präventionskette im Rheinland",
    ),
    (
        "Lernnetzwerktreffen Westfalen-Lippe",
        "lernnetzwerktreffen",
        "in_person",
        "LWL",
        5,
        "Interkommunaler Austausch der Programmkommunen in Westfalen-Lippe.",
        "Koordinationen Präventionskette in Westfalen-Lippe",
    ),
    (
        "Fachtag kinderstark: Familiengrundschulzentren und Familienbüros",
        "fachtag",
        "hybrid",
        "LWL",
        6,
        "Landesweiter Fachtag mit Beispielen aus der Praxis: wie Familiengrundschulzentren und "
        "Familienbüros Familien früh erreichen.",
        "Fach- und Leitungskräfte der Programmkommunen und der Freien Träger",
    ),
    (
        "Online-Austausch: Lotsendienste in Geburtskliniken",
        "online_austausch",
        "online",
        "LVR",
        2,
        "Kurzer Austausch zu sozialpädagogischen Lotsendiensten in Geburtskliniken und "
        "Kinderarztpraxen.",
        "Fachkräfte Frühe Hilfen",
    ),
]

VENUES = {
    "LVR": ("LVR-Landeshaus", "Kennedy-Ufer 2\n50679 Köln"),
    "LWL": ("LWL-Bildungszentrum Jugendhof Vlotho", "Oeynhausener Str. 1\n32602 Vlotho"),
}


def _at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load(*, password: str, log) -> None:
    for title, kind, fmt, provider, hours, summary, target in EXTRA_COURSES:
        Course.objects.update_or_create(
            title=title,
            defaults={
                "kind": kind,
                "format": fmt,
                "provider": provider,
                "hours": hours,
                "summary": summary,
                "target_group": target,
            },
        )
    courses = list(Course.objects.order_by("pk"))
    created = 0
    for index, course in enumerate(courses):
        if course.dates.exists():
            continue  # idempotent: dates are made once per course
        venue_name, venue_address = VENUES[course.provider]
        online = course.format in ("online", "hybrid")
        # One past date and two upcoming ones per course, spread over the next months.
        for offset, capacity in ((-40 - 7 * index, 20), (10 + 9 * index, 12), (50 + 11 * index, 3)):
            start = _at(offset, 9 if course.format != "online" else 14)
            length = timedelta(hours=float(course.hours) if course.hours <= 8 else 6)
            CourseDate.objects.create(
                course=course,
                start=start,
                end=start
                + length
                + (timedelta(hours=1) if length.seconds > 4 * 3600 else timedelta()),
                venue_name="" if course.format == "online" else venue_name,
                venue_address="" if course.format == "online" else venue_address,
                online_url="https://konferenz.example/kinderstark-demo" if online else "",
                capacity=capacity,
                max_per_municipality=2 if capacity > 10 else None,
                cancellation_deadline=start - timedelta(days=3),
                trainer_names="Dr. Jana Beispiel, Tom Muster",
                information="Bitte bringen Sie die Daten Ihres Sozialraummonitorings mit.",
            )
            created += 1
    log(f"{len(courses)} courses, {created} new course dates")

    _registrations(log)


def _registrations(log) -> None:
    people = {
        m.user.email: m
        for m in Membership.objects.filter(
            status=MembershipStatus.APPROVED,
            user__email__in=[
                "fachkraft@dortmund.example",
                "koordination@dortmund.example",
                "koordination@koeln.example",
            ],
        ).select_related("user", "municipality")
    }
    if len(people) < 3:
        return
    now = timezone.now()
    past = CourseDate.objects.filter(end__lt=now).order_by("start").first()
    small = CourseDate.objects.filter(start__gt=now, capacity=3).order_by("start").first()
    upcoming = CourseDate.objects.filter(start__gt=now, capacity=12).order_by("start").first()
    coordinator = people["koordination@dortmund.example"].user
    made = 0

    def add(course_date, email, status, **extra):
        nonlocal made
        if course_date is None:
            return
        membership = people[email]
        _, was_created = Registration.objects.get_or_create(
            course_date=course_date,
            participant=membership.user,
            defaults={
                "municipality": membership.municipality,
                "registered_by": coordinator,
                "status": status,
                "confirmed_at": now if status != RegistrationStatus.WAITING else None,
                **extra,
            },
        )
        made += int(was_created)

    add(
        past,
        "fachkraft@dortmund.example",
        RegistrationStatus.ATTENDED,
        attendance_marked_at=now,
    )
    _demo_certificate(past, "fachkraft@dortmund.example", now=now)
    add(upcoming, "fachkraft@dortmund.example", RegistrationStatus.CONFIRMED)
    add(upcoming, "koordination@koeln.example", RegistrationStatus.CONFIRMED)
    if small is not None and not small.registrations.exists():
        # Fill the small date with demo Fachkräfte so the waiting list shows.
        for number in range(3):
            email = f"teilnahme{number + 1}@koeln.example"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email, password=None, name=f"Demo-Teilnehmende {number + 1}"
            )
            Registration.objects.create(
                course_date=small,
                participant=user,
                municipality=people["koordination@koeln.example"].municipality,
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=now,
            )
            made += 1
    add(small, "koordination@dortmund.example", RegistrationStatus.WAITING)
    log(f"{made} new registrations")


def _demo_certificate(course_date, email: str, *, now) -> None:
    """The attended demo registration's attendance per day and its certificate (idempotent)."""
    from training.models import Attendance, Certificate
    from training.selectors import course_date_days

    if course_date is None:
        return
    registration = Registration.objects.filter(
        course_date=course_date, participant__email=email, status=RegistrationStatus.ATTENDED
    ).first()
    if registration is None:
        return
    for day in course_date_days(course_date=course_date):
        Attendance.objects.get_or_create(
            registration=registration, day=day, defaults={"present": True, "marked_at": now}
        )
    Certificate.objects.get_or_create(
        number="KS-DEMO-0001",
        defaults={"registration": registration, "course_date": course_date, "issued_at": now},
    )
