"""The mails of training's writes, built from a registration. Sent with
core.mail.enqueue_mails, so a rolled-back write sends nothing; the writes under a course date's
row lock queue theirs with core.mail.enqueue_mails_later (registration_mail_later), so the worker
renders the templates and the calendar file, not the request while it holds the lock. A new
registration's mail (registered_mail) is queued before the lock is taken, in the same transaction,
and written as the registration stands when the worker gets to it."""

from datetime import datetime

from django.conf import settings

from core.mail import Attachment, Mail, MailLater
from core.models import User
from training.calendar import course_date_ical
from training.models import LIVE_STATUSES, Registration, RegistrationStatus
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


def registration_mail_later(
    template: str, registration: Registration, *, ics: bool = False, **extra
) -> MailLater:
    """registration_mail() rendered by the worker (registration_mail_build): for the writes
    under the date's lock. `extra` is stored as JSON, so plain values only; the registration's
    participant must be loaded (its address is the recipient)."""
    return MailLater(
        builder="training.services.mail.registration_mail_build",
        to=[registration.participant.email],
        kwargs={"template": template, "registration_id": registration.pk, "ics": ics, **extra},
    )


def registration_mail_build(
    *, template: str, registration_id: int, ics: bool = False, **extra
) -> Mail | None:
    """The worker's half of registration_mail_later(): the mail as the registration and its date
    are now (None if the registration is gone with its person's account)."""
    registration = (
        Registration.objects.select_related("course_date__course", "participant")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None:
        return None
    return registration_mail(template, registration, ics=ics, **extra)


def registered_mail(*, course_date_id: int, participant: User, since: datetime) -> MailLater:
    """The mail about a new registration, queued in its transaction before the date's lock is
    taken (so the lock is held only for counting and inserting): the worker writes it as the
    registration made from `since` on then stands (registered_mail_build)."""
    return MailLater(
        builder="training.services.mail.registered_mail_build",
        to=[participant.email],
        kwargs={
            "course_date_id": course_date_id,
            "participant_id": participant.pk,
            "since": since.isoformat(),
        },
    )


def registered_mail_build(*, course_date_id: int, participant_id: int, since: str) -> Mail | None:
    """The worker's half of registered_mail(): the participant's first registration of the date
    made at or after `since`, told as it stands when the mail is written: the seat with its .ics,
    or the place on the waiting list. None when it is gone or cancelled, or when it has since
    moved up from the waiting list (the promotion's own mail tells of the seat)."""
    registration = (
        Registration.objects.select_related("course_date__course", "participant")
        .filter(
            course_date_id=course_date_id,
            participant_id=participant_id,
            created_at__gte=datetime.fromisoformat(since),
        )
        .order_by("created_at", "pk")
        .first()
    )
    if registration is None or registration.status not in LIVE_STATUSES:
        return None
    if registration.status == RegistrationStatus.WAITING:
        return registration_mail(
            "waiting", registration, **registration_waiting_standing(registration=registration)
        )
    # A seat at once is confirmed at the moment the request began (`since`), before the row was
    # created under the lock; a promotion confirms it later.
    if (
        registration.confirmed_at is not None
        and registration.confirmed_at > registration.created_at
    ):
        return None
    return registration_mail("registered", registration, ics=True)


def promoted_mails(promoted: list[Registration]) -> list[MailLater]:
    return [registration_mail_later("promoted", r, ics=True) for r in promoted]
