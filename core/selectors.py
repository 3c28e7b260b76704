from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from core.models import User


def user_is_landesjugendamt_staff(*, user: User | AnonymousUser) -> bool:
    """Landesjugendamt staff are the members of one group; nobody joins it by signing up."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_lja_staff", None)
    if cached is None:
        cached = user.groups.filter(name=settings.STAFF_GROUP_NAME).exists()
        user._is_lja_staff = cached
    return cached


def user_has_mfa(*, user: User) -> bool:
    """Whether the user has set up a TOTP authenticator (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
