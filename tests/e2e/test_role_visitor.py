"""The anonymous visitor's journeys (issue 12), in Chromium on the demo data of `load_demo`.

Every journey starts at "/" and goes on only through links, buttons and fields a visitor sees
(the one exception: the confirmation link in the sign-up e-mail, read from the outbox). axe-core
checks every page on the way. One test per job:

- find the next course dates of a module, through the curriculum and through the catalogue;
- search without umlauts or with part of a word: „Lotsendienst“, „fruehe hilfen“;
- read the legal pages from the footer;
- switch to English and back;
- sign up, confirm the address, ask to join a municipality and see the request pending.
"""

import re

from django.utils import dateformat, timezone, translation
from playwright.sync_api import expect

from core.models import User
from network.models import Membership, MembershipStatus, Municipality
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import follow, mail_link, start_page
from training.models import CourseDate

MODULE = "Frühe Hilfen als erster Baustein"  # module 4 of the demo curriculum
NEW_PASSWORD = "Praeventionskette-2026"


def header_link(page, name: str):
    return page.locator("header").get_by_role("link", name=name, exact=True)


def upcoming_dates_of_module_4():
    return list(
        CourseDate.objects.filter(course__title=MODULE, end__gt=timezone.now())
        .exclude(status="cancelled")
        .order_by("start")
    )


def test_visitor_finds_the_next_course_dates_of_a_module(new_context, demo):
    dates = upcoming_dates_of_module_4()
    assert dates, "the demo has upcoming dates of module 4"
    start_at = timezone.localtime(dates[0].start)
    first_day = f"{start_at:%d.%m.%Y}"  # as the catalogue writes it
    with translation.override("de"):
        first_day_long = dateformat.format(start_at, "j. F Y")  # as the date's page writes it

    # Through the curriculum: the module's page lists its upcoming dates with the seats left.
    page = start_page(new_context)
    follow(page, header_link(page, "Curriculum"))
    expect(page.locator("h1")).to_have_text("Curriculum")
    follow(page, page.get_by_role("link", name=f"Modul 4: {MODULE}"))
    expect(page.locator("h1")).to_have_text(MODULE)
    section = page.locator("section", has=page.get_by_role("heading", name="Kommende Kurstermine"))
    expect(section.locator(".course-date")).to_have_count(len(dates))
    expect(section.locator(".course-date").first).to_contain_text(
        re.compile(r"Plätze? frei|Warteliste")
    )
    follow(page, section.locator(".course-date a").first)
    expect(page.locator("main")).to_contain_text(MODULE)
    expect(page.locator("main")).to_contain_text(first_day_long)

    # Through the catalogue: „Fortbildungen“, filtered by the module.
    page = start_page(new_context)
    follow(page, header_link(page, "Fortbildungen"))
    page.get_by_label(re.compile(r"^Modul:?$")).select_option(label=MODULE)
    follow(page, page.get_by_role("button", name="Termine anzeigen"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(len(dates))
    expect(rows.first).to_contain_text(first_day)
    follow(page, rows.first.get_by_role("link", name=MODULE))
    expect(page.locator("main")).to_contain_text(first_day_long)


def search(page, query: str) -> None:
    page.get_by_label("Suchbegriff").fill(query)
    with page.expect_navigation():
        page.get_by_label("Suchbegriff").press("Enter")
    assert_no_axe_violations(page)


def test_visitor_searches_without_umlauts_and_with_part_of_a_word(new_context, demo):
    page = start_page(new_context)
    follow(page, header_link(page, "Suche"))

    # „Lotsendienst“ finds the module about „Lotsendienste“ (and the online exchange's course
    # is no page of its own, so the module is what a visitor reads about).
    search(page, "Lotsendienst")
    expect(page.locator("[role=status]")).to_contain_text("für „Lotsendienst“")
    results = page.locator("#results-pages ~ *").get_by_role("link", name=MODULE)
    expect(results.first).to_be_visible()

    # A keyboard without umlauts: „fruehe hilfen“ finds „Frühe Hilfen“.
    search(page, "fruehe hilfen")
    expect(page.locator("[role=status]")).not_to_contain_text("0 Ergebnisse")
    follow(page, page.locator("main").get_by_role("link", name=MODULE).first)
    expect(page.locator("h1")).to_have_text(MODULE)


def test_visitor_reads_the_legal_pages_from_the_footer(new_context, demo):
    page = start_page(new_context)
    footer = page.locator("footer")
    for link, heading in (
        ("Impressum", "Impressum"),
        ("Datenschutzerklärung", "Datenschutz"),
        ("Erklärung zur Barrierefreiheit", "Barrierefreiheit"),
    ):
        follow(page, footer.get_by_role("link", name=link))
        expect(page.locator("main h1")).to_contain_text(heading)
        assert len(page.locator("main").inner_text()) > 300, f"{link}: hardly any text"


def test_visitor_switches_to_english_and_back(new_context, demo):
    page = start_page(new_context)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Die nächsten Kurstermine")).to_be_visible()

    follow(page, page.get_by_role("button", name="English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Next course dates")).to_be_visible()
    expect(page.get_by_role("heading", name="Latest news")).to_be_visible()
    expect(header_link(page, "Search")).to_be_visible()
    expect(page.locator("footer").get_by_role("link", name="Imprint")).to_be_visible()

    # The choice holds on the next page.
    follow(page, header_link(page, "Curriculum"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name=f"Module 4: {MODULE}")).to_be_visible()

    follow(page, page.get_by_role("button", name="Deutsch"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.endswith("/curriculum/")
    expect(page.get_by_role("link", name=f"Modul 4: {MODULE}")).to_be_visible()
    expect(header_link(page, "Suche")).to_be_visible()


def test_visitor_signs_up_confirms_and_asks_to_join_a_municipality(new_context, demo, mailoutbox):
    email = "neue.fachkraft@bochum.example"
    bochum = Municipality.objects.get(name="Bochum")

    page = start_page(new_context)
    follow(page, header_link(page, "Registrieren"))
    page.get_by_label(re.compile(r"^Name:?$")).fill("Nora Neu")
    page.get_by_label(re.compile(r"^E-Mail")).fill(email)
    page.get_by_label(re.compile(r"^Passwort:?$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^Passwort \(Wiederholung\)")).fill(NEW_PASSWORD)
    page.locator("main").get_by_role("checkbox").check()
    follow(page, page.locator("main").get_by_role("button", name="Registrieren"))
    expect(page.locator("main")).to_contain_text(email)  # „we sent an e-mail to …“
    user = User.objects.get(email=email)
    assert not user.emailaddress_set.get(email=email).verified

    # The link in the e-mail; confirming logs her in.
    page.goto(mail_link(mailoutbox, r"/konto/confirm-email/", to=email))
    assert_no_axe_violations(page)
    follow(page, page.locator("main").get_by_role("button", name="Bestätigen"))
    assert user.emailaddress_set.get(email=email).verified
    expect(page.locator("header").get_by_role("button", name="Abmelden")).to_be_visible()

    # From her area to the request.
    if "/mein-bereich/" not in page.url:
        follow(page, header_link(page, "Mein Bereich"))
    follow(page, page.get_by_role("link", name="Aufnahme in Ihre Kommune beantragen"))
    page.get_by_label("Liste der Kommunen filtern").fill("Bochum")
    expect(page.get_by_label(re.compile(r"^Kommune:?$"))).to_have_value(str(bochum.pk))
    page.get_by_label(re.compile(r"^Nachricht an die Koordination")).fill(
        "Team Frühe Hilfen, Jugendamt Bochum"
    )
    follow(page, page.get_by_role("button", name="Anfrage senden"))

    # The pending state, on the request page and on the network's start page.
    expect(page.locator("main")).to_contain_text("Bochum")
    expect(page.get_by_role("button", name="Meine Anfrage zurückziehen")).to_be_visible()
    follow(page, header_link(page, "Netzwerk"))
    expect(page.locator("main")).to_contain_text(
        "Ihre Anfrage, Bochum beizutreten, wartet auf eine Entscheidung."
    )
    membership = Membership.objects.get(user=user)
    assert membership.status == MembershipStatus.PENDING
    assert membership.municipality == bochum

    # The forums are for members: her area's link leads to a page that says so and back to
    # her request, not to a bare refusal.
    follow(page, header_link(page, "Mein Bereich"))
    follow(page, page.locator("main").get_by_role("link", name="Austauschforen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Für Mitglieder des Lernnetzwerks")
    follow(page, page.get_by_role("link", name=re.compile("den Stand Ihrer Anfrage ansehen")))
    expect(page.get_by_role("button", name="Meine Anfrage zurückziehen")).to_be_visible()
