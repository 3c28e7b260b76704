from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db import transaction

from core.models import User

PROFILE_FIELDS = ("name", "function", "show_function_to_members", "show_email_to_members")


def _privacy_modules():
    return [import_module(name) for name in settings.PRIVACY_MODULES]


def profile_update(*, user: User, **fields) -> User:
    """Change what a person says about themselves: name, function and what others may see.

    Only these fields; the e-mail address is changed through allauth (it needs verification) and
    roles only by the Landesjugendamt or a coordinator.
    """
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=list(fields))
    return user


def account_export(*, user: User) -> dict:
    """Everything the platform holds about the user, by app (its label: core, network, forums,
    practice, training, events), for "download my data"."""
    data: dict[str, dict] = {}
    for module in _privacy_modules():
        label = apps.get_containing_app_config(module.__name__).label
        data.setdefault(label, {}).update(module.export(user))
    return data


def account_retention() -> list[tuple[str, str]]:
    """What is kept and for how long, for the privacy notice, collected from every app."""
    return [row for module in _privacy_modules() for row in module.RETENTION]


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the account: every app erases its personal data (in reverse order, so apps that
    build on others go first), then core anonymises the user row. Last, every app replaces the
    words that named the person (name, e-mail address, @handle: each module's words(user),
    collected before anything was erased) in the text it holds, wherever they were copied."""
    modules = _privacy_modules()
    names: set[str] = set()
    for module in modules:
        if hasattr(module, "words"):
            names |= set(module.words(user))
    for module in reversed(modules):
        module.erase(user)
    for module in reversed(modules):
        if hasattr(module, "forget"):
            module.forget(words=sorted(names))
