"""The training journey in Chromium: a Landesjugendamt staff member creates a date in the Wagtail
admin; a coordinator registers two staff members, the second lands on the waiting list; the first
cancels; the second is promoted and told by e-mail; staff mark attendance; the participant
downloads the certificate and the calendar file. axe-core checks every page."""

import re
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login
from tests.factories import CourseFactory, MunicipalityFactory, StaffFactory, coordinator, member
from training.models import CourseDate, Registration


def _staff_session(context, staff, base_url) -> None:
    client = Client()
    client.force_login(staff)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def test_training_journey(new_context, base_url, mailoutbox, settings):
    # Wagtail's admin loads avatars from gravatar.com, which the Content Security Policy blocks;
    # the project setting WAGTAIL_GRAVATAR_PROVIDER_URL = None is asked for in the report.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    course = CourseFactory(title="Präventionskette gestalten", provider="LWL", hours=6)
    dortmund = MunicipalityFactory(name="Dortmund", region="LWL")
    boss = coordinator(dortmund, name="Dana Demir", email="koordination@dortmund.example")
    first = member(dortmund, name="Felix Fischer", email="fachkraft@dortmund.example")
    second = member(dortmund, name="Gül Günther", email="fachkraft2@dortmund.example")
    staff = StaffFactory(email="fortbildung@lwl.example", name="Frank Fortbildung")

    # 1. Staff create the date in the Wagtail admin.
    staff_context = new_context()
    _staff_session(staff_context, staff, base_url)
    staff_page = staff_context.new_page()
    staff_page.goto(reverse("course_dates:add"))
    assert_no_axe_violations(staff_page)
    start = timezone.localtime(timezone.now() + timedelta(days=20)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    staff_page.locator("#id_course").select_option(str(course.pk))
    staff_page.locator("#id_start").fill(start.strftime("%Y-%m-%d %H:%M"))
    staff_page.locator("#id_end").fill((start + timedelta(hours=6)).strftime("%Y-%m-%d %H:%M"))
    staff_page.locator("#id_venue_name").fill("LWL-Bildungszentrum Münster")
    staff_page.locator("#id_capacity").fill("1")
    _submit(staff_page, "footer button.button-longrunning[type=submit]")
    assert_no_axe_violations(staff_page)
    course_date = CourseDate.objects.get(course=course)
    assert course_date.capacity == 1

    # 2. The coordinator registers two staff members: the second waits.
    boss_context = new_context()
    boss_page = boss_context.new_page()
    login(boss_page, boss)
    boss_page.goto(course_date.get_absolute_url())
    assert_no_axe_violations(boss_page)
    for person in (first, second):
        boss_page.get_by_label("Wer nimmt teil?").select_option(str(person.pk))
        _submit(boss_page, "main form[action$='/anmelden/'] button[type=submit]")
        assert_no_axe_violations(boss_page)
    expect(boss_page.locator(".messages")).to_contain_text("Warteliste, Position 1")
    expect(boss_page.locator("main table")).to_contain_text("Gül Günther")
    assert Registration.objects.get(participant=second).status == "waiting"

    # 3. The first cancels; 4. the second is promoted and told.
    first_context = new_context()
    first_page = first_context.new_page()
    login(first_page, first)
    first_page.goto("/fortbildung/meine/")
    assert_no_axe_violations(first_page)
    _submit(first_page, "main form[action$='/abmelden/'] button")
    assert_no_axe_violations(first_page)
    expect(first_page.locator(".messages")).to_contain_text("storniert")
    assert Registration.objects.get(participant=second).status == "confirmed"
    promoted = [
        m for m in mailoutbox if second.email in m.to and "Sie haben einen Platz" in m.subject
    ]
    assert len(promoted) == 1
    assert promoted[0].attachments[0][0] == "termin.ics"

    # 5. The date has taken place; staff mark attendance.
    CourseDate.objects.filter(pk=course_date.pk).update(
        start=timezone.now() - timedelta(hours=7), end=timezone.now() - timedelta(hours=1)
    )
    staff_page.goto(f"/fortbildung/verwaltung/termine/{course_date.pk}/teilnehmende/")
    assert_no_axe_violations(staff_page)
    staff_page.get_by_label("Gül Günther hat teilgenommen").check()
    _submit(staff_page, "main form button:has-text('Anwesenheit speichern')")
    assert_no_axe_violations(staff_page)
    registration = Registration.objects.get(participant=second)
    assert registration.status == "attended" and registration.certificate_number

    # 6. The participant downloads the certificate and the calendar file.
    second_context = new_context()
    second_page = second_context.new_page()
    login(second_page, second)
    second_page.goto("/fortbildung/meine/")
    assert_no_axe_violations(second_page)
    with second_page.expect_download() as certificate:
        second_page.locator("main table a", has_text="Bescheinigung (PDF)").click()
    assert certificate.value.suggested_filename.endswith(".pdf")
    with open(certificate.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    with second_page.expect_download() as calendar_file:
        second_page.locator("main table a", has_text="Kalenderdatei").click()
    assert calendar_file.value.suggested_filename.endswith(".ics")
    with open(calendar_file.value.path(), encoding="utf-8") as ics:
        assert re.search(r"SUMMARY:Präventionskette gestalten", ics.read())
