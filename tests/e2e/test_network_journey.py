"""The learning network's journey: a coordinator writes a practice example, Landesjugendamt staff
publish it, a coordinator of another municipality finds it by filter, opens its discussion and
mentions the author; the author's open page counts both notifications live, and she marks the
best answer. axe-core checks every page."""

from django.test import Client
from playwright.sync_api import expect

from network.forums.models import Notification
from network.forums.services.mentions import mention_handle_set
from network.practice.models import ExampleStatus, PracticeExample
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login, session_login
from tests.factories import MunicipalityFactory, StaffFactory, coordinator, forum_topic, member


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
    # Nothing unread yet: the link is just "Benachrichtigungen", without a count.
    notifications = page.get_by_role("link", name="Benachrichtigungen", exact=True)
    expect(notifications).to_be_visible()
    expect(page.locator("[data-notification-count]")).to_be_hidden()

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
    # Dana's open page counts the news at once, without a reload.
    expect(page.locator("[data-notification-count]")).to_have_text("1")
    expect(page.get_by_role("link", name="Benachrichtigungen 1 ungelesen")).to_be_visible()

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
    expect(page.get_by_role("link", name="Benachrichtigungen 2 ungelesen")).to_be_visible()

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


def _open_topic_live(context, user, topic):
    """Open the topic page and wait until its live socket has said hello: from then on the
    server has the page in the topic's group."""
    session_login(context, user)
    page = context.new_page()
    frames = []

    def watch(socket):
        if "/ws/topic/" in socket.url:
            socket.on("framereceived", lambda payload: frames.append(payload))

    page.on("websocket", watch)
    page.goto(f"/netzwerk/thema/{topic.pk}/")
    for _ in range(100):
        if any('"hello"' in str(frame) for frame in frames):
            break
        page.wait_for_timeout(50)
    else:
        raise AssertionError("the topic page's live socket never said hello")
    return page


def test_open_topic_learns_of_a_new_post_without_reload(new_context):
    """Anna has a topic open; Karl replies in it; Anna is told politely, without a reload, and
    reaches the new post by keyboard. axe-core checks the page with and without the notice."""
    anna = member(MunicipalityFactory(name="Dortmund", slug="dortmund"), name="Anna Arndt")
    karl = coordinator(MunicipalityFactory(name="Köln", slug="koeln"), name="Karl Kern")
    topic = forum_topic(author=anna, title="Lotsendienste in Kinderarztpraxen")

    anna_page = _open_topic_live(new_context(), anna, topic)
    notice = anna_page.locator("[data-topic-live]")
    expect(notice).to_be_hidden()
    assert_no_axe_violations(anna_page)
    # The notice sits in a polite live region that is in the page before anything happens.
    region = anna_page.locator(".topic-live")
    expect(region).to_have_attribute("aria-live", "polite")
    anna_page.evaluate("() => { window.notReloaded = true; }")

    karl_page = new_context().new_page()
    session_login(karl_page.context, karl)
    karl_page.goto(f"/netzwerk/thema/{topic.pk}/")
    assert_no_axe_violations(karl_page)
    karl_page.get_by_label("Ihr Beitrag").fill("Bei uns klappt das über die Kinderärzte-Kammer.")
    click_and_wait(karl_page, karl_page.get_by_role("button", name="Antwort veröffentlichen"))
    expect(karl_page.locator("#beitrag-2")).to_contain_text("Kinderärzte-Kammer")

    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Neue Beiträge in diesem Thema: 1")
    assert anna_page.evaluate("() => window.notReloaded") is True
    expect(anna_page.locator("#beitrag-2")).to_have_count(0)
    assert_no_axe_violations(anna_page, label="with the live notice")

    # In the tab order: leaving the button backwards and tabbing forward lands on it again.
    button = notice.get_by_role("button", name="Neue Beiträge anzeigen")
    button.focus()
    expect(button).to_be_focused()
    anna_page.keyboard.press("Shift+Tab")
    anna_page.keyboard.press("Tab")
    expect(button).to_be_focused()
    with anna_page.expect_navigation():
        anna_page.keyboard.press("Enter")
    assert "#beitrag-2" in anna_page.url
    expect(anna_page.locator("#beitrag-2")).to_contain_text("Kinderärzte-Kammer")
    expect(anna_page.locator("#beitrag-2")).to_contain_text("Karl Kern")
    assert_no_axe_violations(anna_page)


def test_mention_suggestions_by_keyboard(new_context):
    """Issue 12: typing @ in the composer offers the members who may read the topic; Down picks
    one, Enter takes it, Escape closes the list; the post links the mention to the person's
    page, and the author line shows the handle."""
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund")
    dana = member(dortmund, name="Dana Demir")
    mention_handle_set(user=dana, handle="dana-demir")
    writer = coordinator(dortmund, name="Karl Kern")
    mention_handle_set(user=writer, handle="karl")
    topic = forum_topic(author=dana, title="Sprachmittlung in den Frühen Hilfen")
    context = new_context()
    session_login(context, writer)
    page = context.new_page()
    page.goto(f"/netzwerk/thema/{topic.pk}/")
    expect(page.locator("#beitrag-1 .post__handle")).to_have_text("@dana-demir")
    field = page.get_by_label("Ihr Beitrag")
    field.click()
    field.press_sequentially("Hallo @Dem", delay=30)
    options = page.get_by_role("listbox", name="Mitglieder zum Erwähnen").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_contain_text("Dana Demir")
    assert_no_axe_violations(page)
    field.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    field.press("Enter")
    expect(field).to_have_value("Hallo @dana-demir ")
    expect(page.get_by_role("listbox", name="Mitglieder zum Erwähnen")).to_be_hidden()
    field.press_sequentially("und @da", delay=30)
    expect(options).to_have_count(1)
    field.press("Escape")
    expect(page.get_by_role("listbox", name="Mitglieder zum Erwähnen")).to_be_hidden()
    field.press_sequentially("na-demir, bitte", delay=10)
    click_and_wait(page, page.get_by_role("button", name="Antwort veröffentlichen"))
    link = page.locator("#beitrag-2 .prose").get_by_role("link", name="@dana-demir").first
    expect(link).to_have_attribute("href", "/netzwerk/mitglieder/dana-demir/")
    click_and_wait(page, link)
    expect(page.locator("h1")).to_have_text("Dana Demir")


def test_a_fachkraft_shares_an_example_the_coordinator_confirms_the_contact_consents(new_context):
    """Issue 12: Fritz (Fachkraft) writes an example naming his colleague Lea as contact; Clara
    (coordination) finds it under "Zu bestätigen" in her area and confirms it; Lea agrees on her
    own page, then withdraws. Clara ends a membership only after a confirmation page. axe-core
    checks every page."""
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund")
    clara = coordinator(dortmund, name="Clara Koordination")
    fritz = member(dortmund, name="Fritz Fachkraft")
    lea = member(dortmund, name="Lea Lotsin", email="lea@dortmund.example")

    fritz_page = new_context().new_page()
    session_login(fritz_page.context, fritz)
    fritz_page.goto("/netzwerk/praxisbeispiele/")
    click_and_wait(fritz_page, fritz_page.get_by_role("link", name="Praxisbeispiel schreiben"))
    fritz_page.get_by_label("Titel").fill("Elterncafé im Familienzentrum")
    fritz_page.get_by_label("Kurzbeschreibung").fill("Ein offenes Café für junge Familien.")
    fritz_page.get_by_label("Frühe Hilfen").check()
    fritz_page.get_by_label("0–3 Jahre").check()
    fritz_page.get_by_label("Zielgruppen").fill("Familien mit Kleinkindern")
    fritz_page.get_by_label("Was wurde gemacht?").fill("Wöchentliches Café mit Hebamme.")
    fritz_page.get_by_label("Was hat zum Gelingen beigetragen?").fill("Feste Ansprechperson.")
    fritz_page.get_by_label("Kontaktperson").select_option(label="Lea Lotsin")
    click_and_wait(
        fritz_page, fritz_page.get_by_role("button", name="Speichern und zur Prüfung einreichen")
    )
    expect(fritz_page.locator("main")).to_contain_text("Ihre Koordination bestätigt es")
    click_and_wait(fritz_page, fritz_page.get_by_role("link", name="Praxisbeispiele").first)
    click_and_wait(fritz_page, fritz_page.get_by_role("link", name="Meine Praxisbeispiele"))
    expect(fritz_page.locator("main")).to_contain_text("wartet auf die Bestätigung")

    clara_page = new_context().new_page()
    session_login(clara_page.context, clara)
    clara_page.goto("/mein-bereich/")
    assert_no_axe_violations(clara_page)
    click_and_wait(clara_page, clara_page.get_by_role("link", name="Zu bestätigen"))
    click_and_wait(clara_page, clara_page.get_by_role("link", name="Elterncafé im Familienzentrum"))
    clara_page.get_by_label("bestätigen und an das Landesjugendamt weitergeben").check()
    click_and_wait(clara_page, clara_page.get_by_role("button", name="Entscheidung speichern"))
    example = PracticeExample.objects.get()
    assert example.status == ExampleStatus.SUBMITTED and example.confirmed_by == clara

    lea_page = new_context().new_page()
    session_login(lea_page.context, lea)
    lea_page.goto("/mein-bereich/")
    assert_no_axe_violations(lea_page)
    click_and_wait(lea_page, lea_page.get_by_role("link", name="Als Kontaktperson genannt"))
    click_and_wait(
        lea_page,
        lea_page.get_by_role("button", name="Ich bin einverstanden, mit meiner E-Mail-Adresse"),
    )
    example.refresh_from_db()
    assert example.contact_consent_at is not None
    click_and_wait(lea_page, lea_page.get_by_role("button", name="Meine Einwilligung widerrufen"))
    example.refresh_from_db()
    assert example.contact_id is None

    clara_page.goto("/netzwerk/kommune/")
    assert_no_axe_violations(clara_page)
    expect(clara_page.get_by_role("link", name="Mitgliedschaft beenden")).to_have_count(2)
    end_links = clara_page.get_by_role("link", name="Mitgliedschaft beenden")
    click_and_wait(clara_page, end_links.filter(has_text="Lea Lotsin"))
    expect(clara_page.locator("main")).to_contain_text("Was folgt")
    click_and_wait(clara_page, clara_page.get_by_role("button", name="Ja, Mitgliedschaft beenden"))
    expect(clara_page.get_by_role("link", name="Mitgliedschaft beenden")).to_have_count(1)
