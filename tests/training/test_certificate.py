"""The certificate of attendance: a document a municipality files. Its layout is read back with
poppler (pdftotext -bbox-layout) like a PDF reader would, and rendered to PNG to look at; re-issue
and revocation, the verification page's answer for each state, and what stays of a certificate
when its holder deletes the account."""

import os
import re
import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import OutgoingMail
from core.services import account_delete, account_export, account_retention
from tests.factories import CourseDateFactory, MunicipalityFactory, member
from training import exceptions
from training.certificates import certificate_pdf_bytes
from training.models import Certificate, Registration, Trainer
from training.selectors import registration_valid_certificate
from training.services.attendance import attendance_mark
from training.services.certificates import certificate_reissue, certificate_revoke
from training.signature_list import signature_list_pdf_bytes

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
    reason="poppler-utils (pdftotext, pdftoppm) is not installed",
)
# Where the tests render the PDFs to PNG to be looked at: PNG_DIR, else the test's tmp_path.
PNG_DIR = os.environ.get("PNG_DIR", "")

NAME_60 = "Maximiliane Theodora Alexandria von Hohenzollern-Sigmaringen"
TITLE_120 = (
    "Kommunale Präventionsketten gegen Kinderarmut: Frühe Hilfen, Kita und "
    "Familiengrundschulzentren wirksam verbinden im Ort"
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
    registration = attendance_mark(registration=registration, by=lja, attended=True)
    return registration_valid_certificate(registration=registration)


def _lines(pdf: bytes, tmp_path) -> list[tuple[str, float, float, float, float, int]]:
    """Each text line of the PDF with its box and page (text, x_min, y_min, x_max, y_max, page)."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    lines = []
    for page, content in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", html, re.S)):
        for attrs, body in re.findall(r"<line ([^>]*)>(.*?)</line>", content, re.S):
            box = dict(re.findall(r'(\w+)="([\d.]+)"', attrs))
            text = " ".join(re.findall(r"<word [^>]*>(.*?)</word>", body))
            lines.append((text, *(float(box[k]) for k in ("xMin", "yMin", "xMax", "yMax")), page))
    return lines


def _overlap(a, b) -> bool:
    return a[5] == b[5] and a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]


def _no_overlaps(lines) -> None:
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            assert not _overlap(a, b), (a, b)


def _png(pdf: bytes, name: str, tmp_path: Path) -> Path:
    folder = Path(PNG_DIR) if PNG_DIR else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(path), str(folder / name)], check=True)
    pngs = sorted(folder.glob(f"{name}*.png"))
    assert pngs and pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return pngs[0]


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
    certificate = _attended(lja, course_hours=12, date_hours=Decimal("3"))
    text = [line[0] for line in _lines(certificate_pdf_bytes(certificate=certificate), tmp_path)]
    assert text[text.index("Stunden") + 1] == "3"
    assert "12,0" not in " ".join(text) and "12" not in text
    certificate = _attended(lja, course_hours=Decimal("7.0"))
    text = [line[0] for line in _lines(certificate_pdf_bytes(certificate=certificate), tmp_path)]
    assert text[text.index("Stunden") + 1] == "7"


@needs_poppler
@pytest.mark.parametrize("provider", ["LVR", "LWL"])
def test_certificate_is_a_document_to_file_and_nothing_overlaps(lja, tmp_path, settings, provider):
    settings.SITE_URL = "http://127.0.0.1:8104"
    assert len(NAME_60) == 60 and len(TITLE_120) == 120
    # Staff of the date's own Landesjugendamt record its attendance.
    lja.name, lja.function = "Dr. Friederike Kursleitung", "Fortbildung"
    lja.landesjugendamt = provider
    lja.save()
    summary = "Bausteine der Präventionskette, Netzwerkarbeit im Sozialraum. " * 8
    certificate = _attended(lja, name=NAME_60, title=TITLE_120, provider=provider, summary=summary)
    pdf = certificate_pdf_bytes(certificate=certificate)
    lines = _lines(pdf, tmp_path)
    text = " ".join(line[0] for line in lines)
    _no_overlaps(lines)
    assert NAME_60 in text and TITLE_120 in text and certificate.number in text
    address = {
        "LVR": [
            "Landschaftsverband Rheinland",
            "LVR-Landesjugendamt Rheinland",
            "Kennedy-Ufer 2",
            "50679 Köln",
        ],
        "LWL": [
            "Landschaftsverband Westfalen-Lippe",
            "LWL-Landesjugendamt Westfalen",
            "Warendorfer Straße 25–27",
            "48145 Münster",
        ],
    }[provider]
    for part in address:
        assert part in [line[0] for line in lines], part
    assert "Modul und Inhalte" in text and "Bausteine der Präventionskette" in text
    issued = timezone.localtime(certificate.issued_at)
    assert f"Ausgestellt am {issued.day}. " in text
    assert "Dr. Friederike Kursleitung" in text
    assert any(line[0].startswith("Fortbildung, ") and address[1] in line[0] for line in lines)
    assert lines[-1][0] == (
        f"http://127.0.0.1:8104/fortbildung/bescheinigung/pruefen/?nummer={certificate.number}"
    )
    # The issuer's block sits right of the logo (62 mm wide from the 20 mm margin).
    issuer = next(line for line in lines if line[0] == address[0])
    assert issuer[1] > (20 + 62) * 72 / 25.4
    # One page, and a PNG of it to look at.
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "document.pdf")], capture_output=True, text=True
    ).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M)
    _png(pdf, f"certificate-{provider}", tmp_path)


@needs_poppler
def test_signature_list_rows_wrap_and_pages_are_numbered(lja, tmp_path):
    start = timezone.now() + timedelta(days=3)
    course_date = CourseDateFactory(
        start=start,
        end=start + timedelta(days=1, hours=3),
        course__title=TITLE_120,
        course__format="in_person",
        venue_name="LWL-Bildungszentrum Jugendhof Vlotho",
        venue_address="Oeynhausener Straße 1\n32602 Vlotho",
    )
    course_date.trainers.add(Trainer.objects.create(name="Petra Präsenz"))
    town = MunicipalityFactory(name="Kreis Recklinghausen")
    for number in range(30):
        Registration.objects.create(
            course_date=course_date,
            participant=member(town, name=f"{NAME_60[:55]} {number:03d}"),
            municipality=town,
            status="confirmed",
        )
    pdf = signature_list_pdf_bytes(course_date=course_date)
    lines = _lines(pdf, tmp_path)
    _no_overlaps(lines)
    text = " ".join(line[0] for line in lines)
    assert "Unterschriftenliste" in text and "Petra Präsenz" in text and "Vlotho" in text
    assert "Kreis Recklinghausen" in text
    assert "Unterschrift" in text and text.count("Unterschrift ") >= 2  # a box per day
    pages = re.search(r"Seite 1 von (\d+)", text)
    assert pages and int(pages.group(1)) >= 2
    assert f"Seite {pages.group(1)} von {pages.group(1)}" in text
    _png(pdf, "signature-list", tmp_path)


def test_signature_list_only_for_in_person_dates(staff_client):
    online = CourseDateFactory(course__format="online")
    url = reverse("training:staff_signature_list", args=[online.pk])
    assert staff_client.get(url).status_code == 404
    hybrid = CourseDateFactory(course__format="hybrid")
    response = staff_client.get(reverse("training:staff_signature_list", args=[hybrid.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def _verify(client, number) -> str:
    return client.get(reverse("training:certificate_verify"), {"nummer": number}).content.decode()


def test_reissue_voids_the_old_number_and_the_page_says_replaced(client, lja):
    old = _attended(lja, name="Jana Neu", title="Netzwerke knüpfen")
    new = certificate_reissue(certificate=old, by=lja)
    old.refresh_from_db()
    assert old.status == "void" and old.replaced_by == new and new.number != old.number
    assert new.is_valid and new.registration == old.registration
    assert OutgoingMail.objects.filter(key=f"certificate-{new.number}").exists()
    page = _verify(client, old.number)
    assert "nicht mehr gültig" in page and "ersetzt" in page and new.number in page
    page = _verify(client, new.number)
    assert "echt und gültig" in page and "Jana Neu" in page
    # A replaced certificate is not replaced twice (a replayed POST).
    with pytest.raises(exceptions.CertificateNotValid):
        certificate_reissue(certificate=old, by=lja)
    assert Certificate.objects.count() == 2


def test_revoke_and_the_page_says_revoked_with_the_date(client, lja):
    certificate = _attended(lja, name="Rudi Widerruf")
    with pytest.raises(exceptions.NotAllowed):
        certificate_revoke(certificate=certificate, by=certificate.registration.participant)
    certificate_revoke(certificate=certificate, by=lja)
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.withdrawn_by == lja
    page = _verify(client, certificate.number)
    day = timezone.localtime(certificate.withdrawn_at)
    assert "widerrufen" in page and f"{day.day}." in page and "nicht gültig" in page
    with pytest.raises(exceptions.CertificateNotValid):
        certificate_revoke(certificate=certificate, by=lja)
    assert "gibt es nicht" in _verify(client, "KS-0000-FALSCH")


def test_staff_pages_reissue_revoke_and_download(staff_client, lja):
    certificate = _attended(lja)
    response = staff_client.get(reverse("training:staff_certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    reissue = reverse("training:staff_certificate_reissue", args=[certificate.pk])
    assert staff_client.post(reissue).status_code == 302
    response = staff_client.post(reissue, follow=True)  # replayed
    assert "bereits ersetzt oder widerrufen" in response.content.decode()
    assert Certificate.objects.count() == 2
    new = Certificate.objects.get(status="valid")
    revoke = reverse("training:staff_certificate_revoke", args=[new.pk])
    response = staff_client.post(revoke, follow=True)
    assert "Bitte bestätigen" in response.content.decode()
    staff_client.post(revoke, {"confirm": "yes"})
    new.refresh_from_db()
    assert new.status == "revoked"
    assert (
        staff_client.get(reverse("training:staff_certificate_pdf", args=[new.pk])).status_code
        == 404
    )


def test_participant_downloads_only_the_valid_certificate(client, lja):
    certificate = _attended(lja)
    client.force_login(certificate.registration.participant)
    url = reverse("training:certificate_pdf", args=[certificate.registration_id])
    response = client.get(url)
    assert response.status_code == 200 and certificate.number in response["Content-Disposition"]
    certificate_revoke(certificate=certificate, by=lja)
    assert client.get(url).status_code == 404


def test_account_deletion_keeps_a_nameless_verifiable_record(client, lja):
    certificate = _attended(lja, name="Dora Datenschutz", title="Kinderschutz")
    person = certificate.registration.participant
    exported = account_export(user=person)["training"]
    assert exported["training_certificates"][0]["number"] == certificate.number
    assert exported["training_attendance"][0]["present"] is True
    retention = " ".join(str(part) for row in account_retention() for part in row)
    assert "ohne Ihren Namen" in retention
    account_delete(user=person)
    certificate.refresh_from_db()
    assert certificate.registration is None and certificate.status == "valid"
    page = _verify(client, certificate.number)
    assert "Dora Datenschutz" not in page and "Kinderschutz" in page
    assert "nicht mehr gespeichert" in page
