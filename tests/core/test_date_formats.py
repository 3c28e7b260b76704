"""Dates by name, per language (config/formats): English pages read "Tuesday, 5 January 2027",
German ones "Dienstag, 5. Januar 2027"; no template or module spells a German date pattern."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import formats, translation

from tests.factories import CourseDateFactory

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2027, 1, 5, 10, 0, tzinfo=BERLIN)  # a Tuesday


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("de", "DATE_FORMAT", "5. Januar 2027"),
        ("en", "DATE_FORMAT", "5 January 2027"),
        ("de", "DATETIME_FORMAT", "Dienstag, 5. Januar 2027, 10:00"),
        ("en", "DATETIME_FORMAT", "Tuesday, 5 January 2027, 10:00"),
        ("de", "SHORT_DATETIME_FORMAT", "05.01.2027 10:00"),
        ("en", "SHORT_DATETIME_FORMAT", "05/01/2027 10:00"),
        ("de", "SHORT_DATE_FORMAT", "05.01.2027"),
        ("en", "SHORT_DATE_FORMAT", "05/01/2027"),
    ],
)
def test_each_language_has_its_own_formats(language, name, expected):
    with translation.override(language):
        assert formats.date_format(START, name) == expected


@pytest.mark.django_db
def test_course_date_page_reads_english_in_english(client):
    course_date = CourseDateFactory(start=START, end=START.replace(hour=16))
    url = f"/fortbildung/termine/{course_date.pk}/"
    german = client.get(url).content.decode()
    assert "Dienstag, 5. Januar 2027, 10:00" in german
    client.post("/i18n/setlang/", {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Tuesday, 5 January 2027, 10:00" in english
    assert "5. January" not in english and re.search(r"\bJanuar\b", english) is None


GERMAN_PATTERN = re.compile(
    r"""(?:date:|date_format\([^,]+,\s*|strftime\()["'][^"']*(?:j\. F|d\.m\.|%d\.%m)"""
)


def test_no_hard_coded_german_date_patterns():
    """Templates and code ask for a format by name (DATE_FORMAT …), so English gets its own.
    The certificate PDF is German on purpose (training/certificates.py overrides to "de")."""
    offenders = []
    for folder in ("cms", "core", "events", "network", "training", "templates"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*"):
            if path.suffix not in (".html", ".txt", ".py") or "migrations" in path.parts:
                continue
            if path.name in ("certificates.py", "reports.py"):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if GERMAN_PATTERN.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []
