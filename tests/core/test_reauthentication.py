"""A fresh login counts as a recent authentication: staff who just logged in with password and
authenticator code are not asked for the password again ("Zugriff bestätigen") within allauth's
reauthentication timeout; after it, or without a login of this session, they are."""

import pytest
from allauth.account import app_settings as account_settings

from core.adapters import LOGGED_IN_AT_SESSION_KEY
from tests.core.helpers import give_totp, login, totp_code
from tests.core.test_mfa import wagtail_staff

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/konto/reauthenticate/"


def _login_with_totp(client, user, secret):
    assert login(client, user)["Location"] == "/konto/2fa/authenticate/"
    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def _age_the_login(client, seconds):
    session = client.session
    session[LOGGED_IN_AT_SESSION_KEY] -= seconds
    session.save()


def test_staff_are_not_asked_again_right_after_logging_in_with_totp(client):
    staff = wagtail_staff()
    secret = give_totp(staff)
    _login_with_totp(client, staff, secret)

    assert client.get("/admin/").status_code == 200
    for url in ("/konto/2fa/", "/konto/2fa/recovery-codes/", "/konto/2fa/totp/deactivate/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get("Location"))
    # Still a moment before the timeout ends: no question.
    _age_the_login(client, account_settings.REAUTHENTICATION_TIMEOUT - 10)
    assert client.get("/konto/2fa/recovery-codes/").status_code == 200


def test_after_the_timeout_the_password_is_asked_again(client):
    staff = wagtail_staff()
    secret = give_totp(staff)
    _login_with_totp(client, staff, secret)
    _age_the_login(client, account_settings.REAUTHENTICATION_TIMEOUT + 1)

    response = client.get("/konto/2fa/recovery-codes/")
    assert response["Location"].startswith(REAUTHENTICATE)
    # The admin itself never asks.
    assert client.get("/admin/").status_code == 200


def test_a_session_without_a_login_is_asked(client):
    staff = wagtail_staff()
    give_totp(staff)
    client.force_login(staff)
    assert client.get("/konto/2fa/recovery-codes/")["Location"].startswith(REAUTHENTICATE)


def test_staff_without_totp_set_it_up_right_after_logging_in(client):
    staff = wagtail_staff()
    login(client, staff)

    assert client.get("/admin/pages/")["Location"] == "/konto/2fa/totp/activate/"
    response = client.get("/konto/2fa/totp/activate/")
    assert response.status_code == 200
    assert '<label for="id_code">' in response.content.decode()
