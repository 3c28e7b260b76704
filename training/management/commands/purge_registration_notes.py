from django.core.management.base import BaseCommand

from training.services.jobs import registration_notes_purge


class Command(BaseCommand):
    help = (
        "Delete the free-text notes of registrations (accessibility, dietary needs) 30 days after "
        "the date. Run daily."
    )

    def handle(self, *args, **options):
        purged = registration_notes_purge()
        self.stdout.write(f"Notes deleted from {purged} registration(s).")
