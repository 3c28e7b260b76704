"""Attendance, and with it the certificate number: staff mark who attended a date."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import User
from core.selectors import user_has_staff_power
from training import exceptions
from training.models import SEAT_STATUSES, CourseDate, Registration, RegistrationStatus
from training.services.lifecycle import course_date_close


def _new_certificate_number(year: int) -> str:
    return f"KS-{year}-{secrets.token_hex(4).upper()}"


def attendance_mark(*, registration: Registration, by: User, attended: bool) -> Registration:
    """Staff mark whether a confirmed participant attended (once the date has begun). An
    attendee gets a certificate number; taking the mark back withdraws it."""
    if not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    course_date = registration.course_date
    if course_date.is_cancelled:
        raise exceptions.CourseDateCancelled
    if timezone.now() < course_date.start:
        raise exceptions.AttendanceTooEarly
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status not in SEAT_STATUSES:
            raise exceptions.NotLive
        now = timezone.now()
        if attended and current.status != RegistrationStatus.ATTENDED:
            current.status = RegistrationStatus.ATTENDED
            current.attendance_marked_at = now
            current.certificate_number = _new_certificate_number(course_date.start.year)
            current.certificate_issued_at = now
        elif not attended and current.status == RegistrationStatus.ATTENDED:
            current.status = RegistrationStatus.CONFIRMED
            current.attendance_marked_at = now
            current.certificate_number = None
            current.certificate_issued_at = None
        else:
            return current
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    current.save(
                        update_fields=[
                            "status",
                            "attendance_marked_at",
                            "certificate_number",
                            "certificate_issued_at",
                        ]
                    )
                break
            except IntegrityError:  # pragma: no cover - a 1 in 4 billion collision
                current.certificate_number = _new_certificate_number(course_date.start.year)
    return current


def attendance_mark_many(
    *, course_date: CourseDate, by: User, attended_ids: set[int]
) -> list[Registration]:
    """Mark the whole participant list at once: the given ids attended, the other seats not.
    Recording the attendance of a date that has ended closes it (training.services.lifecycle)."""
    if course_date.is_cancelled:
        raise exceptions.CourseDateCancelled
    if timezone.now() < course_date.start:
        raise exceptions.AttendanceTooEarly
    changed = []
    for registration in Registration.objects.filter(
        course_date=course_date, status__in=SEAT_STATUSES
    ).select_related("course_date"):
        want = registration.pk in attended_ids
        if want != (registration.status == RegistrationStatus.ATTENDED):
            changed.append(attendance_mark(registration=registration, by=by, attended=want))
    if timezone.now() >= course_date.end:
        course_date_close(course_date=course_date, by=by)
    return changed
