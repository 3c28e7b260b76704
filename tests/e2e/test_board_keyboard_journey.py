"""The live board with the keyboard alone, as someone who does not use a mouse or who hears the
page through a screen reader: Tab reaches the composer, Shift+Enter starts a new line and Enter
sends; the other person sees "… schreibt" and hears the message through the polite live region,
a burst as one count instead of a flood; the author deletes by keyboard and it disappears live;
older messages load on request and the focus continues at the oldest one."""

from playwright.sync_api import expect

from core.markdown import render_markdown
from events.models import Message, Room
from events.services import room_ensure_defaults
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import has_focus, session_login, tab_to
from tests.factories import MunicipalityFactory, member

ROOM = "/board/lernnetzwerk-nrw/"
EARLIER = 55  # more than the 50 a room page shows at first


def _open_room(context, user):
    session_login(context, user)
    page = context.new_page()
    page.goto(ROOM)
    expect(page.locator("[data-board-state]")).to_have_attribute("data-state", "open")
    assert_no_axe_violations(page)
    return page


def test_the_board_by_keyboard_alone(new_context):
    room_ensure_defaults()
    anna = member(MunicipalityFactory(name="Dortmund", region="LWL"), name="Anna Dortmund")
    karl = member(MunicipalityFactory(name="Köln", region="LVR"), name="Karl Köln")
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    Message.objects.bulk_create(
        Message(
            room=room,
            seq=i + 1,
            author=karl,
            author_municipality="Köln",
            nonce=f"frueher-{i}",
            body=f"Frühere Nachricht {i}",
            body_html=render_markdown(f"Frühere Nachricht {i}"),
        )
        for i in range(EARLIER)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=EARLIER)

    anna_page = _open_room(new_context(), anna)
    karl_page = _open_room(new_context(), karl)
    messages = karl_page.locator("[data-board-messages]")
    expect(messages.locator("> li")).to_have_count(50)
    expect(messages).not_to_contain_text("Frühere Nachricht 0")

    # Anna reaches the composer with Tab from the top of the page and writes two lines
    composer = anna_page.get_by_label("Ihre Nachricht")
    tab_to(anna_page, composer, limit=80)
    anna_page.keyboard.type("Zeile eins")
    # Karl sees that she is writing (shown, not announced: it would talk over everything)
    expect(karl_page.locator("[data-board-typing]")).to_have_text("Anna Dortmund schreibt …")
    anna_page.keyboard.press("Shift+Enter")
    anna_page.keyboard.type("Zeile zwei")
    expect(composer).to_have_value("Zeile eins\nZeile zwei")
    anna_page.keyboard.press("Enter")
    expect(composer).to_be_empty()
    assert has_focus(composer)  # ready for the next message
    expect(messages).to_contain_text("Zeile zwei")
    expect(karl_page.locator("[data-board-live]")).to_have_text(
        "Neue Nachricht von Anna Dortmund: Zeile eins Zeile zwei"
    )
    assert Message.objects.filter(author=anna).get().body == "Zeile eins\nZeile zwei"

    # a burst of messages is announced once, as a count, not one by one
    for i in range(3):
        anna_page.keyboard.type(f"Kurz {i}")
        anna_page.keyboard.press("Enter")
    expect(messages).to_contain_text("Kurz 2")
    expect(karl_page.locator("[data-board-live]")).to_have_text("3 neue Nachrichten.")
    expect(karl_page.locator("[data-board-live] p")).to_have_count(1)

    # Anna deletes her last message by keyboard: Shift+Tab from the composer to its button
    last = anna_page.locator("[data-board-messages] > li").filter(has_text="Kurz 2")
    deleted = Message.objects.get(body="Kurz 2")
    delete = last.get_by_role("button", name="Löschen")
    tab_to(anna_page, delete, key="Shift+Tab", limit=5)
    anna_page.once("dialog", lambda dialog: dialog.accept())
    anna_page.keyboard.press("Enter")
    expect(messages).not_to_contain_text("Kurz 2")
    expect(karl_page.locator("[data-board-live]")).to_have_text("Eine Nachricht wurde gelöscht.")
    assert has_focus(composer)  # the focus does not vanish with the message
    deleted.refresh_from_db()
    assert deleted.deleted_at is not None and deleted.body == ""  # its text is erased

    # Karl loads the older messages by keyboard and reads on from the oldest
    older = karl_page.get_by_role("button", name="Ältere Nachrichten laden")
    tab_to(karl_page, older)
    karl_page.keyboard.press("Enter")
    expect(messages).to_contain_text("Frühere Nachricht 0")
    expect(older).to_be_hidden()
    expect(karl_page.locator("[data-board-live]")).to_have_text(
        "Es gibt keine älteren Nachrichten."
    )
    oldest = messages.locator("> li").first
    expect(oldest).to_contain_text("Frühere Nachricht 0")
    expect(oldest).to_be_focused()
    expect(messages.locator("> li")).to_have_count(EARLIER + 3)  # 55 + Anna's 3 still there
    assert_no_axe_violations(karl_page)
    assert_no_axe_violations(anna_page)
