"""The mails of training's writes, built from a registration. Sent with
core.mail.enqueue_mails, so a rolled-back write sends nothing."""

from django.conf import settings

from core.mail import Attachment, Mail
from training.calendar import course_date_ical
from training.models import Registration, RegistrationStatus
from training.selectors import registration_waiting_standing


def _context(registration: Registration, **extra) -> dict:
    course_date = registration.course_date
    return {
        "registration": registration,
        "course_date": course_date,
        "course": course_date.course,
        "participant": registration.participant,
        "date_url": f"{settings.SITE_URL}{course_date.get_absolute_url()}",
        "my_url": f"{settings.SITE_URL}/fortbildung/meine/",
        **extra,
    }


def _ics_attachment(registration: Registration) -> Attachment:
    return Attachment(
        filename="termin.ics",
        content=course_date_ical(course_date=registration.course_date, with_online_url=True),
        mimetype="text/calendar",
    )


def registration_mail(
    template: str, registration: Registration, *, ics: bool = False, **extra
) -> Mail:
    """The mail `training/mail/<template>` to the participant, with the date's .ics if `ics`."""
    return Mail(
        template=f"training/mail/{template}",
        to=[registration.participant.email],
        context=_context(registration, **extra),
        attachments=[_ics_attachment(registration)] if ics else [],
    )


def registered_mail(registration: Registration) -> Mail:
    """A new registration: the seat with its .ics, or the place on the waiting list."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return registration_mail("registered", registration, ics=True)
    standing = registration_waiting_standing(registration=registration)
    return registration_mail(
        "waiting",
        registration,
        position=standing["position"],
        blocked=standing["blocked"],
        limit=standing["limit"],
    )


def promoted_mails(promoted: list[Registration]) -> list[Mail]:
    return [registration_mail("promoted", registration, ics=True) for registration in promoted]
