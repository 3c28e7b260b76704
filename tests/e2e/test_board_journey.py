"""The live board in Chromium: two people in one room see each other's messages without a reload;
one of them loses the network, messages arrive meanwhile and they write one offline; once back,
both have every message exactly once. axe-core checks the room list and the room."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from events.models import Message
from events.services import room_ensure_defaults
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import TIMEOUT_MS, session_login
from tests.factories import MunicipalityFactory, member

ROOM = "/board/lernnetzwerk-nrw/"


def _open_room(context, user):
    session_login(context, user)
    page = context.new_page()
    page.goto(ROOM)
    expect(page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    return page


def _send(page, text: str) -> None:
    page.get_by_label("Ihre Nachricht").fill(text)
    page.get_by_label("Ihre Nachricht").press("Enter")


def _bodies(page) -> list[str]:
    return [
        t.strip()
        for t in page.locator(
            "[data-board-messages] > li:not([data-pending]) .board-msg__body"
        ).all_inner_texts()
    ]


def test_two_people_talk_one_goes_offline_and_nothing_is_lost(new_context):
    room_ensure_defaults()
    anna = member(MunicipalityFactory(name="Dortmund", region="LWL"), name="Anna Dortmund")
    karl = member(MunicipalityFactory(name="Köln", region="LVR"), name="Karl Köln")

    anna_context = new_context()
    session_login(anna_context, anna)
    anna_page = anna_context.new_page()
    anna_page.goto("/board/")
    expect(anna_page.get_by_role("heading", level=1)).to_have_text("Live-Board")
    assert_no_axe_violations(anna_page)
    anna_page.locator("main").get_by_role("link", name="Lernnetzwerk NRW", exact=True).click()
    expect(anna_page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    assert_no_axe_violations(anna_page)

    karl_context = new_context()
    karl_page = _open_room(karl_context, karl)
    assert_no_axe_violations(karl_page)
    expect(anna_page.locator("[data-board-online]")).to_contain_text("Karl Köln")

    # each sees the other's message appear, without a reload
    _send(anna_page, "Hallo Karl, wie läuft es in Köln?")
    expect(karl_page.locator("[data-board-messages]")).to_contain_text("Hallo Karl")
    expect(karl_page.locator("[data-board-messages]")).to_contain_text("(Dortmund)")
    _send(karl_page, "Gut, danke! **Lotsendienst** startet.")
    expect(anna_page.locator("[data-board-messages] strong")).to_have_text("Lotsendienst")
    expect(anna_page.get_by_label("Ihre Nachricht")).to_be_empty()

    # Karl loses the network; Anna writes meanwhile, and so does Karl, offline
    karl_context.set_offline(True)
    expect(karl_page.locator("[data-board-state]")).to_have_attribute("data-state", "offline")
    for i in range(3):
        _send(anna_page, f"Während Karl weg ist: Nachricht {i}")
        expect(anna_page.locator("[data-board-messages]")).to_contain_text(f"Nachricht {i}")
    _send(karl_page, "Offline geschrieben, bitte später senden")
    expect(karl_page.locator("[data-pending]")).to_contain_text("Offline geschrieben")
    assert "Während Karl weg ist" not in karl_page.locator("[data-board-messages]").inner_text()
    # ... and Anna corrects her first message, which Karl's page already shows
    first = anna_page.locator("[data-board-messages] li").filter(has_text="Hallo Karl")
    first.get_by_role("button", name="Bearbeiten").click()
    anna_page.get_by_label("Nachricht bearbeiten").fill("Hallo Karl, wie läuft es bei euch?")
    anna_page.get_by_role("button", name="Speichern").click()
    expect(first).to_contain_text("wie läuft es bei euch?")

    # back online: Karl reconnects by himself, syncs, and his post goes out once
    karl_context.set_offline(False)
    expect(karl_page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    expect(karl_page.locator("[data-pending]")).to_have_count(0)
    expect(anna_page.locator("[data-board-messages]")).to_contain_text("Offline geschrieben")
    expect(karl_page.locator("[data-board-messages]")).to_contain_text("Nachricht 2")

    expect(karl_page.locator("[data-board-messages]")).to_contain_text("wie läuft es bei euch?")
    expected = [
        "Hallo Karl, wie läuft es bei euch?",
        "Gut, danke! Lotsendienst startet.",
        "Während Karl weg ist: Nachricht 0",
        "Während Karl weg ist: Nachricht 1",
        "Während Karl weg ist: Nachricht 2",
        "Offline geschrieben, bitte später senden",
    ]
    assert _bodies(anna_page) == expected
    assert _bodies(karl_page) == expected
    assert Message.objects.count() == 6
    assert Message.objects.filter(body__startswith="Offline geschrieben").count() == 1
    assert re.search("online", karl_page.locator("[data-board-state]").inner_text(), re.I) is None
    assert_no_axe_violations(karl_page)


def test_an_edit_starts_from_the_markdown_and_times_read_the_same_everywhere(
    new_context, browser, browser_context_args, page_guard
):
    """Anna, whose computer runs on UTC, writes a message with a link and corrects it: the edit
    field shows her Markdown, and the link is still a link afterwards, also after a reload (the
    rendered page). Her live message shows the same time as Karl's page renders for it: the
    site's zone (Berlin) and format, not her browser's."""
    room_ensure_defaults()
    anna = member(MunicipalityFactory(name="Dortmund", region="LWL"), name="Anna Dortmund")
    karl = member(MunicipalityFactory(name="Köln", region="LVR"), name="Karl Köln")
    # Every context of the journeys runs in Berlin; Anna's computer runs on UTC.
    utc = browser.new_context(**{**browser_context_args, "timezone_id": "UTC"})
    utc.set_default_timeout(TIMEOUT_MS)
    utc.on("page", page_guard.watch)
    anna_page = _open_room(utc, anna)
    assert anna_page.evaluate("new Date(Date.UTC(2026, 10, 29, 12)).getHours()") == 12

    markdown = "Siehe [Leitfaden](https://example.org/leitfaden) zur Anmeldung"
    _send(anna_page, markdown)
    mine = anna_page.locator("[data-board-messages] > li:not([data-pending])").filter(
        has_text="Siehe Leitfaden"
    )
    expect(mine.get_by_role("link", name="Leitfaden")).to_have_attribute(
        "href", "https://example.org/leitfaden"
    )
    mine.get_by_role("button", name="Bearbeiten").click()
    field = anna_page.get_by_label("Nachricht bearbeiten")
    expect(field).to_have_value(markdown)
    field.fill(markdown.replace("zur Anmeldung", "zur **Anmeldung**"))
    anna_page.get_by_role("button", name="Speichern").click()
    expect(mine.locator("strong")).to_have_text("Anmeldung")
    expect(mine.get_by_role("link", name="Leitfaden")).to_have_attribute(
        "href", "https://example.org/leitfaden"
    )

    # The same message rendered by the server, on Karl's page (his browser in Berlin) …
    karl_page = _open_room(new_context(), karl)
    assert_no_axe_violations(karl_page)
    theirs = karl_page.locator("[data-board-messages] > li").filter(has_text="Siehe Leitfaden")
    expect(theirs.locator("time")).to_have_text(mine.locator("time").inner_text())
    # … and on Anna's after a reload: her own Markdown comes with the page.
    anna_page.reload()
    expect(anna_page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    mine = anna_page.locator("[data-board-messages] > li").filter(has_text="Siehe Leitfaden")
    mine.get_by_role("button", name="Bearbeiten").click()
    field = anna_page.get_by_label("Nachricht bearbeiten")
    expect(field).to_have_value(
        "Siehe [Leitfaden](https://example.org/leitfaden) zur **Anmeldung**"
    )
    # An emptied text is refused at the field, as the composer does; Escape closes the form
    # and gives the focus back to the message's "Bearbeiten".
    field.fill("   ")
    anna_page.get_by_role("button", name="Speichern").click()
    expect(mine.get_by_role("alert")).to_have_text("Bitte schreiben Sie zuerst eine Nachricht.")
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(anna_page)
    field.press("Escape")
    expect(field).to_have_count(0)
    expect(mine.get_by_role("button", name="Bearbeiten")).to_be_focused()
    expect(mine.locator("strong")).to_have_text("Anmeldung")  # nothing changed
    # Karl writes: Anna sees it live, then rendered after a reload, with the same time text.
    _send(karl_page, "Danke, [gefunden](https://example.org/)!")
    live = anna_page.locator("[data-board-messages] > li").filter(has_text="Danke, gefunden")
    expect(live).to_have_count(1)
    live_time = live.locator("time").inner_text()
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", live_time), live_time
    anna_page.reload()
    rendered = anna_page.locator("[data-board-messages] > li").filter(has_text="Danke, gefunden")
    expect(rendered.locator("time")).to_have_text(live_time)
    assert_no_axe_violations(anna_page)
    utc.close()


def _markup(locator) -> str:
    """A message's outerHTML with the whitespace between tags left out."""
    return re.sub(r">\s+<", "><", locator.evaluate("li => li.outerHTML")).strip()


def test_a_live_message_has_the_markup_of_a_rendered_one_and_berlin_time_in_english(
    new_context, browser, browser_context_args, page_guard
):
    """One markup for a message: board.js fills the room page's <template>, which is the
    server's _message.html rendered blank, so a message that arrived live reads (and is read by
    a screen reader) exactly like the same message after a reload. Anna reads the board in
    English on a computer that runs on UTC: times are in the English format, in Berlin time."""
    room_ensure_defaults()
    anna = member(MunicipalityFactory(name="Dortmund", region="LWL"), name="Anna Dortmund")
    karl = member(MunicipalityFactory(name="Köln", region="LVR"), name="Karl Köln")
    utc = browser.new_context(**{**browser_context_args, "timezone_id": "UTC"})
    utc.set_default_timeout(TIMEOUT_MS)
    utc.on("page", page_guard.watch)
    anna_page = _open_room(utc, anna)
    anna_page.get_by_role("button", name="English").click()
    expect(anna_page.locator("html")).to_have_attribute("lang", "en")
    expect(anna_page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    assert_no_axe_violations(anna_page)
    karl_page = _open_room(new_context(), karl)
    assert_no_axe_violations(karl_page)

    anna_page.get_by_label("Your message").fill("Meine *eigene* Nachricht")
    anna_page.get_by_label("Your message").press("Enter")
    _send(karl_page, "Hallo aus **Köln**")
    messages = anna_page.locator("[data-board-messages] > li:not([data-pending])")
    mine = messages.filter(has_text="Meine eigene Nachricht")
    theirs = messages.filter(has_text="Hallo aus Köln")
    expect(mine.get_by_role("button", name="Edit")).to_be_visible()
    expect(theirs.locator("strong")).to_have_text("Köln")
    live = {"mine": _markup(mine), "theirs": _markup(theirs)}
    assert 'class="board-msg__municipality">(Köln)<' in live["theirs"]
    assert "data-body=" in live["mine"] and "data-body=" not in live["theirs"]

    message = Message.objects.get(body="Hallo aus **Köln**")
    berlin = message.created_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert theirs.locator("time").inner_text() == berlin.strftime("%d/%m/%Y %H:%M")
    assert berlin.utcoffset() != timedelta(0)  # the test proves something only outside UTC

    anna_page.reload()
    expect(anna_page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    assert _markup(mine) == live["mine"]
    assert _markup(theirs) == live["theirs"]
    assert_no_axe_violations(anna_page)
    utc.close()
