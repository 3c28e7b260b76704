"""The evaluation journey in Chromium: a date has been held; the invitation job mails its three
attendees; each follows the link from the mail and answers (one only with the keyboard, one
first forgets a question and is told so); staff find the results from the admin menu, read them
and download the XLSX. axe-core checks every page."""

import io
import re
from datetime import timedelta

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.axe import assert_errors_tied_to_fields, assert_no_axe_violations
from tests.e2e.conftest import follow, login, mail_link, tab_to
from tests.factories import CourseFactory, MunicipalityFactory, StaffFactory, member
from training.evaluation.models import Answer, EvaluationReceipt
from training.evaluation.services import invitations_send
from training.models import CourseDate, Registration, RegistrationStatus

TITLE = "Präventionsketten mit Kita und Familiengrundschulzentrum gemeinsam gestalten"


def _held_date_with_attendees():
    course = CourseFactory(title=TITLE, provider="LWL", hours=6)
    start = timezone.localtime(timezone.now() - timedelta(days=2)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    course_date = CourseDate.objects.create(
        course=course, start=start, end=start + timedelta(hours=6), capacity=12
    )
    dortmund = MunicipalityFactory(name="Dortmund", region="LWL")
    people = [
        member(dortmund, name="Ada Albers", email="ada@dortmund.example"),
        member(dortmund, name="Ben Brandt", email="ben@dortmund.example"),
        member(dortmund, name="Cem Cakir", email="cem@dortmund.example"),
    ]
    for person in people:
        Registration.objects.create(
            course_date=course_date,
            participant=person,
            municipality=dortmund,
            status=RegistrationStatus.ATTENDED,
            confirmed_at=start - timedelta(days=10),
            attendance_marked_at=start + timedelta(hours=6),
        )
    return course_date, people


def _answer_with_mouse(page, values: list[str], helpful: str = "") -> None:
    form = page.locator("main form.evaluation-form")
    for group, value in zip(form.locator("fieldset").all(), values, strict=True):
        group.get_by_label(value, exact=False).first.check()
    if helpful:
        form.get_by_label("Was war besonders hilfreich?").fill(helpful)
    with page.expect_navigation():
        form.get_by_role("button", name="Antworten absenden").click()


def test_three_participants_answer_and_staff_read_the_results(new_context, mailoutbox):
    course_date, people = _held_date_with_attendees()
    assert invitations_send() == 3
    assert invitations_send() == 0  # the job runs every few minutes: nobody is asked twice
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)

    # 1. Ada answers through the link in her mail with the keyboard alone.
    ada = new_context().new_page()
    login(ada, people[0])
    ada.goto(mail_link(mailoutbox, r"/fortbildung/evaluation/termine/\d+/", to=people[0].email))
    assert_no_axe_violations(ada)
    expect(ada.locator("h1")).to_contain_text(TITLE)
    overall = ada.get_by_role("group", name="Wie zufrieden sind Sie insgesamt")
    expect(overall.get_by_role("radio")).to_have_count(5)
    tab_to(ada, overall.get_by_role("radio").first)
    # Arrow keys move through a radio group and choose; Tab goes on to the next group.
    for key in ["ArrowRight"] * 4:  # 1 → 5
        ada.keyboard.press(key)
    expect(overall.get_by_role("radio", name="5 – sehr zufrieden")).to_be_checked()
    for _group in range(3):
        ada.keyboard.press("Tab")
        ada.keyboard.press("ArrowRight")
        ada.keyboard.press("ArrowRight")
        ada.keyboard.press("ArrowRight")  # 4 (focus lands on 1, which Tab does not choose)
    ada.keyboard.press("Tab")
    ada.keyboard.type("Die Beispiele aus Gelsenkirchen und die Checkliste.")
    ada.keyboard.press("Tab")
    ada.keyboard.type("Mehr Zeit für Fragen.")
    ada.keyboard.press("Tab")
    with ada.expect_navigation():
        ada.keyboard.press("Enter")
    assert_no_axe_violations(ada)
    expect(ada.locator(".messages")).to_contain_text("ohne Ihren Namen gespeichert")
    assert EvaluationReceipt.objects.filter(user=people[0]).exists()

    # 2. Ben forgets a question first: told which, nothing saved; then he completes it.
    ben = new_context().new_page()
    login(ben, people[1])
    ben.goto(mail_link(mailoutbox, r"/fortbildung/evaluation/termine/\d+/", to=people[1].email))
    assert_no_axe_violations(ben)
    form = ben.locator("main form.evaluation-form")
    groups = form.locator("fieldset")
    for index in (0, 1, 3):
        groups.nth(index).get_by_role("radio", name="4", exact=True).check()
    with ben.expect_navigation():
        form.get_by_role("button", name="Antworten absenden").click()
    assert_no_axe_violations(ben)
    expect(ben.locator("#evaluation-errors")).to_contain_text("Es wurde noch nichts gespeichert")
    assert_errors_tied_to_fields(ben, "trainers")
    assert Answer.objects.count() == 1
    # What he had chosen is still chosen.
    expect(groups.nth(0).get_by_role("radio", name="4", exact=True)).to_be_checked()
    groups.nth(2).get_by_role("radio", name="3", exact=True).check()
    with ben.expect_navigation():
        form.get_by_role("button", name="Antworten absenden").click()
    assert_no_axe_violations(ben)
    assert Answer.objects.count() == 2

    # 3. Cem finds the questionnaire on his course page, not only in the mail.
    cem = new_context().new_page()
    login(cem, people[2])
    cem.goto("/fortbildung/meine/")
    assert_no_axe_violations(cem)
    # The questionnaire's link ("<course>, <date> bewerten"), not the calendar file's.
    follow(cem, cem.get_by_role("link", name=re.compile(rf"^{re.escape(TITLE)}, .* bewerten$")))
    form = cem.locator("main form.evaluation-form")
    for group in form.locator("fieldset").all():
        group.get_by_role("radio", name="3", exact=True).check()
    form.get_by_label("Was sollten wir verbessern?").fill("Bessere Akustik im Saal")
    with cem.expect_navigation():
        form.get_by_role("button", name="Antworten absenden").click()
    assert_no_axe_violations(cem)
    assert Answer.objects.count() == 3
    # Back to the form: he has answered, and is told so.
    cem.go_back()
    cem.reload()
    assert_no_axe_violations(cem)
    expect(cem.locator("main")).to_contain_text("bereits bewertet")

    # 4. Staff: the admin menu → the results → the date → the spreadsheet.
    staff = StaffFactory(
        email="fortbildung@lwl.example", name="Frank Fortbildung", landesjugendamt="LWL"
    )
    staff_page = new_context().new_page()
    login(staff_page, staff)
    staff_page.goto("/admin/")
    assert_no_axe_violations(staff_page)
    follow(staff_page, staff_page.get_by_role("link", name="Evaluationsergebnisse"))
    main = staff_page.locator("main")
    expect(main).to_contain_text("Durchschnitt 4,0 von 5 (3 Antworten)")
    follow(staff_page, main.get_by_role("link", name=f"Ergebnisse – {TITLE}", exact=False))
    expect(main.locator("h1")).to_contain_text(TITLE)
    expect(main).to_contain_text("Durchschnitt 4,0 von 5 (3 Antworten)")
    expect(main).to_contain_text("Die Beispiele aus Gelsenkirchen und die Checkliste.")
    expect(main).to_contain_text("Bessere Akustik im Saal")
    overall_table = main.get_by_role(
        "table", name="Verteilung der Antworten: Wie zufrieden sind Sie insgesamt"
    )
    expect(overall_table).to_contain_text("33 %")
    with staff_page.expect_download() as download:
        main.get_by_role("link", name="Excel (XLSX) herunterladen").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()))
    rows = {row[0]: row for row in book["Skalen"].iter_rows(values_only=True) if row and row[0]}
    overall_row = rows["Wie zufrieden sind Sie insgesamt mit der Veranstaltung?"]
    assert overall_row[1:3] == (3, 4.0)
    texts = [row[1] for row in book["Freitexte"].iter_rows(values_only=True)]
    assert "Bessere Akustik im Saal" in texts
    assert Answer.objects.filter(course_date=course_date).count() == 3
