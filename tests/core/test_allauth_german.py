"""allauth's German, as the platform speaks it: formal „Sie“, never „du“."""

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "core/locale_allauth/de/LC_MESSAGES/django.po"
DU = re.compile(r"\b([Dd]u|[Dd]ein\w*|[Dd]ir|[Dd]ich|gib|prüfe|versuche|klicke|lass)\b")


def test_override_catalogue_is_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not re.search(r"\d+ (untranslated|fuzzy)", result.stderr), result.stderr


@pytest.mark.parametrize(
    ("msgid", "german"),
    [
        ("Sign In", "Anmelden"),
        ("Are you sure you want to sign out?", "Möchten Sie sich wirklich abmelden?"),
        (
            "Too many failed login attempts. Try again later.",
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte versuchen Sie es später erneut.",
        ),
        ("You have signed out.", "Sie haben sich abgemeldet."),
    ],
)
def test_allauth_strings_are_formal(msgid, german):
    with translation.override("de"):
        assert translation.gettext(msgid) == german


def test_no_du_in_the_overrides():
    text = CATALOGUE.read_text()
    for msgstr in re.findall(r'^msgstr "(.*)"$', text, re.M):
        assert not DU.search(msgstr), msgstr
