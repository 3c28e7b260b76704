"""Personal data held by training: registrations, certificates, the calendar feed."""

from django.utils.translation import gettext_lazy as _

from core.models import User
from core.privacy import forget_words
from training.models import Attendance, CalendarFeed, Certificate, Registration, Trainer

RETENTION = [
    (
        _("Course registrations (date, status, municipality, who registered you)"),
        _(
            "As long as the account exists, because the Landesjugendämter report on the "
            "programme's participation every year; deleted when you delete your account."
        ),
    ),
    (
        _("Notes on a registration (accessibility or dietary needs)"),
        _("Deleted 30 days after the course date."),
    ),
    (
        _("Attendance per day of a course date"),
        _("As long as the account exists; deleted with the registration when you delete it."),
    ),
    (
        _("Certificates of attendance (number, date of issue, status)"),
        _(
            "Kept after you delete your account, because municipalities file certificates and "
            "must be able to verify them: the record then keeps only the number, the course "
            "date and its status, without your name or any link to you."
        ),
    ),
    (
        _("Trainer entry (name, organisation, the dates you teach)"),
        _(
            "Kept by the Landesjugendamt as the record of who taught its courses; when you delete "
            "your account it is no longer linked to it and no longer offered for new dates."
        ),
    ),
    (
        _("Private calendar feed address"),
        _("Until you renew it or delete your account."),
    ),
]


def export(user: User) -> dict:
    registrations = Registration.objects.filter(participant=user).select_related(
        "course_date__course", "municipality"
    )
    feed = CalendarFeed.objects.filter(user=user).first()
    trainer = Trainer.objects.filter(user=user).prefetch_related("course_dates__course").first()
    return {
        "training_trainer": (
            {
                "name": trainer.name,
                "organisation": trainer.organisation,
                "active": trainer.active,
                "dates": [
                    {"course": d.course.title, "start": d.start.isoformat()}
                    for d in trainer.course_dates.all()
                ],
            }
            if trainer
            else None
        ),
        "training_registrations": [
            {
                "course": r.course_date.course.title,
                "start": r.course_date.start.isoformat(),
                "end": r.course_date.end.isoformat(),
                "status": r.status,
                "municipality": r.municipality.name if r.municipality else None,
                "registered_at": r.created_at.isoformat(),
                "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
                "notes": r.notes,
            }
            for r in registrations
        ],
        "training_attendance": [
            {
                "course": a.registration.course_date.course.title,
                "day": a.day.isoformat(),
                "present": a.present,
            }
            for a in Attendance.objects.filter(registration__participant=user).select_related(
                "registration__course_date__course"
            )
        ],
        "training_certificates": [
            {
                "number": c.number,
                "course": c.course_date.course.title,
                "start": c.course_date.start.isoformat(),
                "status": c.status,
                "issued_at": c.issued_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in Certificate.objects.filter(registration__participant=user).select_related(
                "course_date__course"
            )
        ],
        "training_calendar_feed": {"renewed_at": feed.renewed_at.isoformat()} if feed else None,
    }


def erase(user: User) -> None:
    """Registrations go with the person: seats of future dates are released first, so the
    waiting list moves up."""
    from django.utils import timezone

    from training.models import LIVE_STATUSES
    from training.services.registration import registration_release

    for registration in Registration.objects.filter(
        participant=user, status__in=LIVE_STATUSES, course_date__start__gt=timezone.now()
    ).select_related("course_date"):
        registration_release(registration=registration)
    # Certificates stay verifiable by number, but lose their link to the person (and with it
    # the name) before the registrations go; attendance rows go with the registrations.
    Certificate.objects.filter(registration__participant=user).update(registration=None)
    Registration.objects.filter(participant=user).delete()
    # Staff who issued or withdrew certificates: the record stays, their name goes.
    Certificate.objects.filter(issued_by=user).update(issued_by=None)
    Certificate.objects.filter(withdrawn_by=user).update(withdrawn_by=None)
    Attendance.objects.filter(marked_by=user).update(marked_by=None)
    CalendarFeed.objects.filter(user=user).delete()
    Trainer.objects.filter(user=user).update(user=None, active=False)
    # Registrations this person made for others stay; their name is no longer shown.
    Registration.objects.filter(registered_by=user).update(registered_by=None)
    Registration.objects.filter(cancelled_by=user).update(cancelled_by=None)


def forget(*, words) -> None:
    """A colleague's registration note may name the person."""
    forget_words(words=words, model=Registration, fields=["notes"])
