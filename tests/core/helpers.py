"""Helpers for account tests: real logins through allauth, second factors, page checks."""

import json
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
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import models

from tests.factories import PASSWORD


def totp_code(secret: str) -> str:
    """The code an authenticator app shows for `secret` right now."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def give_totp(user) -> str:
    """Activate TOTP (and recovery codes) for `user`; returns the secret. Replaces the
    authenticator StaffFactory gives staff, whose secret the test would not know."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
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


def _text_values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict | list):
        return [json.dumps(value, ensure_ascii=False, default=str)]
    return [str(value)]


def find_anywhere(needles: list[str]) -> list[str]:
    """Every place in the database (any model, any text or JSON column, decoded sessions) where
    one of the needles occurs, case-insensitively."""
    needles = [n.lower() for n in needles]
    hits = []
    for model in apps.get_models(include_auto_created=True):
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *[f.attname for f in fields]):
            pk, *values = row
            for field, value in zip(fields, values, strict=True):
                texts = _text_values(value)
                if model is Session and field.name == "session_data":
                    texts.append(json.dumps(Session.objects.get(pk=pk).get_decoded(), default=str))
                for text in texts:
                    for needle in needles:
                        if needle in text.lower():
                            hits.append(f"{model._meta.label}.{field.name} (pk={pk}): {needle}")
    return hits
