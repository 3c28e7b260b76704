"""Course dates: staff save and cancel them. A save that changes seats or the time or place runs
under the date's row lock (seats.course_date_locked), promotes and tells the people registered."""

from datetime import datetime

from django.utils import timezone

from core.mail import enqueue_mails_later
from core.models import User
from training import exceptions
from training.models import (
    LIVE_STATUSES,
    CourseDate,
    CourseDateStatus,
    Registration,
    RegistrationStatus,
)
from training.services.access import check_may_administer
from training.services.mail import promoted_mails, registration_mail_later
from training.services.seats import course_date_locked, promote, seat_counts

# Fields whose change participants are told about.
NOTIFIED_FIELDS = ("start", "end", "venue_name", "venue_address", "online_url")


def _comparable(value):
    # Times are entered to the minute; seconds lost on a form round trip are no change.
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    return value


def course_date_save(*, course_date: CourseDate, by: User | None = None) -> CourseDate:
    """Save a new or edited course date (the Wagtail admin calls this).

    Capacity may not drop below the seats already taken. A higher capacity or municipality
    maximum promotes from the waiting list at once; a changed time, venue or access link is
    told to everybody registered. Only staff who administer the date's Landesjugendamt
    (check_may_administer; and code run without a person, `by=None`) may.
    """
    if by is not None:
        check_may_administer(course_date=course_date, by=by)
    if course_date.pk is None:
        course_date.save()
        return course_date
    with course_date_locked(course_date.pk) as locked:
        taken, _ = seat_counts(locked)
        if course_date.capacity < taken:
            raise exceptions.CapacityBelowTaken
        changed = [
            f
            for f in NOTIFIED_FIELDS
            if _comparable(getattr(locked, f)) != _comparable(getattr(course_date, f))
        ]
        course_date.save()
        promoted = promote(course_date)
        mails = promoted_mails(promoted)
        if changed and not course_date.is_cancelled:
            promoted_ids = {r.pk for r in promoted}
            for registration in Registration.objects.filter(
                course_date=course_date, status__in=LIVE_STATUSES
            ).select_related("participant"):
                if registration.pk in promoted_ids:
                    continue
                registration.course_date = course_date
                mails.append(
                    registration_mail_later(
                        "date_changed",
                        registration,
                        ics=registration.holds_seat,
                        changed=changed,
                    )
                )
        enqueue_mails_later(mails)
    return course_date


def course_date_cancel(*, course_date: CourseDate, by: User) -> CourseDate:
    """Staff cancel a whole date: every live registration is cancelled and told. Only a
    planned date can be cancelled: one that has begun is running, held or closed."""
    check_may_administer(course_date=course_date, by=by)
    with course_date_locked(course_date.pk) as locked:
        if locked.is_cancelled:
            raise exceptions.CourseDateCancelled
        if timezone.now() >= locked.start:
            raise exceptions.CourseDateAlreadyBegun
        now = timezone.now()
        locked.status = CourseDateStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        live = list(
            Registration.objects.filter(
                course_date=locked, status__in=LIVE_STATUSES
            ).select_related("participant")
        )
        Registration.objects.filter(pk__in=[r.pk for r in live]).update(
            status=RegistrationStatus.CANCELLED, cancelled_at=now, cancelled_by=by
        )
        mails = []
        for registration in live:
            registration.course_date = locked
            mails.append(registration_mail_later("date_cancelled", registration))
        enqueue_mails_later(mails)
    course_date.refresh_from_db()
    return course_date
