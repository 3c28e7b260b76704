from django.core.management.base import BaseCommand

from training.services.jobs import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminder e-mail to confirmed participants of dates that start within two days. "
        "Safe to run every hour: nobody is reminded twice."
    )

    def handle(self, *args, **options):
        sent = reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent.")
