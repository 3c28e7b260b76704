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
from tests.e2e.conftest import answer_question, login
from tests.factories import CourseFactory, MunicipalityFactory, StaffFactory, coordinator, member
from training.models import CourseDate, Registration
from training.selectors import registration_valid_certificate


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
    staff = StaffFactory(
        email="fortbildung@lwl.example", name="Frank Fortbildung", landesjugendamt="LWL"
    )

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

    # 2. The coordinator registers two staff members at once: nobody is preselected (not even
    # herself), each result is reported, the second waits and is no longer offered.
    boss_context = new_context()
    boss_page = boss_context.new_page()
    login(boss_page, boss)
    boss_page.goto(course_date.get_absolute_url())
    assert_no_axe_violations(boss_page)
    people = boss_page.get_by_role("group", name="Wer nimmt teil?")
    expect(people.get_by_role("checkbox", checked=True)).to_have_count(0)
    people.get_by_label("Felix Fischer").check()
    people.get_by_label("Gül Günther").check()
    _submit(boss_page, "main form[action$='/anmelden/'] button[type=submit]")
    assert_no_axe_violations(boss_page)
    expect(boss_page.locator(".messages")).to_contain_text("Felix Fischer ist angemeldet")
    expect(boss_page.locator(".messages")).to_contain_text(
        "Gül Günther steht auf der Warteliste, Position 1"
    )
    expect(boss_page.locator("main table")).to_contain_text("Gül Günther")
    expect(boss_page.get_by_role("group", name="Wer nimmt teil?")).not_to_contain_text(
        "Gül Günther"
    )
    assert Registration.objects.get(participant=second).status == "waiting"

    # 3. The first cancels; 4. the second is promoted and told.
    first_context = new_context()
    first_page = first_context.new_page()
    login(first_page, first)
    first_page.goto("/fortbildung/meine/")
    assert_no_axe_violations(first_page)
    answer_question(first_page)
    _submit(first_page, "main form[action$='/abmelden/'] button")
    assert_no_axe_violations(first_page)
    expect(first_page.locator(".messages")).to_contain_text("storniert")
    assert Registration.objects.get(participant=second).status == "confirmed"
    promoted = [
        m for m in mailoutbox if second.email in m.to and "Sie haben einen Platz" in m.subject
    ]
    assert len(promoted) == 1
    assert promoted[0].attachments[0][0] == "termin.ics"

    # 5. The date took place yesterday; staff mark attendance. Yesterday 09:00-15:00 local keeps
    # it one day at any hour the journey runs (a date that crosses midnight has two days to mark).
    held = timezone.localtime(timezone.now() - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    CourseDate.objects.filter(pk=course_date.pk).update(start=held, end=held + timedelta(hours=6))
    staff_page.goto(f"/fortbildung/verwaltung/termine/{course_date.pk}/teilnehmende/")
    assert_no_axe_violations(staff_page)
    staff_page.get_by_label("Gül Günther hat teilgenommen").check()
    _submit(staff_page, "main form button:has-text('Anwesenheit speichern')")
    assert_no_axe_violations(staff_page)
    registration = Registration.objects.get(participant=second)
    assert registration.status == "attended"
    assert registration_valid_certificate(registration=registration)

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


def test_a_fachkraft_registers_herself_and_learns_why_she_waits(page):
    """One click registers a Fachkraft; when her municipality holds its maximum while seats are
    free, the page says so instead of "ausgebucht", and she can leave the waiting list."""
    herne = MunicipalityFactory(name="Herne")
    colleague = member(herne, name="Hanna Herne")
    person = member(herne, name="Fatma Fachkraft", email="fachkraft@herne.example")
    course = CourseFactory(title="Familienbüros aufbauen")
    roomy = CourseDate.objects.create(
        course=course,
        start=timezone.now() + timedelta(days=9),
        end=timezone.now() + timedelta(days=9, hours=3),
        venue_name="Kulturzentrum",
        capacity=10,
    )
    limited = CourseDate.objects.create(
        course=course,
        start=timezone.now() + timedelta(days=16),
        end=timezone.now() + timedelta(days=16, hours=3),
        venue_name="Kulturzentrum",
        capacity=10,
        max_per_municipality=1,
    )
    Registration.objects.create(
        course_date=limited, participant=colleague, municipality=herne, status="confirmed"
    )
    login(page, person)
    page.goto(roomy.get_absolute_url())
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Anmelden", exact=True).click()
    assert_no_axe_violations(page)
    expect(page.locator(".messages")).to_contain_text("Fatma Fachkraft ist angemeldet")
    expect(page.locator("main")).to_contain_text("Ihr Platz ist bestätigt")

    page.goto(limited.get_absolute_url())
    expect(page.locator("main")).to_contain_text("noch 9 Plätze")
    expect(page.locator("main")).to_contain_text("Ihre Kommune hat ihren 1 Platz")
    with page.expect_navigation():
        page.get_by_role("button", name="Auf die Warteliste").click()
    assert_no_axe_violations(page)
    expect(page.locator(".messages")).not_to_contain_text("ausgebucht")
    expect(page.locator("main")).to_contain_text("Sie rücken nach, sobald er frei wird")
    answer_question(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Warteliste verlassen").click()
    expect(page.locator(".messages")).to_contain_text("Warteliste wurde aufgegeben")
    assert Registration.objects.get(participant=person, course_date=limited).status == ("cancelled")
