"""The learning network's journey: a coordinator writes a practice example, Landesjugendamt staff
publish it, a coordinator of another municipality finds it by filter, opens its discussion and
mentions the author; the author sees the notification and marks the best answer. axe-core checks
every page."""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from playwright.sync_api import expect

from network.models import ExampleStatus, Notification, PracticeExample
from network.services.forums import mention_handle_set
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login
from tests.factories import MunicipalityFactory, StaffFactory, coordinator


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    assert_no_axe_violations(page)


def test_practice_example_from_writing_to_best_answer(page, new_context, base_url):
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    dana = coordinator(dortmund, name="Dana Demir", email="koordination@dortmund.example")
    katrin = coordinator(koeln, name="Katrin Kaya", email="koordination@koeln.example")
    mention_handle_set(user=dana, handle="dana-demir")
    staff = StaffFactory(name="Rita Redaktion", email="redaktion@lvr.example")
    TOTP.activate(staff, generate_totp_secret())

    # 1. Dana writes and submits a practice example.
    login(page, dana)
    page.goto("/netzwerk/praxisbeispiele/neu/")
    assert_no_axe_violations(page)
    page.get_by_label("Titel").fill("Familienbüro im Stadtteilzentrum Nordstadt")
    page.get_by_label("Kurzbeschreibung").fill("Ein Anlaufpunkt für alle Fragen rund um Familie.")
    page.get_by_label("Familienbüro").check()
    page.get_by_label("0–3 Jahre").check()
    page.get_by_label("Zielgruppen").fill("Familien im Stadtteil, Neuzugewanderte")
    page.get_by_label("Was wurde gemacht?").fill("Offene Sprechstunde an vier Tagen.")
    page.get_by_label("Was hat zum Gelingen beigetragen?").fill("Sprachmittlung vor Ort.")
    click_and_wait(page, page.get_by_role("button", name="Speichern und zur Prüfung einreichen"))
    expect(page.locator("main")).to_contain_text("zur Prüfung eingereicht")
    example = PracticeExample.objects.get()
    assert example.status == ExampleStatus.SUBMITTED

    # 2. Staff publish it for the members (a session with the second factor, as the
    # foundation's journey logs staff in).
    client = Client()
    client.force_login(staff)
    staff_context = new_context()
    staff_context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    staff_page = staff_context.new_page()
    staff_page.goto("/netzwerk/praxisbeispiele/pruefung/")
    assert_no_axe_violations(staff_page)
    click_and_wait(staff_page, staff_page.get_by_role("link", name=example.title))
    staff_page.get_by_label("veröffentlichen").check()
    staff_page.get_by_label("Mitglieder des Lernnetzwerks").check()
    click_and_wait(staff_page, staff_page.get_by_role("button", name="Entscheidung speichern"))
    example.refresh_from_db()
    assert example.status == ExampleStatus.PUBLISHED and example.discussion is not None

    # 3. Katrin finds it by filter, opens the discussion and mentions the author.
    katrin_context = new_context()
    katrin_page = katrin_context.new_page()
    login(katrin_page, katrin)
    katrin_page.goto("/netzwerk/praxisbeispiele/")
    assert_no_axe_violations(katrin_page)
    katrin_page.locator("select[name=baustein]").select_option("familienbuero")
    click_and_wait(katrin_page, katrin_page.get_by_role("button", name="Filtern"))
    assert "baustein=familienbuero" in katrin_page.url
    click_and_wait(katrin_page, katrin_page.get_by_role("link", name=example.title))
    click_and_wait(katrin_page, katrin_page.get_by_role("link", name="Dieses Beispiel diskutieren"))
    katrin_page.get_by_label("Ihr Beitrag").fill(
        "Danke, @dana-demir! Wie habt ihr die Sprachmittlung finanziert?"
    )
    click_and_wait(katrin_page, katrin_page.get_by_role("button", name="Antwort veröffentlichen"))
    expect(katrin_page.locator("#beitrag-2")).to_contain_text("Sprachmittlung finanziert")
    expect(katrin_page.locator("#beitrag-2")).to_contain_text("Köln")
    assert Notification.objects.filter(user=dana, kind="mention").count() == 1

    # 4. Dana sees the notification and marks the best answer.
    page.goto("/netzwerk/")
    assert_no_axe_violations(page)
    # Two unread: the publication of her example, and the mention.
    expect(page.locator("[data-notification-count]")).to_have_text("2")
    click_and_wait(page, page.get_by_role("link", name="Benachrichtigungen 2 ungelesen"))
    expect(page.locator("main")).to_contain_text("wurde veröffentlicht")
    expect(page.locator("main")).to_contain_text("Katrin Kaya hat Sie in")
    click_and_wait(page, page.get_by_role("link", name="Katrin Kaya hat Sie in"))
    assert "#beitrag-2" in page.url
    click_and_wait(page, page.get_by_role("button", name="Als beste Antwort markieren #2"))
    expect(page.locator("#beitrag-2")).to_contain_text("beste Antwort")
    example.discussion.refresh_from_db()
    assert example.discussion.best_answer.number == 2
    assert Notification.objects.get(user=dana, kind="mention").read_at is not None
