from django.core.management.base import BaseCommand

from training.evaluation.services import invitations_send


class Command(BaseCommand):
    help = (
        "Invite the attendees of course dates held within the last 30 days to the evaluation. "
        "Safe to run every hour: nobody is invited twice."
    )

    def handle(self, *args, **options):
        sent = invitations_send()
        self.stdout.write(f"{sent} evaluation invitation(s) sent.")
