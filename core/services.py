from importlib import import_module

from django.conf import settings
from django.db import transaction

from core.models import User


def _privacy_modules():
    return [import_module(name) for name in settings.PRIVACY_MODULES]


def account_export(*, user: User) -> dict:
    """Everything the platform holds about the user, by app, for "download my data"."""
    return {module.__name__.split(".")[0]: module.export(user) for module in _privacy_modules()}


def account_retention() -> list[tuple[str, str]]:
    """What is kept and for how long, for the privacy notice, collected from every app."""
    return [row for module in _privacy_modules() for row in module.RETENTION]


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account: every app erases its personal data (in reverse order, so apps that
    build on others go first), then core anonymises the user row."""
    for module in reversed(_privacy_modules()):
        module.erase(user)
