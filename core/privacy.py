"""Personal data held by core: the user record itself."""

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User

RETENTION = [
    (
        _("Account (e-mail address, name, function, visibility settings)"),
        _("As long as the account exists; deleted when you delete your account."),
    ),
    (
        _("Log-in sessions"),
        _("Until you log out, at most two weeks."),
    ),
    (
        _("Second factor (authenticator app, recovery codes)"),
        _("Until you remove it or delete your account."),
    ),
]


def export(user: User) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "function": user.function,
            "landesjugendamt": user.landesjugendamt,
            "show_email_to_members": user.show_email_to_members,
            "show_function_to_members": user.show_function_to_members,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "second_factors": [
            {"type": a.type, "created_at": a.created_at.isoformat()}
            for a in Authenticator.objects.filter(user=user)
        ],
    }


def erase(user: User) -> None:
    """Remove the person from the account row but keep the row, so what they wrote stays readable
    for others under "ehemaliges Mitglied"."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.models import Session

    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
    user.email = f"geloescht-{user.pk}@invalid.example"
    user.name = ""
    user.function = ""
    user.landesjugendamt = ""
    user.show_email_to_members = False
    user.show_function_to_members = False
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.password = make_password(None)
    user.last_login = None
    user.erased_at = timezone.now()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
