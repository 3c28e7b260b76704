"""The Landesjugendamt course manager's journey (issue 15), in Chromium on the demo data of
`load_demo`.

Frank Fortbildung manages the courses of the LWL (fortbildung@lwl.example) and logs in with his
second factor. Everything he does goes through links, buttons and fields he sees, starting at
"/": the header's „Kursverwaltung“, a new date in the Wagtail admin, the registrations that come
in (three Fachkräfte of Dortmund and Bielefeld register in browsers of their own), the date's
end, the open task „Anwesenheit erfassen“, the Unterschriftenliste, attendance and certificates,
the evaluation (the hourly `send_evaluation_invitations` job invites, the participants answer
through the link in their mail), its results (withheld at two answers, shown at three) and the
year's report as a spreadsheet. What he reads — the pages, the PDFs (through poppler's
pdftotext), the XLSX, the mails — is the result; the database is checked in addition. axe-core
checks every page; the start page's filters and a row's link are used with the keyboard.

The only step outside the browser (besides the demo data and the participants' passwords) is
time: the date is moved to yesterday 09:00–15:00 Berlin time, which keeps it one day at whatever
hour the journey runs.
"""

import io
import re
import shutil
import subprocess
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import (
    give_totp,
    login_from_start,
    mail_link,
    tab_to,
)
from training.evaluation.models import Answer, EvaluationInvitation
from training.models import Certificate, CourseDate, Registration, RegistrationStatus

BERLIN = ZoneInfo("Europe/Berlin")
COURSE = "Frühe Hilfen als erster Baustein"  # an LWL course of the demo, in person, 6 hours
VENUE = "LWL-Landeshaus Münster"
# Three Fachkräfte of two municipalities: Felix Fischer logs in with the demo's password, the
# two others are demo people without one, who get it here.
PARTICIPANTS = [
    ("fachkraft@dortmund.example", "Felix Fischer", "Dortmund"),
    ("familienbuero@dortmund.example", "Jonas Becker", "Dortmund"),
    ("anna.richter@bielefeld.example", "Anna Richter", "Bielefeld"),
]
HELPFUL = {
    "Felix Fischer": "Die Checkliste für den ersten Hausbesuch.",
    "Jonas Becker": "Der Austausch mit Bielefeld über Willkommensbesuche.",
    "Anna Richter": "Die Fallbeispiele aus Dortmund.",
}


# --- what a person does ---------------------------------------------------------------------


def follow(page, target) -> None:
    """Click a link or button that loads the next page, then check that page with axe-core
    (Wagtail's admin fades its messages in: wait for them before measuring colours)."""
    with page.expect_navigation():
        target.click()
    settle(page)
    assert_no_axe_violations(page)


def settle(page) -> None:
    page.wait_for_load_state("load")
    if "/admin/" in page.url:
        page.wait_for_timeout(800)


def header_link(page, name: str):
    return page.locator("header").get_by_role("link", name=name, exact=True)


def main_link(page, name, **kwargs):
    return page.locator("main").get_by_role("link", name=name, **kwargs)


def messages(page):
    return page.locator(".messages")


def pdf_text(content: bytes) -> str:
    """The text of a PDF as pdftotext (poppler-utils) reads it."""
    assert content[:4] == b"%PDF", content[:40]
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def fetch_pdf(page, link) -> bytes:
    """The PDF behind a visible link, fetched with the browser's session: Chromium shows an
    inline PDF in its viewer, which is no page of ours to check."""
    expect(link).to_be_visible()
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf", response
    return response.body()


def download(page, link):
    """Click a link that downloads a file; returns the file's path."""
    with page.expect_download() as info:
        link.click()
    return info.value.path()


def yesterday_9_to_15() -> tuple[datetime, datetime]:
    day = timezone.localdate(timezone.now(), timezone=BERLIN) - timedelta(days=1)
    start = datetime.combine(day, time(9, 0), tzinfo=BERLIN)
    return start, start + timedelta(hours=6)


# --- the journey ----------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_course_manager_from_a_new_date_to_the_year_report(new_context, demo, mailoutbox):
    manager = demo.course_manager
    give_totp(manager)
    people = []
    for email, name, town in PARTICIPANTS:
        person = get_user_model().objects.get(email=email)
        if not person.has_usable_password():
            person.set_password(demo.password)
            person.save(update_fields=["password"])
            EmailAddress.objects.update_or_create(
                user=person, email=person.email, defaults={"verified": True, "primary": True}
            )
        assert person.name == name and person.memberships.get().municipality.name == town
        people.append(person)

    # 1. From the start page to the course administration.
    page = new_context().new_page()
    login_from_start(page, manager, demo.password)
    assert "/konto/" not in page.url, page.url
    follow(page, header_link(page, "Kursverwaltung"))
    assert page.url.endswith("/fortbildung/verwaltung/"), page.url
    expect(page.locator("h1")).to_have_text("Kursverwaltung")
    # His own Landesjugendamt's upcoming dates, LVR's not among them.
    upcoming = page.locator("main table")
    expect(upcoming).to_contain_text(COURSE)
    expect(upcoming).not_to_contain_text("Grundlagen kommunaler Präventionsketten")

    # 2. A new date of the course in the Wagtail admin, reached from the start page.
    follow(page, main_link(page, "Neuer Termin", exact=True))
    assert "/admin/course_dates/new/" in page.url, page.url
    day = timezone.localdate(timezone.now(), timezone=BERLIN) + timedelta(days=40)
    if day.isoweekday() > 5:  # courses run on weekdays
        day += timedelta(days=8 - day.isoweekday())
    # Wagtail marks required fields with an asterisk in the label.
    page.get_by_label("Veranstaltung*", exact=True).select_option(label=COURSE)
    page.get_by_label("Beginn*", exact=True).fill(f"{day:%Y-%m-%d} 09:30")
    page.get_by_label("Ende*", exact=True).fill(f"{day:%Y-%m-%d} 16:30")
    page.get_by_label("Veranstaltungsort", exact=True).fill(VENUE)
    page.get_by_label("Plätze*", exact=True).fill("12")
    follow(page, page.locator("footer").get_by_role("button", name="Erstellen"))
    expect(page.locator("body")).to_contain_text(COURSE)
    course_date = CourseDate.objects.get(course__title=COURSE, venue_name=VENUE)
    assert (course_date.capacity, timezone.localtime(course_date.start, BERLIN).hour) == (12, 9)

    # Back through the admin's menu to the start page: the new date is listed, with its seats.
    follow(page, page.get_by_role("link", name="Kursverwaltung").first)
    date_text = f"{day:%d.%m.%Y}"
    row = page.locator("main tbody tr").filter(has_text=date_text).filter(has_text=COURSE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("geplant")
    expect(row).to_contain_text("0 von 12")

    # 3. Registrations arrive: each Fachkraft finds the date in the public list and registers
    # with one click.
    browsers = {}
    for person in people:
        them = new_context().new_page()
        login_from_start(them, person, demo.password)
        follow(them, header_link(them, "Fortbildungen"))
        them.get_by_label("Modul").select_option(label=COURSE)
        follow(them, them.locator("main").get_by_role("button", name="Termine anzeigen"))
        their_row = them.locator("main tbody tr").filter(has_text=date_text)
        follow(them, their_row.get_by_role("link", name=COURSE, exact=True))
        expect(them.locator("main")).to_contain_text(VENUE)
        follow(them, them.locator("main").get_by_role("button", name="Anmelden", exact=True))
        expect(messages(them)).to_contain_text(f"{person.name} ist angemeldet")
        browsers[person.name] = them
    registered = Registration.objects.filter(
        course_date=course_date, status=RegistrationStatus.CONFIRMED
    )
    assert sorted(registered.values_list("participant__name", flat=True)) == sorted(
        name for _email, name, _town in PARTICIPANTS
    )
    page.reload()
    assert_no_axe_violations(page)
    row = page.locator("main tbody tr").filter(has_text=date_text).filter(has_text=COURSE)
    expect(row).to_contain_text("3 von 12")

    # 4. The date is held: yesterday 09:00–15:00 (the one step outside the browser).
    start, end = yesterday_9_to_15()
    CourseDate.objects.filter(pk=course_date.pk).update(start=start, end=end)

    # 5. The start page shows the open task. The filters and the row's link with the keyboard
    # alone: Tab to a list, type to choose, Tab on, Enter.
    page.reload()
    assert_no_axe_violations(page)
    module = page.get_by_label("Modul")
    tab_to(page, module, limit=60)
    page.keyboard.type(COURSE)
    expect(module).to_have_value(str(course_date.course_id))
    period = page.get_by_label("Zeitraum")
    tab_to(page, period)
    page.keyboard.type("vergangen")
    expect(period).to_have_value("past")
    tab_to(page, page.locator("main").get_by_role("button", name="Termine anzeigen"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    assert "period=past" in page.url, page.url
    held_text = f"{start:%d.%m.%Y}"
    row = page.locator("main tbody tr").filter(has_text=held_text)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(COURSE)
    expect(row).to_contain_text("durchgeführt")
    task = row.get_by_role("link", name=re.compile(r"^Anwesenheit erfassen"))
    tab_to(page, task)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    assert f"/fortbildung/verwaltung/termine/{course_date.pk}/teilnehmende/" in page.url
    expect(page.locator("h1")).to_contain_text(COURSE)
    seats = page.get_by_role("table", name="Plätze")
    for _email, name, town in PARTICIPANTS:
        expect(seats.get_by_role("row").filter(has_text=name)).to_contain_text(town)

    # The Unterschriftenliste to print: names and municipalities.
    signature_list = main_link(page, "Unterschriftenliste drucken (PDF)")
    text = pdf_text(fetch_pdf(page, signature_list))
    for _email, name, town in PARTICIPANTS:
        assert name in text and town in text, text
    assert COURSE in text, text

    # 6. Attendance, person by person: all three were there.
    mails_before = len(mailoutbox)
    for _email, name, _town in PARTICIPANTS:
        page.get_by_label(f"{name} hat teilgenommen").check()
    follow(page, page.locator("main").get_by_role("button", name="Anwesenheit speichern"))
    expect(messages(page)).to_contain_text("3 Bescheinigungen ausgestellt")
    certificates = Certificate.objects.filter(course_date=course_date)
    assert certificates.count() == 3
    certificate_mails = [
        mail
        for mail in mailoutbox[mails_before:]
        if mail.subject == f"[kinderstark] Ihre Teilnahmebescheinigung: {COURSE}"
    ]
    assert sorted(mail.to[0] for mail in certificate_mails) == sorted(p.email for p in people), [
        (mail.to, mail.subject) for mail in mailoutbox[mails_before:]
    ]
    # Anna's certificate, through the number in her row.
    anna = certificates.get(registration__participant__name="Anna Richter")
    anna_row = (
        page.get_by_role("table", name="Plätze").get_by_role("row").filter(has_text="Anna Richter")
    )
    expect(anna_row).to_contain_text(anna.number)
    with open(
        download(page, anna_row.get_by_role("link", name=re.compile(anna.number))), "rb"
    ) as f:
        text = pdf_text(f.read())
    assert "Anna Richter" in text, text
    assert COURSE in text, text
    assert re.search(r"Stunden\s+6\b", text), text  # the course's six hours
    assert f"{start.day}. " in text and str(start.year) in text, text  # held yesterday
    assert anna.number in text, text

    # Done: back on the start page, the past date is closed and asks for attendance no more.
    follow(page, page.locator("nav.breadcrumbs").get_by_role("link", name="Kursverwaltung"))
    page.get_by_label("Modul").select_option(label=COURSE)
    page.get_by_label("Zeitraum").select_option("past")
    follow(page, page.locator("main").get_by_role("button", name="Termine anzeigen"))
    row = page.locator("main tbody tr").filter(has_text=held_text)
    expect(row).to_contain_text("abgeschlossen")
    expect(row).not_to_contain_text("Anwesenheit erfassen")

    # 7. The hourly job invites the attendees to the evaluation; each answers through the link
    # in the mail, in their own browser.
    call_command("send_evaluation_invitations", stdout=io.StringIO())
    invited = EvaluationInvitation.objects.filter(course_date=course_date)
    assert sorted(invited.values_list("user__email", flat=True)) == sorted(p.email for p in people)

    def answer(person, score: str) -> None:
        invitation = [
            mail
            for mail in mailoutbox
            if person.email in mail.to
            and mail.subject == f"[kinderstark] Wie war es? Evaluation von {COURSE}"
        ]
        assert len(invitation) == 1, [(m.to, m.subject) for m in mailoutbox if person.email in m.to]
        them = browsers[person.name]
        link = mail_link(mailoutbox, rf"/evaluation/termine/{course_date.pk}/$", to=person.email)
        them.goto(link)
        assert_no_axe_violations(them)
        expect(them.locator("h1")).to_contain_text(COURSE)
        form = them.locator("main form.evaluation-form")
        for group in form.locator("fieldset").all():
            group.get_by_role("radio", name=re.compile(f"^{score}")).check()
        form.get_by_label("Was war besonders hilfreich?").fill(HELPFUL[person.name])
        follow(them, form.get_by_role("button", name="Antworten absenden"))
        expect(messages(them)).to_contain_text("ohne Ihren Namen gespeichert")

    answer(people[0], "5")
    answer(people[1], "4")

    # 8. The results of the date, from the start page: the closed date's open task is the
    # evaluation, which leads to the date's results. With two answers nothing is shown, so
    # that no single answer can be told apart.
    follow(page, row.get_by_role("link", name=re.compile(r"^Evaluation auswerten")))
    expect(page.locator("main")).to_contain_text("Noch zu wenige Antworten (2 von 3)")
    expect(page.locator("main")).not_to_contain_text(HELPFUL["Felix Fischer"])
    expect(page.locator("main .distribution")).to_have_count(0)

    # The third answer; now the charts and the free texts are there.
    answer(people[2], "4")
    assert Answer.objects.filter(course_date=course_date).count() == 3
    page.reload()
    assert_no_axe_violations(page)
    main = page.locator("main")
    expect(main.locator("h1")).to_contain_text(COURSE)
    expect(main).to_contain_text("(3 Antworten)")
    overall = main.get_by_role(
        "table", name="Verteilung der Antworten: Wie zufrieden sind Sie insgesamt"
    )
    expect(overall).to_contain_text("33 %")
    expect(overall).to_contain_text("67 %")
    chart = main.get_by_role("img", name=re.compile(r"^Wie zufrieden sind Sie insgesamt"))
    expect(chart.locator("rect")).to_have_count(5)  # the chart's bars, one per value
    for helpful in HELPFUL.values():
        expect(main).to_contain_text(helpful)
    for person in people:  # anonymous: no name on the results
        expect(main).not_to_contain_text(person.name)

    # 9. The year's report, from the start page, as a spreadsheet.
    follow(page, header_link(page, "Kursverwaltung"))
    follow(page, main_link(page, "Berichte", exact=True))
    year = start.year
    page.get_by_label("Jahr", exact=True).select_option(str(year))
    follow(page, page.locator("main").get_by_role("button", name="Anzeigen"))
    municipalities = page.get_by_role("table", name="Teilnahme je Kommune")
    expect(municipalities).to_contain_text("Bielefeld")
    path = download(
        page, page.get_by_role("link", name=re.compile("Excel.*Teilnahme je Modul und Jahr"))
    )
    with open(path, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Modul", "Jahr"], rows[0]
    ours = [row for row in rows if str(row[0]).startswith(COURSE) and row[1] == year]
    attended = Registration.objects.filter(
        course_date__course__title=COURSE,
        course_date__start__year=year,
        status=RegistrationStatus.ATTENDED,
    )
    assert len(ours) == 1 and ours[0][4] == attended.count(), (ours, attended.count())
    assert attended.filter(course_date=course_date).count() == 3
    path = download(page, page.get_by_role("link", name=re.compile("Excel.*Teilnahme je Kommune")))
    with open(path, "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    towns = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert {"Dortmund", "Bielefeld"} <= towns, towns
