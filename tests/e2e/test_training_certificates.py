"""Attendance and certificates in Chromium, as the Landesjugendamt's course manager does it: the
participant page of a past in-person date → print the signature list (a PDF) → mark everybody
present → the certificates appear and the participants' mails are in the outbox → re-issue one →
the public verification page says the old number was replaced. axe-core on every page; the
re-issue and the verification are done with the keyboard."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from core.models import OutgoingMail
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.test_training_journey import _staff_session
from tests.factories import CourseDateFactory, MunicipalityFactory, StaffFactory, member
from training.models import Certificate, Registration


def test_staff_record_attendance_and_reissue_a_certificate(new_context, base_url):
    start = timezone.localtime(timezone.now() - timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    course_date = CourseDateFactory(
        start=start,
        end=start + timedelta(hours=6),
        course__title="Präventionsketten im Sozialraum",
        course__format="in_person",
        course__provider="LVR",
        venue_name="LVR-Haus Köln",
    )
    town = MunicipalityFactory(name="Solingen", region="LVR")
    names = ["Ida Imhoff", "Jonas Jansen"]
    for name in names:
        Registration.objects.create(
            course_date=course_date,
            participant=member(town, name=name),
            municipality=town,
            status="confirmed",
        )
    staff = StaffFactory(email="fortbildung@lvr.example", name="Lena Leitung")
    context = new_context()
    _staff_session(context, staff, base_url)
    page = context.new_page()

    page.goto(f"/fortbildung/verwaltung/termine/{course_date.pk}/teilnehmende/")
    assert_no_axe_violations(page)
    # The signature list to print: a PDF with both names.
    link = page.get_by_role("link", name="Unterschriftenliste drucken (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body()[:4] == b"%PDF"

    with page.expect_navigation():
        page.get_by_role("button", name="Alle als anwesend erfassen").click()
    assert_no_axe_violations(page)
    expect(page.locator(".messages")).to_contain_text("2 Bescheinigungen ausgestellt")
    certificates = {c.registration.participant.name: c for c in Certificate.objects.all()}
    assert set(certificates) == set(names)
    for certificate in certificates.values():
        expect(page.get_by_role("table", name="Plätze")).to_contain_text(certificate.number)
        mail = OutgoingMail.objects.get(key=f"certificate-{certificate.number}")
        assert certificate.registration.participant.email in mail.recipients
        assert certificate.number in mail.body
    expect(page.get_by_label("Ida Imhoff hat teilgenommen")).to_be_checked()

    # Re-issue Ida's certificate with the keyboard.
    old = certificates["Ida Imhoff"]
    page.get_by_role("button", name="Neu ausstellen – Ida Imhoff").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    old.refresh_from_db()
    assert old.status == "void" and old.replaced_by is not None
    new_number = old.replaced_by.number
    expect(page.locator(".messages")).to_contain_text(new_number)
    expect(page.get_by_role("table", name="Plätze")).to_contain_text(new_number)
    assert OutgoingMail.objects.filter(key=f"certificate-{new_number}").exists()

    # Anyone checks the old number: replaced, with the number that replaces it.
    public = new_context().new_page()
    public.goto("/fortbildung/")
    assert_no_axe_violations(public)
    with public.expect_navigation():
        public.get_by_role("link", name="Bescheinigung prüfen").click()
    assert_no_axe_violations(public)
    public.get_by_label("Nummer der Bescheinigung").fill(old.number)
    with public.expect_navigation():
        public.get_by_label("Nummer der Bescheinigung").press("Enter")
    assert_no_axe_violations(public)
    status = public.get_by_role("status")
    expect(status).to_contain_text("nicht mehr gültig")
    expect(status).to_contain_text("ersetzt")
    expect(status).to_contain_text(new_number)
    with public.expect_navigation():
        public.get_by_role("link", name=f"{new_number} prüfen").click()
    expect(public.get_by_role("status")).to_contain_text("echt und gültig")
    assert_no_axe_violations(public)
