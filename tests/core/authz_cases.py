from core.models import User
from tests.authz import AuthzCase


def _nobody_deleted(world) -> None:
    assert not User.objects.filter(erased_at__isnull=False).exists()


def _no_profile_named(name: str) -> None:
    assert not User.objects.filter(name=name).exists()


def _account_case(name: str, path: str, **kwargs) -> AuthzCase:
    """A page of one's own account: any logged-in person uses it, a pending member too."""
    return AuthzCase(name, lambda w: path, members_only=False, **kwargs)


CASES = [
    _account_case("dashboard", "/mein-bereich/", allowed="dortmund_staff"),
    _account_case("profile", "/profil/", allowed="dortmund_staff"),
    _account_case(
        "profile-edit",
        "/profil/",
        method="post",
        data={"name": "Fremd"},
        unchanged=lambda w: _no_profile_named("Fremd"),
    ),
    _account_case("data-download", "/profil/meine-daten/", allowed="dortmund_staff"),
    _account_case("account-delete", "/profil/konto-loeschen/", allowed="dortmund_staff"),
    _account_case(
        "account-delete-post",
        "/profil/konto-loeschen/",
        method="post",
        data={"password": "test-passwort-123"},
        unchanged=_nobody_deleted,
    ),
    _account_case("mfa-continue", "/profil/zwei-faktor/weiter/", allowed="dortmund_staff"),
    _account_case("email-addresses", "/konto/email/", allowed="dortmund_staff"),
    _account_case("password-change", "/konto/password/change/", allowed="dortmund_staff"),
    _account_case("two-factor", "/konto/2fa/", allowed="dortmund_staff"),
]
