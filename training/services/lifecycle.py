"""The stored steps of a course date's life cycle (CourseDateLifecycle).

planned → running → held follow from the clock (CourseDate.lifecycle); closing is stored here,
called by the attendance flow once attendance of a held date is recorded. Cancelling is
course_dates.course_date_cancel."""

from django.utils import timezone

from core.models import User
from core.selectors import user_has_staff_power
from training import exceptions
from training.models import CourseDate
from training.services.seats import course_date_locked


def course_date_close(*, course_date: CourseDate, by: User | None) -> CourseDate:
    """Close a held date: its attendance is recorded. A cancelled date cannot be closed, nor one
    that has not ended yet; closing a closed date again keeps its first closing time."""
    if by is not None and not user_has_staff_power(user=by):
        raise exceptions.NotAllowed
    with course_date_locked(course_date.pk) as locked:
        if locked.is_cancelled:
            raise exceptions.CourseDateCancelled
        now = timezone.now()
        if now < locked.end:
            raise exceptions.CourseDateNotHeld
        if locked.closed_at is None:
            locked.closed_at = now
            locked.save(update_fields=["closed_at"])
    course_date.closed_at = locked.closed_at
    course_date.__dict__.pop("lifecycle_value", None)
    return course_date
