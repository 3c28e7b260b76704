from core.models import User
from tests.authz import AuthzCase


def _nobody_deleted(world) -> None:
    assert not User.objects.filter(erased_at__isnull=False).exists()


def _no_profile_named(name: str) -> None:
    assert not User.objects.filter(name=name).exists()


CASES = [
    AuthzCase("dashboard", lambda w: "/mein-bereich/", allowed="dortmund_staff"),
    AuthzCase("profile", lambda w: "/profil/", allowed="dortmund_staff"),
    AuthzCase(
        "profile-edit",
        lambda w: "/profil/",
        method="post",
        data={"name": "Fremd"},
        unchanged=lambda w: _no_profile_named("Fremd"),
    ),
    AuthzCase("data-download", lambda w: "/profil/meine-daten/", allowed="dortmund_staff"),
    AuthzCase("account-delete", lambda w: "/profil/konto-loeschen/", allowed="dortmund_staff"),
    AuthzCase(
        "account-delete-post",
        lambda w: "/profil/konto-loeschen/",
        method="post",
        data={"password": "test-passwort-123"},
        unchanged=_nobody_deleted,
    ),
    AuthzCase("mfa-continue", lambda w: "/profil/zwei-faktor/weiter/", allowed="dortmund_staff"),
    AuthzCase("email-addresses", lambda w: "/konto/email/", allowed="dortmund_staff"),
    AuthzCase("password-change", lambda w: "/konto/password/change/", allowed="dortmund_staff"),
    AuthzCase("two-factor", lambda w: "/konto/2fa/", allowed="dortmund_staff"),
]
