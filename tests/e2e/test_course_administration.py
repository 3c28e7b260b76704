"""The course administration in Chromium, with the keyboard: LVR's course manager logs in, goes
from the header to the start page, filters for past dates, sees the open task, opens the date's
participant page, goes on to the date's edit screen in Wagtail and back, and returns to the start
page. axe-core checks every page."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login
from tests.factories import CourseDateFactory, CourseFactory, StaffFactory, member
from training.models import Registration


def _press(page, locator) -> None:
    """Focus a link or button and press Enter, as a keyboard user does, waiting for the page."""
    locator.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_course_manager_start_page_to_participants_to_edit_screen_and_back(page, settings):
    # Wagtail's admin loads avatars from gravatar.com, which the Content Security Policy blocks.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    staff = StaffFactory(
        email="kurse@lvr.example", name="Lena Kursverwaltung", landesjugendamt="LVR"
    )
    rheinland = CourseFactory(title="Frühe Hilfen im Rheinland", provider="LVR", format="online")
    westfalen = CourseFactory(title="Präventionsketten in Westfalen", provider="LWL")
    CourseDateFactory(course=rheinland, capacity=8)
    CourseDateFactory(course=westfalen)
    start = timezone.now() - timedelta(days=3)
    held = CourseDateFactory(course=rheinland, start=start, end=start + timedelta(hours=3))
    person = member(name="Pia Präsent")
    Registration.objects.create(
        course_date=held,
        participant=person,
        municipality=person.memberships.get().municipality,
        status="confirmed",
    )

    login(page, staff)
    _press(page, page.locator("header").get_by_role("link", name="Kursverwaltung"))
    assert page.url.endswith("/fortbildung/verwaltung/")
    assert_no_axe_violations(page)
    table = page.locator("main table")
    expect(table).to_contain_text("Frühe Hilfen im Rheinland")
    expect(table).to_contain_text("geplant")
    expect(table).not_to_contain_text("Präventionsketten in Westfalen")

    # Filter: past dates.
    page.get_by_label("Zeitraum").select_option("past")
    _press(page, page.get_by_role("button", name="Termine anzeigen"))
    assert "period=past" in page.url
    assert_no_axe_violations(page)
    row = page.locator("main tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("durchgeführt")
    expect(row.get_by_role("link", name="Anwesenheit erfassen")).to_be_visible()

    # The row leads to the participant page.
    _press(page, row.get_by_role("link", name=re.compile(r"^Frühe Hilfen im Rheinland")))
    assert f"/fortbildung/verwaltung/termine/{held.pk}/teilnehmende/" in page.url
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text("Pia Präsent")
    expect(page.locator("main")).to_contain_text("Status: durchgeführt")

    # On to the edit screen in Wagtail, and back.
    _press(page, page.get_by_role("link", name="Termin bearbeiten"))
    assert f"/admin/course_dates/edit/{held.pk}/" in page.url
    assert_no_axe_violations(page)
    _press(page, page.get_by_role("link", name="Teilnehmende"))
    assert f"/fortbildung/verwaltung/termine/{held.pk}/teilnehmende/" in page.url

    # And back to the start page through the breadcrumb.
    _press(
        page,
        page.get_by_role("navigation", name="Brotkrumennavigation").get_by_role(
            "link", name="Kursverwaltung"
        ),
    )
    assert page.url.endswith("/fortbildung/verwaltung/")
    assert_no_axe_violations(page)


def test_the_wagtail_menu_leads_to_the_start_page(page, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    staff = StaffFactory(email="kurse2@lvr.example", name="Kai Kurs", landesjugendamt="LVR")
    login(page, staff)
    page.goto("/admin/")
    assert_no_axe_violations(page)
    _press(page, page.get_by_role("link", name="Kursverwaltung"))
    assert page.url.endswith("/fortbildung/verwaltung/")
    assert_no_axe_violations(page)
