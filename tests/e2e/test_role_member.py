"""The Fachkraft's journeys in Chromium, from the demo data: Felix Fischer, staff member of Dortmund
(demo.member, fachkraft@dortmund.example), logs in through the header's "Anmelden" on the start
page and then only clicks and types: registers for a course date, waits on a full one and leaves
the waiting list, cancels a seat, takes a date into the calendar, submits a practice example to
the coordination, opens a forum topic, mentions a colleague picked from the suggestions, marks a
post helpful, writes and edits on the live board, and downloads the data the platform holds about
him. Every page on the way is checked with axe-core; the e-mail is read from the outbox; the
database is only checked in addition."""

import json
import re
import time

from icalendar import Calendar
from playwright.sync_api import expect

from events.models import Message
from network.forums.models import Notification, PostReaction, Topic
from network.practice.models import ExampleStatus, PracticeExample
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import answer_question, follow, login_from_start
from training.models import CourseDate, Registration, RegistrationStatus

# Demo data (training/demo.py, network/forums/demo.py, network/practice/demo.py) this module
# relies on.
HER_COURSE = "Grundlagen kommunaler Präventionsketten"  # her confirmed seat, LVR-Landeshaus
MODULE_4 = "Modul 4: Frühe Hilfen als erster Baustein"
FORUM = "Frühe Hilfen"
TOPIC = "Babylotsen: Wie erreicht ihr Familien schon in der Geburtsklinik?"
HER_POST = "Ergänzung aus der Praxis: Die meisten Familien erreichen wir am zweiten Tag"


# --- how a person moves -----------------------------------------------------------------------


def main(page):
    return page.get_by_role("main")


def nav_link(page, name: str):
    return page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name=name, exact=True
    )


def log_in(page, user, password: str) -> None:
    """From the start page through the header's "Anmelden" and the login form to "Mein
    Bereich"."""
    login_from_start(page, user, password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Bereich")


def member_page(new_context, demo):
    page = new_context().new_page()
    log_in(page, demo.member, demo.password)
    return page


def open_my_courses(page) -> None:
    """Mein Bereich -> Meine Anmeldungen, Wartelistenplätze und Bescheinigungen."""
    follow(page, page.get_by_role("link", name="Mein Bereich", exact=True))
    follow(
        page,
        main(page).get_by_role(
            "link", name="Meine Anmeldungen, Wartelistenplätze und Bescheinigungen"
        ),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Meine Fortbildungen")


def open_her_date(page) -> None:
    """Her confirmed demo seat, reached from "Meine Fortbildungen"."""
    open_my_courses(page)
    row = main(page).get_by_role("row").filter(has_text="bestätigt").filter(has_text=HER_COURSE)
    follow(page, row.get_by_role("link", name=HER_COURSE, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(HER_COURSE)


def open_topic(page, title: str) -> None:
    """Netzwerk -> Foren -> Frühe Hilfen -> the topic."""
    follow(page, nav_link(page, "Netzwerk"))
    follow(page, main(page).get_by_role("link", name="Foren", exact=True))
    follow(page, main(page).get_by_role("link", name=FORUM, exact=True))
    follow(page, main(page).get_by_role("link", name=title, exact=True).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def wait_for_mail(outbox, *, to: str, subject: str, timeout: float = 5.0):
    """The e-mail to `to` whose subject contains `subject` (mail leaves after the commit, a
    moment after the page that caused it)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [m for m in outbox if to in m.to and subject in m.subject]
        if found:
            return found
        if time.monotonic() > deadline:
            sent = "; ".join(f"{m.to}: {m.subject}" for m in outbox) or "(no mail)"
            raise AssertionError(f"no e-mail to {to} with {subject!r}; outbox: {sent}")
        time.sleep(0.1)


def seats_left(page) -> str:
    """The availability the date page states next to the tags ("noch 12 Plätze", "Warteliste")."""
    return main(page).locator("p.cluster strong").first.inner_text()


# --- the jobs ---------------------------------------------------------------------------------


def test_member_registers_herself_for_a_course_date(new_context, demo, mailoutbox):
    member = demo.member
    page = member_page(new_context, demo)

    # The curriculum's module page lists the upcoming dates of its course.
    follow(page, nav_link(page, "Curriculum"))
    follow(page, main(page).get_by_role("link", name=MODULE_4))
    dates = main(page).locator(".course-dates li")
    expect(dates.first).to_contain_text("12 Plätze frei")
    follow(page, dates.first.get_by_role("link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Frühe Hilfen als erster Baustein")
    assert seats_left(page) == "noch 12 Plätze"

    follow(page, main(page).get_by_role("button", name="Anmelden", exact=True))
    expect(page.locator(".messages")).to_contain_text(
        f"{member.display_name} ist angemeldet. Eine Bestätigung ist unterwegs."
    )
    expect(main(page)).to_contain_text("Sie sind angemeldet: Ihr Platz ist bestätigt.")
    assert seats_left(page) == "noch 11 Plätze"

    (mail,) = wait_for_mail(
        mailoutbox, to=member.email, subject="Anmeldung bestätigt: Frühe Hilfen als erster Baustein"
    )
    assert "Jugendhof Vlotho" in mail.body
    assert [name for name, _content, _type in mail.attachments] == ["termin.ics"]

    registration = Registration.objects.get(
        participant=member, course_date__course__title="Frühe Hilfen als erster Baustein"
    )
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.registered_by == member


def test_member_waits_on_a_full_date_and_leaves_the_waiting_list(new_context, demo, mailoutbox):
    member = demo.member
    # The demo fills the small date of the first module and puts Dortmund's coordinator on its
    # waiting list: one person is ahead of her.
    full = CourseDate.objects.get(
        course__title=HER_COURSE, capacity=3, registrations__status=RegistrationStatus.WAITING
    )
    ahead = full.registrations.filter(status=RegistrationStatus.WAITING).count()
    assert ahead == 1
    page = member_page(new_context, demo)

    follow(page, nav_link(page, "Fortbildungen"))
    row = main(page).get_by_role("row").filter(has_text=HER_COURSE).filter(has_text="Warteliste")
    expect(row).to_have_count(1)
    follow(page, row.get_by_role("link", name=HER_COURSE, exact=True))
    assert seats_left(page) == "Warteliste"

    follow(page, main(page).get_by_role("button", name="Auf die Warteliste setzen"))
    position = ahead + 1
    expect(page.locator(".messages")).to_contain_text(
        f"Der Termin ist ausgebucht: {member.display_name} steht auf der Warteliste, "
        f"Position {position}."
    )
    expect(main(page)).to_contain_text(f"Sie stehen auf der Warteliste, Position {position}.")
    wait_for_mail(mailoutbox, to=member.email, subject=f"Warteliste: {HER_COURSE}")
    waiting = Registration.objects.get(course_date=full, participant=member)
    assert waiting.status == RegistrationStatus.WAITING

    # "Meine Fortbildungen" says the same.
    open_my_courses(page)
    mine = main(page).get_by_role("row").filter(has_text="Warteliste").filter(has_text=HER_COURSE)
    expect(mine).to_contain_text(f"Position {position}")

    # She leaves the list again, from the date's page.
    follow(page, mine.get_by_role("link", name=HER_COURSE, exact=True))
    asked = answer_question(page)
    follow(page, main(page).get_by_role("button", name="Warteliste verlassen"))
    assert len(asked) == 1
    assert asked[0].startswith(f"Ihren Platz auf der Warteliste für „{HER_COURSE}“ am ")
    assert asked[0].endswith(" aufgeben?")
    expect(page.locator(".messages")).to_contain_text(
        "Der Platz auf der Warteliste wurde aufgegeben."
    )
    expect(main(page)).not_to_contain_text("Sie stehen auf der Warteliste")
    expect(main(page).get_by_role("button", name="Auf die Warteliste setzen")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CANCELLED
    # The person ahead of her keeps the first place.
    assert full.registrations.get(status=RegistrationStatus.WAITING).participant == demo.coordinator


def test_member_cancels_her_seat(new_context, demo, mailoutbox):
    member = demo.member
    page = member_page(new_context, demo)
    open_her_date(page)
    expect(main(page)).to_contain_text("Sie sind angemeldet: Ihr Platz ist bestätigt.")
    before = seats_left(page)

    # The button asks first; "Abbrechen" keeps the seat.
    asked = answer_question(page, accept=False)
    main(page).get_by_role("button", name="Meine Anmeldung stornieren").click()
    expect(main(page)).to_contain_text("Sie sind angemeldet: Ihr Platz ist bestätigt.")
    assert len(asked) == 1 and asked[0].startswith(f"Ihre Anmeldung für „{HER_COURSE}“ am ")
    assert asked[0].endswith("Der Platz geht an die nächste Person auf der Warteliste.")
    answer_question(page)
    follow(page, main(page).get_by_role("button", name="Meine Anmeldung stornieren"))
    expect(page.locator(".messages")).to_contain_text("Die Anmeldung wurde storniert.")
    expect(page.get_by_role("heading", level=1)).to_have_text(HER_COURSE)
    expect(main(page)).not_to_contain_text("Ihr Platz ist bestätigt")
    # Her seat is free again for others.
    free = int(re.search(r"\d+", before).group())
    assert seats_left(page) == f"noch {free + 1} Plätze"

    (mail,) = wait_for_mail(
        mailoutbox, to=member.email, subject=f"Abmeldung bestätigt: {HER_COURSE}"
    )
    assert "LVR-Landeshaus" in mail.body

    open_my_courses(page)
    cancelled = main(page).get_by_role("heading", name="Stornierte Anmeldungen")
    expect(cancelled).to_be_visible()
    expect(main(page).locator("h2 + ul").last).to_contain_text(HER_COURSE)
    registration = Registration.objects.get(
        participant=member, course_date__course__title=HER_COURSE, cancelled_at__isnull=False
    )
    assert registration.status == RegistrationStatus.CANCELLED


def _unfold(ics: str) -> str:
    return re.sub(r"\r?\n[ \t]", "", ics)


def test_member_adds_her_date_to_her_calendar(new_context, demo):
    page = member_page(new_context, demo)
    open_her_date(page)
    shown_start = main(page).locator("dd time").first.get_attribute("datetime")

    with page.expect_download() as download:
        main(page).get_by_role("link", name="In den Kalender übernehmen (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    with open(download.value.path(), encoding="utf-8") as ics_file:
        ics = ics_file.read()

    lines = _unfold(ics)
    assert f"SUMMARY:{HER_COURSE}" in lines
    # The local time of the course, in the time zone of the venue (with its definition), so
    # every calendar shows 09:30 (the demo's in-person day starts then) as the page does.
    local = re.search(r"^DTSTART;TZID=Europe/Berlin:(\d{8}T\d{6})\r?$", lines, re.M)
    assert local, f"DTSTART not in Europe/Berlin:\n{ics}"
    assert "BEGIN:VTIMEZONE" in lines and "TZID:Europe/Berlin" in lines
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    start = event.decoded("DTSTART")
    assert start.isoformat() == shown_start  # the page's <time datetime> (Berlin time)
    assert start.strftime("%H:%M") == "09:30"
    assert str(event["LOCATION"]) == "LVR-Landeshaus, Kennedy-Ufer 2, 50679 Köln"


def test_member_submits_a_practice_example_to_her_coordinator(new_context, demo):
    member, boss = demo.member, demo.coordinator
    title = "Mehrsprachige Flyer für die Wochenstation"
    page = member_page(new_context, demo)

    follow(page, nav_link(page, "Netzwerk"))
    follow(page, main(page).get_by_role("link", name="Praxisbeispiele", exact=True))
    follow(page, main(page).get_by_role("link", name="Praxisbeispiel schreiben"))
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Kurzbeschreibung").fill(
        "Ein Flyer in sieben Sprachen erreicht Familien am zweiten Tag nach der Geburt."
    )
    page.get_by_label("Frühe Hilfen", exact=True).check()
    page.get_by_label("Schwangerschaft und Geburt").check()
    page.get_by_label("Zielgruppen").fill("Familien mit Neugeborenen, Neuzugewanderte")
    page.get_by_label("Was wurde gemacht?").fill("Flyer mit Sprachmittlerinnen entwickelt.")
    page.get_by_label("Was hat zum Gelingen beigetragen?").fill("Die Hebammen verteilen ihn.")
    follow(page, page.get_by_role("button", name="Speichern und zur Prüfung einreichen"))

    # She reads where it went: to her coordination first.
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".messages")).to_contain_text("Koordination")
    example = PracticeExample.objects.get(title=title)
    assert example.author == member
    # Not yet in the Landesjugendamt's review queue.
    assert example.status == ExampleStatus.AWAITING_CONFIRMATION
    # Told: her own coordinator, and nobody else (not Köln's, not the Landesjugendamt yet).
    told = Notification.objects.filter(text__contains=title).values_list("user", flat=True)
    assert list(told) == [boss.pk]

    # Her coordinator finds it among the notifications and opens it.
    boss_page = new_context().new_page()
    log_in(boss_page, boss, demo.password)
    follow(boss_page, boss_page.get_by_role("link", name=re.compile(r"^Benachrichtigungen")))
    notice = main(boss_page).get_by_role("link", name=re.compile(re.escape(title)))
    expect(notice).to_contain_text(member.display_name)
    follow(boss_page, notice)
    expect(main(boss_page)).to_contain_text(title)


def test_member_opens_a_forum_topic(new_context, demo):
    member = demo.member
    title = "Flyer in mehreren Sprachen: Wer übersetzt bei euch?"
    page = member_page(new_context, demo)

    follow(page, nav_link(page, "Netzwerk"))
    follow(page, main(page).get_by_role("link", name="Foren", exact=True))
    follow(page, main(page).get_by_role("link", name=FORUM, exact=True))
    follow(page, main(page).get_by_role("link", name="Neues Thema beginnen"))
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Ihr Beitrag").fill(
        "Wir möchten unseren Flyer für die Wochenstation **mehrsprachig** auflegen. "
        "Wer übersetzt bei euch, und wie wird das bezahlt?"
    )
    follow(page, main(page).get_by_role("button", name="Thema veröffentlichen"))

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    first = page.locator("#beitrag-1")
    expect(first).to_contain_text(member.display_name)
    expect(first).to_contain_text("Dortmund")
    expect(first.locator("strong")).to_have_text("mehrsprachig")
    # The category lists it for the others.
    follow(
        page,
        page.get_by_role("navigation", name="Brotkrumennavigation").get_by_role("link", name=FORUM),
    )
    expect(main(page).get_by_role("link", name=title, exact=True).first).to_be_visible()
    topic = Topic.objects.get(title=title)
    assert topic.author == member and topic.category.slug == "fruehe-hilfen"


def test_member_replies_with_a_mention_picked_from_the_suggestions(new_context, demo):
    boss = demo.coordinator
    page = member_page(new_context, demo)
    open_topic(page, TOPIC)

    field = page.get_by_label("Ihr Beitrag")
    field.click()
    field.press_sequentially("Danke für die Vorlage, @dan", delay=30)
    suggestions = page.get_by_role("listbox")
    expect(suggestions).to_be_visible()
    option = suggestions.get_by_role("option", name=re.compile(boss.display_name))
    expect(option).to_be_visible()
    assert_no_axe_violations(page, label="with the mention suggestions open")
    # Picked with the keyboard alone: the focus stays in the text field.
    field.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    field.press("Enter")
    expect(suggestions).to_be_hidden()
    expect(field).to_be_focused()
    expect(field).to_have_value(re.compile(r"^Danke für die Vorlage, @dana-demir\s$"))
    field.press_sequentially("– ich melde mich wegen der Einwilligung.", delay=10)
    follow(page, main(page).get_by_role("button", name="Antwort veröffentlichen"))

    reply = main(page).locator("article.post").last
    expect(reply).to_contain_text("ich melde mich wegen der Einwilligung")
    mention = reply.locator(".prose").get_by_role("link", name=re.compile("dana-demir|Dana Demir"))
    expect(mention).to_be_visible()
    assert Notification.objects.filter(user=boss, kind="mention").count() == 1


def test_member_marks_a_post_helpful(new_context, demo):
    member = demo.member
    page = member_page(new_context, demo)
    open_topic(page, TOPIC)

    first = page.locator("#beitrag-1")
    helpful = first.get_by_role("button", name="hilfreich #1")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    before = PostReaction.objects.filter(post__topic__title=TOPIC, post__number=1).count()

    follow(page, helpful)
    helpful = page.locator("#beitrag-1").get_by_role("button", name="hilfreich #1")
    expect(helpful).to_have_attribute("aria-pressed", "true")
    count = before + 1
    expect(page.locator("#beitrag-1")).to_contain_text(
        f"{count} Person fand das hilfreich" if count == 1 else f"{count} Personen fanden das"
    )
    assert PostReaction.objects.filter(
        post__topic__title=TOPIC, post__number=1, user=member
    ).exists()


def test_member_posts_and_edits_a_message_on_the_live_board(new_context, demo):
    member = demo.member
    text = "Siehe [Leitfaden](https://example.org/leitfaden)"
    page = member_page(new_context, demo)

    follow(page, nav_link(page, "Live-Board"))
    main(page).get_by_role("link", name="Lernnetzwerk NRW", exact=True).click()
    expect(page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    assert_no_axe_violations(page)

    composer = page.get_by_label("Ihre Nachricht")
    composer.fill(text)
    composer.press("Enter")
    mine = page.locator("[data-board-messages] > li:not([data-pending])").filter(
        has_text="Siehe Leitfaden"
    )
    expect(mine).to_have_count(1)
    expect(mine.get_by_role("link", name="Leitfaden")).to_have_attribute(
        "href", "https://example.org/leitfaden"
    )
    expect(composer).to_be_empty()

    mine.get_by_role("button", name="Bearbeiten").click()
    editor = page.get_by_label("Nachricht bearbeiten")
    # The edit starts from what she wrote, the Markdown, not from the shown text.
    expect(editor).to_have_value(text)
    assert_no_axe_violations(page, label="while editing")
    editor.fill(f"{text}, Abschnitt 3")
    page.get_by_role("button", name="Speichern").click()

    expect(mine).to_contain_text("Siehe Leitfaden, Abschnitt 3")
    expect(mine).to_contain_text("bearbeitet")
    expect(mine.get_by_role("link", name="Leitfaden")).to_have_attribute(
        "href", "https://example.org/leitfaden"
    )
    message = Message.objects.get(author=member, body__startswith="Siehe [Leitfaden]")
    assert message.body == f"{text}, Abschnitt 3"
    assert 'href="https://example.org/leitfaden"' in message.body_html


def test_member_downloads_her_data(new_context, demo):
    member = demo.member
    page = member_page(new_context, demo)

    follow(page, main(page).get_by_role("link", name="Mein Profil öffnen"))
    with page.expect_download() as download:
        main(page).get_by_role("link", name="Meine Daten herunterladen (JSON-Datei)").click()
    assert download.value.suggested_filename.endswith(".json")
    with open(download.value.path(), encoding="utf-8") as data_file:
        export = json.load(data_file)
    data = export["data"]

    assert member.email in json.dumps(data, ensure_ascii=False)
    registrations = {(r["course"], r["status"]) for r in data["training"]["training_registrations"]}
    assert (HER_COURSE, "confirmed") in registrations
    posts = [post["text"] for post in data["forums"]["forum_posts"]]
    assert any(text.startswith(HER_POST) for text in posts), posts
    # Only hers: the coordinator's reply in the same topic is not in it.
    assert not any("Kooperationsvereinbarung" in text for text in posts)
