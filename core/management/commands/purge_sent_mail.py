"""Delete sent e-mails older than MAIL_RETENTION_DAYS, as the privacy notice promises. Run daily
(cron or a timer)."""

from django.core.management.base import BaseCommand

from core.mail import outgoing_mail_purge


class Command(BaseCommand):
    help = "Delete sent e-mails older than MAIL_RETENTION_DAYS from the outbox."

    def handle(self, *args, **options):
        count = outgoing_mail_purge()
        self.stdout.write(f"{count} sent e-mail(s) deleted.")
