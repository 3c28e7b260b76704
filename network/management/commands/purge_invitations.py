from django.core.management.base import BaseCommand

from network.services.memberships import invitation_purge_old


class Command(BaseCommand):
    help = "Delete invitations accepted or expired more than 30 days ago (run daily)."

    def handle(self, *args, **options):
        count = invitation_purge_old()
        self.stdout.write(f"{count} old invitation(s) deleted.")
