"""Send the daily notification digests. Safe to run every hour (cron): each person gets at most
one digest a day, and nothing is sent twice."""

from django.core.management.base import BaseCommand

from network.forums.services.notifications import digests_send


class Command(BaseCommand):
    help = "Send the daily e-mail digest of notifications to those who chose it."

    def handle(self, *args, **options):
        sent = digests_send()
        self.stdout.write(f"{sent} digest(s) sent.")
