"""Helpers for account tests: real logins through allauth, second factors, page checks."""

import re
import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from tests.factories import PASSWORD


def totp_code(secret: str) -> str:
    """The code an authenticator app shows for `secret` right now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def give_totp(user) -> str:
    """Activate TOTP (and recovery codes) for `user`; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def login(client, user, password: str = PASSWORD):
    """Log in through allauth's form, as a person would (so reauthentication is fresh)."""
    return client.post("/konto/login/", {"login": user.email, "password": password})


def main_html(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def page_title(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    return " ".join(match.group(1).split())
