"""The scheduled writes of training (management commands run them): reminders before a date,
and the purge of registration notes after it."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from core.mail import enqueue_mails
from training.models import Registration
from training.selectors import reminders_due
from training.services.mail import registration_mail

NOTES_RETENTION = timedelta(days=30)


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind confirmed participants of dates starting within two days. Each registration is
    claimed with a conditional update first, so overlapping or repeated runs send once."""
    now = now or timezone.now()
    sent = 0
    for registration in reminders_due(now=now):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                enqueue_mails([registration_mail("reminder", registration, ics=True)])
                sent += 1
    return sent


def registration_notes_purge(*, now: datetime | None = None) -> int:
    """Delete the free-text notes (accessibility, dietary needs) 30 days after the date."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(course_date__end__lt=now - NOTES_RETENTION)
        .exclude(notes="")
        .update(notes="")
    )
