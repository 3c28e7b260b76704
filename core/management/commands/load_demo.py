from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app's demo module has load(*, password, log); they run in this order because later ones
# build on earlier ones (logins and municipalities before courses, courses before board rooms).
DEMO_MODULES = [
    "network.demo",
    "cms.demo",
    "training.demo",
    "training.evaluation.demo",
    "events.demo",
    "network.forums.demo",
    "network.practice.demo",
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent): municipalities, logins, curriculum, courses, forums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="kinderstark-demo",
            help="Password of every demo login (default: kinderstark-demo).",
        )

    def handle(self, *args, password: str, **options):
        def log(message: str) -> None:
            self.stdout.write(f"  {message}")

        for name in DEMO_MODULES:
            self.stdout.write(self.style.MIGRATE_HEADING(f"{name} …"))
            with transaction.atomic():
                import_module(name).load(password=password, log=log)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
