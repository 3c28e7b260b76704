"""Demo courses and dates (idempotent). cms.demo has created the Fortbildungsmodul courses of the
curriculum; this adds the other formats and schedules each course the way the Landesjugendämter
do: on weekdays, an in-person day 09:30–16:30 (6 hours after an hour's lunch break), an online
unit 09:00–12:00 (3 hours), a series of online units a week apart. Each course has a run last
year, one a few weeks ago (with participants from several programme municipalities and their
attendance recorded) and two upcoming ones (12 seats, and 3 seats that the demo fills so the
waiting list shows).

The realism rules, which tests/training/test_demo_realism.py checks on the loaded data:
- every date starts and ends on a weekday (Monday to Friday);
- a date within one day has hours = (end − start) − breaks, the break being one hour for a
  date longer than five hours; a date over several consecutive days runs from its start time to
  its end time on each day, and its hours are the days times the hours of one day;
- the hours of a run's dates add up to the course's hours;
- a date's information text names the year the date is in.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from core.models import User
from network.models import Membership, MembershipRole, MembershipStatus, Municipality
from training.models import (
    Course,
    CourseDate,
    CourseFormat,
    CourseKind,
    Registration,
    RegistrationStatus,
    Trainer,
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
ONLINE_URL = "https://konferenz.example/kinderstark-demo"

# An hour's lunch break on a date longer than this.
BREAK_AFTER = timedelta(hours=5)
BREAK = timedelta(hours=1)


# Trainers are a list the Landesjugendämter keep (training.models.Trainer); these have no login.
DEMO_TRAINERS = [
    ("Dr. Jana Beispiel", "Demo-Institut für Präventionsketten"),
    ("Tom Muster", "Demo-Fachberatung Frühe Hilfen"),
]


def date_hours(start: datetime, end: datetime) -> Decimal:
    """The hours of instruction of a date by the demo's rule (see the module docstring)."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    days = (end.date() - start.date()).days + 1
    daily = datetime.combine(start.date(), end.time()) - datetime.combine(
        start.date(), start.time()
    )
    if daily > BREAK_AFTER:
        daily -= BREAK
    return Decimal(days * daily.total_seconds() / 3600).quantize(Decimal("0.1"))


@dataclass
class Session:
    """One date of a run: `offset` days after the run's first day, `days` consecutive days."""

    offset: int
    start: time
    end: time
    online: bool
    days: int = 1


IN_PERSON_DAY = (time(9, 30), time(16, 30))  # 6 hours after the lunch break
ONLINE_UNIT = (time(9, 0), time(12, 0))  # 3 hours


def sessions_for(course: Course) -> list[Session]:
    """The dates one run of the course consists of, by its kind, format and hours."""
    hours = float(course.hours)
    if course.kind == CourseKind.ONLINE_AUSTAUSCH:
        return [Session(0, time(10, 0), time(12, 0), online=True)]
    if course.kind == CourseKind.LERNNETZWERKTREFFEN:
        return [Session(0, time(10, 0), time(16, 0), online=False)]  # 5 hours
    if course.kind == CourseKind.FACHTAG:
        return [Session(0, *IN_PERSON_DAY, online=course.format != CourseFormat.IN_PERSON)]
    if course.format == CourseFormat.IN_PERSON:
        return [Session(0, *IN_PERSON_DAY, online=False, days=max(1, round(hours / 6)))]
    if course.format == CourseFormat.ONLINE:
        return [Session(7 * n, *ONLINE_UNIT, online=True) for n in range(math.ceil(hours / 3))]
    # Blended: an in-person day, then online units a week apart for the remaining hours.
    units = math.ceil(max(hours - 6, 0) / 3)
    return [Session(0, *IN_PERSON_DAY, online=False)] + [
        Session(7 * (n + 1), *ONLINE_UNIT, online=True) for n in range(units)
    ]


def _tuesday_near(day: date) -> date:
    """The Tuesday on or after `day`: a two-day date then runs Tuesday–Wednesday, and a weekly
    series stays on Tuesdays."""
    return day + timedelta(days=(1 - day.weekday()) % 7)


def _in_holidays(day: date) -> bool:
    """Between Christmas and Epiphany nobody trains."""
    return (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6)


def _information(course: Course, day: date) -> str:
    if course.kind == CourseKind.LERNNETZWERKTREFFEN:
        season = "Frühjahr" if day.month <= 6 else "Herbst"
        return (
            f"Lernnetzwerktreffen {season} {day.year}: Bitte bringen Sie ein Beispiel aus Ihrer "
            "Kommune mit, das Sie gern mit den anderen besprechen möchten."
        )
    if course.kind == CourseKind.FACHTAG:
        return f"Fachtag {day.year}: Das Programm mit den Foren folgt vier Wochen vorher."
    return (
        f"Programmjahr {day.year}: Bitte bringen Sie die aktuelle Bestandsaufnahme Ihrer "
        "Präventionskette und die Daten Ihres Sozialraummonitorings mit."
    )


# The runs of each course: days from today to its first day (spread by the course's index so
# courses do not all meet on the same Tuesday), seats, and at most seats per municipality.
RUNS = [
    (-390, 20, None),  # last year
    (-60, 20, None),  # a few weeks ago, attendance recorded
    (21, 12, 2),  # upcoming, open
    (70, 3, None),  # upcoming, small: the demo fills it
]


def _schedule(course: Course, index: int) -> list[CourseDate]:
    venue_name, venue_address = VENUES[course.provider]
    sessions = sessions_for(course)
    today = timezone.localdate()
    made = []
    previous = None
    for days_ahead, capacity, per_municipality in RUNS:
        first_day = _tuesday_near(today + timedelta(days=days_ahead + 7 * (index % 6)))
        if days_ahead > 0 and first_day <= today:
            first_day += timedelta(days=7)
        if previous is not None and first_day < previous + timedelta(days=35):
            first_day = previous + timedelta(days=35)  # runs stay five weeks apart
        while any(
            _in_holidays(first_day + timedelta(days=s.offset + d))
            for s in sessions
            for d in range(s.days)
        ):
            first_day += timedelta(days=14)
        previous = first_day
        for session in sessions:
            day = first_day + timedelta(days=session.offset)
            start = timezone.make_aware(datetime.combine(day, session.start))
            end = timezone.make_aware(
                datetime.combine(day + timedelta(days=session.days - 1), session.end)
            )
            made.append(
                CourseDate(
                    course=course,
                    start=start,
                    end=end,
                    hours=date_hours(start, end),
                    venue_name="" if session.online else venue_name,
                    venue_address="" if session.online else venue_address,
                    online_url=ONLINE_URL
                    if session.online or course.format == CourseFormat.HYBRID
                    else "",
                    capacity=capacity,
                    max_per_municipality=per_municipality,
                    cancellation_deadline=start - timedelta(days=3),
                    information=_information(course, day),
                )
            )
    return made


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
    trainers = [
        Trainer.objects.get_or_create(name=name, defaults={"organisation": organisation})[0]
        for name, organisation in DEMO_TRAINERS
    ]
    new_dates = []
    for index, course in enumerate(courses):
        if course.dates.exists():
            continue  # idempotent: dates are made once per course
        new_dates += _schedule(course, index)
    CourseDate.objects.bulk_create(new_dates)
    CourseDate.trainers.through.objects.bulk_create(
        CourseDate.trainers.through(coursedate_id=course_date.pk, trainer_id=trainer.pk)
        for course_date in new_dates
        for trainer in trainers
    )
    log(f"{len(courses)} courses, {len(new_dates)} new course dates")

    # The participants of past runs first: they go to dates nobody is registered for yet.
    _past_participants(log)
    _registrations(log, courses)
    _past_attendance_and_certificates(log)


def _registrations(log, courses) -> None:
    """The demo logins' own registrations, on the first course (Grundlagen kommunaler
    Präventionsketten): Felix attended its recent run, Felix and Katrin hold seats on the next
    one, and Dana waits for the small one that three Köln colleagues have filled."""
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
    if len(people) < 3 or not courses:
        return
    now = timezone.now()
    first = courses[0].dates.order_by("start")
    past = first.filter(end__lt=now).last()
    small = first.filter(start__gt=now, capacity=3).first()
    upcoming = first.filter(start__gt=now, capacity=12).first()
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

    # Certificates: the "certs" work issues them through its service once attendance is
    # recorded; until then the demo's one certificate is written here.
    add(
        past,
        "fachkraft@dortmund.example",
        RegistrationStatus.ATTENDED,
        attendance_marked_at=past.end if past else now,
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


# Fachkräfte of further programme municipalities (no login) who took part in past runs, so the
# reports and the matrix show something. Dortmund's and Köln's people are the logins' own.
PARTICIPANTS = [
    # (name, function, municipality slug)
    ("Sabine Hoffmann", "Koordination Präventionskette", "essen"),
    ("Murat Aydin", "Fachkraft Frühe Hilfen", "essen"),
    ("Claudia Schmitz", "Jugendhilfeplanung", "duesseldorf"),
    ("Lena Krüger", "Familienbüro", "duesseldorf"),
    ("Peter Lange", "Koordination Präventionskette", "gelsenkirchen"),
    ("Fatma Demir", "Familiengrundschulzentrum", "gelsenkirchen"),
    ("Anna Richter", "Sozialplanung", "bielefeld"),
    ("Jan Wolff", "Fachkraft Frühe Hilfen", "bielefeld"),
    ("Heike Brandt", "Koordination Präventionskette", "kreis-recklinghausen"),
    ("Olga Neumann", "Lotsendienst Kinderarztpraxen", "kreis-recklinghausen"),
    ("Stefan Vogel", "Jugendhilfeplanung", "staedteregion-aachen"),
    ("Miriam Haas", "Fachkraft Kita-Sozialarbeit", "staedteregion-aachen"),
    ("Thomas Berger", "Koordination Präventionskette", "kreis-lippe"),
    ("Derya Kaplan", "Familienbüro", "kreis-lippe"),
    ("Julia Franke", "Übergang Schule–Beruf", "neuss"),
    ("Markus Engel", "Koordination Präventionskette", "bochum"),
    ("Nadine Kühn", "Fachkraft Frühe Hilfen", "muenster"),
    ("Ralf Peters", "Jugendhilfeplanung", "kreis-mettmann"),
]


def _ascii(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return text.lower().replace(" ", ".")


def _past_participants(log) -> None:
    towns = Municipality.objects.in_bulk([slug for *_, slug in PARTICIPANTS], field_name="slug")
    people = []
    for name, function, slug in PARTICIPANTS:
        town = towns.get(slug)
        if town is None:
            continue
        email = f"{_ascii(name)}@{slug}.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password=None, name=name, function=function)
        Membership.objects.get_or_create(
            user=user,
            status=MembershipStatus.APPROVED,
            defaults={
                "municipality": town,
                "role": MembershipRole.COORDINATOR
                if function == "Koordination Präventionskette"
                else MembershipRole.STAFF,
                "decided_at": timezone.now(),
            },
        )
        people.append((user, town))
    if not people:
        return
    now = timezone.now()
    past_dates = list(
        CourseDate.objects.filter(end__lt=now, registrations__isnull=True).order_by("start", "pk")
    )
    # Each run's dates get the same people: a run is a course's dates that start within four
    # weeks of its first one.
    rows = []
    run_start: dict[int, CourseDate] = {}
    for course_date in past_dates:
        current = run_start.get(course_date.course_id)
        if current is None or course_date.start - current.start > timedelta(days=28):
            run_start[course_date.course_id] = current = course_date
        first = current.pk
        # A different group of 6–9 people per run, picked by the run's first date.
        count = 6 + first % 4
        chosen = [people[(first * 7 + n * 5) % len(people)] for n in range(count)]
        seen = set()
        for position, (user, town) in enumerate(chosen):
            if user.pk in seen:
                continue
            seen.add(user.pk)
            # One in eight did not come: attendance recorded, not attended.
            absent = (first + position) % 8 == 0
            rows.append(
                Registration(
                    course_date=course_date,
                    participant=user,
                    municipality=town,
                    status=RegistrationStatus.CONFIRMED if absent else RegistrationStatus.ATTENDED,
                    created_at=course_date.start - timedelta(days=30),
                    confirmed_at=course_date.start - timedelta(days=30),
                    attendance_marked_at=course_date.end + timedelta(hours=2),
                )
            )
    Registration.objects.bulk_create(rows)
    log(f"{len(people)} demo participants, {len(rows)} past registrations with attendance")


def _past_attendance_and_certificates(log) -> None:
    """For every past date whose attendance the demo recorded: attendance per day, a certificate
    for each attendee (numbers KS-DEMO-<registration id>), and the date closed, as recording the
    list through training.services.attendance does. Evaluation answers come from
    training.evaluation.demo. Idempotent."""
    from training.models import Attendance, Certificate
    from training.selectors import course_date_days

    now = timezone.now()
    registrations = list(
        Registration.objects.filter(course_date__end__lt=now, attendance_marked_at__isnull=False)
        .exclude(attendance_days__isnull=False)
        .select_related("course_date")
    )
    attendance, certificates = [], []
    for registration in registrations:
        attended = registration.status == RegistrationStatus.ATTENDED
        course_date = registration.course_date
        for day in course_date_days(course_date=course_date):
            attendance.append(
                Attendance(
                    registration=registration,
                    day=day,
                    present=attended,
                    marked_at=registration.attendance_marked_at,
                )
            )
        if attended and not Certificate.objects.filter(registration=registration).exists():
            certificates.append(
                Certificate(
                    number=f"KS-DEMO-{registration.pk:04d}",
                    registration=registration,
                    course_date=course_date,
                    issued_at=registration.attendance_marked_at,
                )
            )
    Attendance.objects.bulk_create(attendance, ignore_conflicts=True)
    Certificate.objects.bulk_create(certificates, ignore_conflicts=True)
    closed = CourseDate.objects.filter(
        end__lt=now, closed_at__isnull=True, registrations__attendance_marked_at__isnull=False
    ).update(closed_at=now)
    log(f"{len(certificates)} demo certificates, {closed} past dates closed")


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
