"""The waiting list: leaving it, and staff reordering it. Both under the course date's row lock
(seats.course_date_locked), like every write that may change who holds a seat."""

from django.utils import timezone

from core.mail import enqueue_mails_later
from core.models import User
from training import exceptions
from training.models import SEAT_STATUSES, Registration, RegistrationStatus
from training.selectors import waiting_queue
from training.services.access import check_may_administer
from training.services.mail import promoted_mails, registration_mail_later
from training.services.registration import check_may_manage, taken_over
from training.services.seats import course_date_locked, promote


def registration_leave_waiting_list(*, registration: Registration, by: User) -> Registration:
    """A waiting person (or their coordinator, or staff) takes them off the waiting list.

    Decided under the date's lock on the registration as it is then: leaving the list only
    ever cancels a waiting registration. One promoted in the meantime keeps its seat
    (PromotedMeanwhile); cancelling a seat is registration_cancel()'s work, with its deadline.
    """
    check_may_manage(registration=registration, by=by)
    with course_date_locked(registration.course_date_id) as locked:
        current = Registration.objects.select_related("participant").get(pk=registration.pk)
        if current.status in SEAT_STATUSES:
            raise exceptions.PromotedMeanwhile
        if current.status != RegistrationStatus.WAITING:
            raise exceptions.NotLive
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancelled_by = by
        current.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        current.course_date = locked
        enqueue_mails_later([registration_mail_later("cancelled", current)])
    taken_over(registration, current)
    return registration


def registration_move(*, registration: Registration, by: User, position: int) -> Registration:
    """Staff move a waiting registration to `position` (1 = next in line). The waiting list is
    renumbered under the lock; afterwards whoever fits first is promoted as usual."""
    check_may_administer(course_date=registration.course_date, by=by)
    with course_date_locked(registration.course_date_id) as locked:
        queue = list(waiting_queue(course_date=locked))
        current = next((r for r in queue if r.pk == registration.pk), None)
        if current is None:
            raise exceptions.NotWaiting
        queue.remove(current)
        index = min(max(int(position), 1), len(queue) + 1) - 1
        queue.insert(index, current)
        for priority, item in enumerate(queue):
            if item.priority != priority:
                item.priority = priority
                item.save(update_fields=["priority"])
        promoted = promote(locked)
        enqueue_mails_later(promoted_mails(promoted))
    registration.refresh_from_db()
    return registration
