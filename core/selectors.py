from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group

from core.db.prepared import PreparedQuery
from core.models import User

# Every page asks whether its user is staff (the header's administration link).
_staff_group_row = PreparedQuery(
    lambda *, user_id, name: Group.objects.filter(user=user_id, name=name).values_list("pk")[:1]
)


def user_is_landesjugendamt_staff(*, user: User | AnonymousUser) -> bool:
    """Landesjugendamt staff are the members of one group; nobody joins it by signing up."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_lja_staff", None)
    if cached is None:
        cached = bool(_staff_group_row.rows(user_id=user.pk, name=settings.STAFF_GROUP_NAME))
        user._is_lja_staff = cached
    return cached


def user_has_mfa(*, user: User) -> bool:
    """Whether the user has set up a TOTP authenticator (recovery codes alone do not count)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
