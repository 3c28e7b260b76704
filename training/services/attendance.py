"""Attendance: staff record, day by day, who was present at a date. Present on every day of the
date means attended, which issues the certificate (training.services.certificates)."""

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.models import User
from training import exceptions
from training.models import (
    SEAT_STATUSES,
    Attendance,
    Certificate,
    CourseDate,
    Registration,
    RegistrationStatus,
)
from training.selectors import (
    course_date_attendance,
    course_date_attendance_version,
    course_date_days,
)
from training.services.access import check_may_administer
from training.services.certificates import certificate_issue, certificates_revoke_for
from training.services.lifecycle import course_date_close


@dataclass
class AttendanceResult:
    changed: list[Registration] = field(default_factory=list)  # whose marks changed
    issued: list[Certificate] = field(default_factory=list)
    revoked: list[Certificate] = field(default_factory=list)


def _markable_days(course_date: CourseDate) -> list[date]:
    """The days of the date that have begun (a day is marked once it has started)."""
    today = timezone.localdate(timezone.now(), timezone=ZoneInfo("Europe/Berlin"))
    return [day for day in course_date_days(course_date=course_date) if day <= today]


def attendance_record(
    *,
    course_date: CourseDate,
    by: User,
    present: set[tuple[int, date]] | None,
    version: str | None = None,
) -> AttendanceResult:
    """Record the whole list at once: each (registration id, day) in `present` was there, every
    other seat was not, on each day that has begun. `present=None` marks everybody present on
    those days."""

    def marks(seats, days):
        wanted = {(pk, day) for pk in seats for day in days} if present is None else present
        _check_ids(course_date, {pk for pk, _day in wanted}, seats)
        result = {pk: {day: (pk, day) in wanted for day in days} for pk in seats}
        for _pk, day in wanted:
            _check_day(day, course_date, days)
        return result

    with transaction.atomic():
        result = _apply(course_date=course_date, by=by, make_marks=marks, version=version)
        if timezone.now() >= course_date.end:
            # The list of a date that has ended is recorded: the date is closed.
            course_date_close(course_date=course_date, by=by)
    return result


def attendance_mark(
    *, registration: Registration, by: User, attended: bool, day: date | None = None
) -> Registration:
    """One person at a time: present (or not) on `day`, or on every day that has begun. The
    others' marks stay as they are."""

    def marks(seats, days):
        _check_ids(registration.course_date, {registration.pk}, seats)
        if day is not None:
            _check_day(day, registration.course_date, days)
        return {registration.pk: dict.fromkeys([day] if day is not None else days, attended)}

    _apply(course_date=registration.course_date, by=by, make_marks=marks)
    return Registration.objects.select_related("course_date__course", "participant").get(
        pk=registration.pk
    )


def _check_ids(course_date: CourseDate, ids: set[int], seats: dict) -> None:
    unknown = ids - set(seats)
    if unknown:
        found = Registration.objects.filter(pk__in=unknown, course_date=course_date).count()
        if found < len(unknown):
            raise exceptions.NotThisDate
        raise exceptions.NotLive


def _check_day(day: date, course_date: CourseDate, days: list[date]) -> None:
    if day not in course_date_days(course_date=course_date):
        raise exceptions.NotADayOfTheDate
    if day not in days:
        raise exceptions.AttendanceDayTooEarly


def _apply(*, course_date: CourseDate, by: User, make_marks, version: str | None = None):
    """The one write path of attendance. Refused without any change when an id is not a seat of
    this date (someone else's, cancelled, waiting), a day is not the date's or has not begun,
    the date has not begun or was cancelled, or `version` no longer matches (a form sent twice,
    or one loaded before someone else's change). A person present on all days of the date
    attended and gets a certificate (with its mail); one who no longer is loses it (revoked)."""
    check_may_administer(course_date=course_date, by=by)
    if course_date.is_cancelled:
        raise exceptions.CourseDateCancelled
    if timezone.now() < course_date.start:
        raise exceptions.AttendanceTooEarly
    all_days = course_date_days(course_date=course_date)
    days = _markable_days(course_date)
    result = AttendanceResult()
    with transaction.atomic():
        CourseDate.objects.select_for_update().get(pk=course_date.pk)
        if version is not None and version != course_date_attendance_version(
            course_date=course_date
        ):
            raise exceptions.AttendanceChangedMeanwhile
        seats = {
            r.pk: r
            for r in Registration.objects.select_for_update(of=("self",))
            .filter(course_date=course_date, status__in=SEAT_STATUSES)
            .select_related("course_date__course", "participant")
            .order_by("pk")
        }
        wanted = make_marks(seats, days)
        recorded_all = course_date_attendance(course_date=course_date)
        now = timezone.now()
        for pk, by_day in sorted(wanted.items()):
            registration = seats[pk]
            recorded = recorded_all.get(pk, {})
            changed = {day: value for day, value in by_day.items() if recorded.get(day) != value}
            if not changed:
                continue
            for day, value in changed.items():
                Attendance.objects.update_or_create(
                    registration=registration,
                    day=day,
                    defaults={"present": value, "marked_at": now, "marked_by": by},
                )
            recorded = {**recorded, **changed}
            attended = all(recorded.get(day) for day in all_days)
            registration.attendance_marked_at = now
            fields = ["attendance_marked_at"]
            if attended and registration.status != RegistrationStatus.ATTENDED:
                registration.status = RegistrationStatus.ATTENDED
                fields.append("status")
                registration.save(update_fields=fields)
                result.issued.append(certificate_issue(registration=registration, by=by))
            else:
                if not attended and registration.status == RegistrationStatus.ATTENDED:
                    registration.status = RegistrationStatus.CONFIRMED
                    fields.append("status")
                    result.revoked += certificates_revoke_for(registration=registration, by=by)
                registration.save(update_fields=fields)
            result.changed.append(registration)
    return result
