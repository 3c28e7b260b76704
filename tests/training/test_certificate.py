"""The certificate of attendance: the date's hours, and a layout whose text boxes never overlap,
read back from the PDF with poppler (pdftotext -bbox-layout) like a PDF reader would."""

import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CourseDateFactory, member
from training.certificates import certificate_pdf_bytes
from training.models import Registration
from training.services.attendance import attendance_mark

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed"
)


def _attended(lja, *, name="Özlem Müller", course_hours=12, date_hours=None, hours=3, **course):
    start = timezone.now() - timedelta(days=1)
    course_date = CourseDateFactory(
        start=start,
        end=start + timedelta(hours=hours),
        hours=date_hours,
        course__hours=course_hours,
        **{f"course__{k}": v for k, v in course.items()},
    )
    registration = Registration.objects.create(
        course_date=course_date, participant=member(name=name), status="confirmed"
    )
    return attendance_mark(registration=registration, by=lja, attended=True)


def _lines(pdf: bytes, tmp_path) -> list[tuple[str, float, float, float, float]]:
    """Each text line of the PDF with its box (text, x_min, y_min, x_max, y_max)."""
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = []
    for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", html, re.S):
        box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
        text = " ".join(re.findall(r"<word [^>]*>(.*?)</word>", body))
        lines.append(
            (text, *(float(box[k]) for k in ("xMin", "yMin", "xMax", "yMax")))  # type: ignore[misc]
        )
    return lines


def _overlap(a, b) -> bool:
    return a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]


def test_the_date_has_its_own_hours_defaulting_to_the_course(lja):
    own = _attended(lja, course_hours=12, date_hours=Decimal("3"))
    assert own.course_date.effective_hours == 3
    inherited = _attended(lja, course_hours=Decimal("7.5"))
    assert inherited.course_date.effective_hours == Decimal("7.5")


def test_the_date_page_shows_the_dates_hours(client):
    course_date = CourseDateFactory(course__hours=12, hours=Decimal("3.0"))
    content = client.get(course_date.get_absolute_url()).content.decode()
    assert "<dt>Stunden</dt><dd>3</dd>" in content


@needs_poppler
def test_certificate_prints_the_dates_hours(lja, tmp_path):
    registration = _attended(lja, course_hours=12, date_hours=Decimal("3"))
    text = [line[0] for line in _lines(certificate_pdf_bytes(registration=registration), tmp_path)]
    hours_label = text.index("Stunden")
    assert text[hours_label + 1] == "3"
    assert "12,0" not in " ".join(text) and "12" not in text
    # A course without its own date hours prints the course's, without ",0".
    registration = _attended(lja, course_hours=Decimal("7.0"))
    text = [line[0] for line in _lines(certificate_pdf_bytes(registration=registration), tmp_path)]
    assert text[text.index("Stunden") + 1] == "7"


@needs_poppler
def test_certificate_text_boxes_do_not_overlap(lja, tmp_path, settings):
    settings.SITE_URL = "http://127.0.0.1:8104"
    name = "Maximiliane Theodora Alexandria von Hohenzollern-Sigmaringen"  # 60 characters
    title = (
        "Kommunale Präventionsketten gegen Kinderarmut: Frühe Hilfen, Kita und "
        "Familiengrundschulzentren wirksam verbinden im Ort"
    )  # 120 characters
    assert len(name) == 60 and len(title) == 120
    registration = _attended(lja, name=name, title=title)
    lines = _lines(certificate_pdf_bytes(registration=registration), tmp_path)
    text = " ".join(line[0] for line in lines)
    assert name in text and registration.certificate_number in text
    assert "Veranstaltung" in [line[0] for line in lines]  # the label on a line of its own
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    # Left-aligned: every line starts at the left margin (25 mm plus the cell's 1 mm padding).
    assert {round(line[1]) for line in lines} == {round(26 * 72 / 25.4)}
    number_label = next(line for line in lines if line[0] == "Nummer der Bescheinigung")
    number = next(line for line in lines if line[0] == registration.certificate_number)
    assert number[2] >= number_label[4]  # the number sits below its label
    assert lines[-1][0] == (
        "http://127.0.0.1:8104/fortbildung/bescheinigung/pruefen/"
        f"?nummer={registration.certificate_number}"
    )


def test_certificate_download_still_works(client, lja):
    registration = _attended(lja)
    client.force_login(registration.participant)
    response = client.get(reverse("training:certificate_pdf", args=[registration.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
