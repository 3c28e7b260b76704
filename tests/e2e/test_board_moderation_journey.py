"""The live board's staff pages in Chromium: creating a meeting room (bad input first), deleting a
member's message as moderator (gone live on the member's page, logged), muting and lifting the
mute, archiving. axe-core checks the room form, the moderation page with and without errors, and
the rooms on the way; the forms are sent from the keyboard."""

import re

from playwright.sync_api import expect

from events.models import Message, ModerationAction, ModerationLogEntry, Mute, Room
from events.services import room_ensure_defaults
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import give_totp, session_login
from tests.factories import MunicipalityFactory, StaffFactory, member


def _state_open(page) -> None:
    expect(page.locator("[data-board-state]")).to_have_attribute("data-state", "open")


def test_staff_create_a_room_moderate_it_mute_and_archive(new_context):
    room_ensure_defaults()
    staff = StaffFactory(name="Sabine Landesjugendamt")
    give_totp(staff)
    anna = member(MunicipalityFactory(name="Dortmund", region="LWL"), name="Anna Dortmund")

    staff_context = new_context()
    session_login(staff_context, staff)
    staff_page = staff_context.new_page()
    staff_page.goto("/board/")
    assert_no_axe_violations(staff_page)
    staff_page.get_by_role("link", name="Besprechungsraum anlegen").click()
    assert_no_axe_violations(staff_page)

    # bad input first: no title, an address without an account
    staff_page.get_by_label("Eingeladene Personen").fill("niemand@nirgends.example")
    staff_page.get_by_role("button", name="Raum anlegen").press("Enter")
    # the summary links to each field with its error; the field says it too
    expect(staff_page.get_by_role("link", name=re.compile("^Titel: "))).to_be_visible()
    expect(
        staff_page.get_by_text(
            "Kein Konto mit diesen Adressen: niemand@nirgends.example", exact=True
        )
    ).to_be_visible()
    assert_no_axe_violations(staff_page)
    assert not Room.objects.filter(kind="meeting").exists()

    staff_page.get_by_label("Titel").fill("Netzwerktreffen Juni")
    staff_page.get_by_label("Eingeladene Personen").fill(anna.email)
    staff_page.get_by_role("button", name="Raum anlegen").press("Enter")
    expect(staff_page.get_by_role("heading", level=1)).to_have_text("Netzwerktreffen Juni")
    _state_open(staff_page)
    assert_no_axe_violations(staff_page)
    room_url = staff_page.url

    # Anna, invited, writes; the moderator deletes it and it goes from her page at once
    anna_context = new_context()
    session_login(anna_context, anna)
    anna_page = anna_context.new_page()
    anna_page.goto(room_url)
    _state_open(anna_page)
    assert_no_axe_violations(anna_page)
    anna_page.get_by_label("Ihre Nachricht").fill("Etwas, das hier nicht hingehört")
    anna_page.get_by_label("Ihre Nachricht").press("Enter")
    posted = staff_page.locator("[data-board-messages] > li").filter(has_text="nicht hingehört")
    expect(posted).to_be_visible()
    staff_page.once("dialog", lambda dialog: dialog.accept())
    posted.get_by_role("button", name="Löschen").press("Enter")
    expect(anna_page.locator("[data-board-messages]")).not_to_contain_text("nicht hingehört")
    assert Message.objects.get(author=anna).deleted_by == staff

    # the moderation page: the deletion is logged; muting an unknown address is refused
    staff_page.get_by_role("link", name="Moderation dieses Raums").click()
    log = staff_page.get_by_role("table", name="Moderationsprotokoll")
    expect(log).to_contain_text("Nachricht gelöscht")
    expect(log).to_contain_text("Anna Dortmund")
    assert_no_axe_violations(staff_page)
    staff_page.get_by_label("E-Mail-Adresse der Person").fill("niemand@nirgends.example")
    staff_page.get_by_role("button", name="Stummschalten", exact=True).press("Enter")
    expect(staff_page.get_by_text("Es gibt kein Konto mit dieser Adresse.").first).to_be_visible()
    assert_no_axe_violations(staff_page)
    assert not Mute.objects.exists()

    # mute Anna for 15 minutes: her next post is refused with the reason shown, nothing stored
    staff_page.get_by_label("E-Mail-Adresse der Person").fill(anna.email)
    staff_page.get_by_label("Dauer").select_option(label="15 Minuten")
    staff_page.get_by_label("Begründung").fill("Bitte beim Thema bleiben")
    staff_page.get_by_role("button", name="Stummschalten", exact=True).press("Enter")
    muted = staff_page.get_by_role("table", name="Derzeit stummgeschaltet")
    expect(muted).to_contain_text("Anna Dortmund")
    expect(muted).to_contain_text("Bitte beim Thema bleiben")
    assert_no_axe_violations(staff_page)
    anna_page.get_by_label("Ihre Nachricht").fill("Darf ich noch?")
    anna_page.get_by_label("Ihre Nachricht").press("Enter")
    expect(anna_page.locator("[data-board-error]")).to_have_text(
        "Eine Moderatorin oder ein Moderator hat Sie in diesem Raum vorübergehend stummgeschaltet."
    )
    assert Message.objects.filter(author=anna).count() == 1

    # lift the mute: Anna writes again
    muted.get_by_role("button", name="Aufheben").press("Enter")
    expect(staff_page.get_by_role("table", name="Derzeit stummgeschaltet")).to_contain_text(
        "Niemand ist stummgeschaltet."
    )
    assert_no_axe_violations(staff_page)
    anna_page.reload()
    _state_open(anna_page)
    anna_page.get_by_label("Ihre Nachricht").fill("Danke, ich bleibe beim Thema.")
    anna_page.get_by_label("Ihre Nachricht").press("Enter")
    expect(anna_page.locator("[data-board-messages]")).to_contain_text("bleibe beim Thema")

    # archive: the room stays readable, without a composer
    staff_page.get_by_role("button", name="Raum archivieren (nur lesen)").press("Enter")
    expect(staff_page.get_by_role("button", name="Raum wieder öffnen")).to_be_visible()
    assert_no_axe_violations(staff_page)
    anna_page.reload()
    expect(
        anna_page.get_by_text("Dieser Raum ist archiviert und kann nur gelesen werden.")
    ).to_be_visible()
    expect(anna_page.get_by_label("Ihre Nachricht")).to_have_count(0)
    expect(anna_page.locator("[data-board-messages]")).to_contain_text("bleibe beim Thema")
    assert_no_axe_violations(anna_page)
    assert list(ModerationLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        ModerationAction.CREATE_ROOM,
        ModerationAction.DELETE_MESSAGE,
        ModerationAction.MUTE,
        ModerationAction.UNMUTE,
        ModerationAction.ARCHIVE,
    ]
