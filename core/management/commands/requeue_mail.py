"""Enqueue again the mails whose sending task was lost (a worker killed while sending). Safe to
run every few minutes (a timer beside the worker): a mail is still sent once."""

from django.core.management.base import BaseCommand

from core.mail import outgoing_mail_requeue_stalled


class Command(BaseCommand):
    help = "Enqueue the sending task again for queued e-mails that are overdue."

    def handle(self, *args, **options):
        count = outgoing_mail_requeue_stalled()
        self.stdout.write(f"{count} e-mail(s) enqueued again.")
