"""The other training pages in Chromium, each checked by axe-core: the public list with its
filters, certificate verification, a coordinator's overview, the calendar feed page and the
staff reports with their charts."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login
from tests.factories import (
    CourseDateFactory,
    MunicipalityFactory,
    StaffFactory,
    coordinator,
    member,
)
from training.models import Registration
from training.services.attendance import attendance_mark
from training.services.registration import registration_create


def test_public_list_filters_and_certificate_verification(page):
    CourseDateFactory(course__title="Frühe Hilfen im Sozialraum", course__provider="LVR")
    CourseDateFactory(course__title="Familienbüros aufbauen", course__provider="LWL", capacity=1)
    page.goto("/fortbildung/")
    assert_no_axe_violations(page)
    page.get_by_label("Region").select_option("LVR")
    with page.expect_navigation():
        page.get_by_role("button", name="Termine anzeigen").click()
    assert_no_axe_violations(page)
    expect(page.locator("main table")).to_contain_text("Frühe Hilfen im Sozialraum")
    expect(page.locator("main table")).not_to_contain_text("Familienbüros aufbauen")
    page.goto("/fortbildung/bescheinigung/pruefen/?nummer=KS-0000-NICHTDA")
    assert_no_axe_violations(page)
    expect(page.get_by_role("status")).to_contain_text("gibt es nicht")


def test_coordinator_overview_and_calendar_page(page):
    town = MunicipalityFactory(name="Bochum")
    boss = coordinator(town, name="Bea Bochum")
    staff_member = member(town, name="Sami Sozial")
    course_date = CourseDateFactory(course__title="Lotsendienste", capacity=1)
    registration_create(course_date=course_date, participant=boss, by=boss)
    registration_create(course_date=course_date, participant=staff_member, by=boss)
    login(page, boss)
    page.goto("/fortbildung/kommune/")
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text("Sami Sozial")
    expect(page.locator("main")).to_contain_text("Position 1")
    page.goto("/fortbildung/kalender/")
    assert_no_axe_violations(page)
    expect(page.get_by_label("Ihre private Kalenderadresse")).to_have_value(
        re.compile(r"/fortbildung/kalender/.+\.ics$")
    )


def test_staff_reports(page, base_url, settings):
    staff = StaffFactory()
    start = timezone.now() - timedelta(days=2)
    course_date = CourseDateFactory(start=start, end=start + timedelta(hours=4), capacity=4)
    town = MunicipalityFactory(name="Herne")
    registration = Registration.objects.create(
        course_date=course_date, participant=member(town), municipality=town, status="confirmed"
    )
    attendance_mark(registration=registration, by=staff, attended=True)
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page.goto("/fortbildung/verwaltung/berichte/")
    assert_no_axe_violations(page)
    # One chart per report: municipalities, regions, modules per year, fill rates, certificates.
    assert page.locator("main svg[role=img]").count() == 5
    expect(page.locator("main")).to_contain_text("Herne")
