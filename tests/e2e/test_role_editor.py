"""The Landesjugendamt editor's journeys (issue 12), in Chromium on the demo data of `load_demo`.

The editor is the demo's redaktion@lvr.example (group Redaktion, moderator, reviewer of practice
examples), who has no second factor in the demo; the reviewer of the page workflow
„Redaktion → Freigabe“ is the demo's fortbildung@lwl.example (group Freigabe). Every journey
starts at "/" and goes on through links, buttons and fields a person sees; axe-core checks every
page, Wagtail's admin pages included (test_cms_journey.py holds them to the same rules). One test
per job:

- set up the second factor right after the first login;
- create a module page in the admin, preview it (side panel and new tab), submit it;
- the reviewer previews and publishes it; it is on the site;
- moderate a post a member reported;
- review a submitted practice example and publish it for everyone.
"""

import re

from playwright.sync_api import expect

from cms.models import CurriculumIndexPage, ModulePage
from network.forums.models import Post, PostReport, Topic
from network.practice.models import ExampleStatus, PracticeExample
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import (
    DEMO_PASSWORD,
    give_totp,
    login_from_start,
    start_page,
    totp_code,
)

# The preview renders the page in a frame after a round trip with the form's data.
PREVIEW_TIMEOUT_MS = 20_000
NEW_MODULE = "Kinderschutz und Präventionskette"
NEW_MODULE_SUMMARY = (
    "Wie Kinderschutz und präventive Angebote in der Präventionskette zusammenwirken, ohne dass "
    "Familien das eine als Kontrolle und das andere als Hilfe erleben."
)


def follow(page, link) -> None:
    """Click a link or button that loads the next page, then check that page."""
    with page.expect_navigation():
        link.click()
    settle(page)
    assert_no_axe_violations(page)


def settle(page) -> None:
    """Wagtail's admin fades its messages in; axe would measure their colours half-way."""
    page.wait_for_load_state("load")
    if "/admin/" in page.url:
        page.wait_for_timeout(800)


def header_link(page, name: str):
    return page.locator("header").get_by_role("link", name=name, exact=True)


def log_in(new_context, user, password: str = DEMO_PASSWORD):
    """From "/" through the header's „Anmelden“: password, then the authenticator's code for
    those who have one. The page is left where the login leads."""
    page = new_context().new_page()
    login_from_start(page, user, password)
    assert "/konto/" not in page.url, page.url
    return page


def to_admin(page) -> None:
    follow(page, header_link(page, "Verwaltung"))
    assert page.url.rstrip("/").endswith("/admin"), page.url


def more_actions(page, action: str) -> None:
    """The edit form's footer: open „Mehr Aktionen“ and choose `action` from its menu."""
    page.locator("footer").get_by_role("button", name="Mehr Aktionen").click()
    follow(page, page.get_by_role("button", name=action, exact=True))


def test_editor_sets_up_the_second_factor_after_the_first_login(new_context, demo):
    editor = demo.editor
    assert not editor.authenticator_set.exists()

    page = start_page(new_context)
    follow(page, header_link(page, "Anmelden"))
    page.get_by_label(re.compile(r"^E-Mail")).fill(editor.email)
    page.get_by_label(re.compile(r"^Passwort")).fill(demo.password)
    follow(page, page.locator("main").get_by_role("button", name="Anmelden"))

    # Staff functions need the second factor: the first staff page leads to its set-up.
    if "/konto/2fa/totp/activate/" not in page.url:
        follow(page, header_link(page, "Verwaltung"))
    assert "/konto/2fa/totp/activate/" in page.url, page.url
    expect(page.locator("main")).to_contain_text("Authenticator-App")
    secret = page.get_by_label("Authenticator-Schlüssel").input_value()
    assert re.fullmatch(r"[A-Z2-7]+=*", secret), secret
    page.get_by_label(re.compile(r"^Authentifizierungscode")).fill(totp_code(secret))
    follow(page, page.locator("main").get_by_role("button", name="Aktivieren"))

    # The recovery codes, then on to where she wanted to go: the admin.
    expect(page.locator("main")).to_contain_text("Wiederherstellungscodes")
    follow(page, page.get_by_role("link", name=re.compile("Ich habe die Codes gespeichert")))
    assert page.url.rstrip("/").endswith("/admin"), page.url
    assert editor.authenticator_set.filter(type="totp").exists()


def test_editor_creates_previews_and_submits_a_module(new_context, demo):
    editor = demo.editor
    give_totp(editor)
    curriculum = CurriculumIndexPage.objects.get()

    page = log_in(new_context, editor)
    to_admin(page)

    # Through the admin: the site's pages, the curriculum, a new page below it.
    follow(page, page.locator("main").get_by_role("link", name=re.compile(r"\d+ Seiten")))
    follow(page, page.locator(f"main a[href$='/admin/pages/{curriculum.pk}/']").first)
    follow(page, page.get_by_role("link", name=re.compile("Unterseite.*hinzufügen")).first)
    assert "/admin/pages/add/cms/modulepage/" in page.url, page.url
    page.get_by_label(re.compile(r"^Titel\*?$")).fill(NEW_MODULE)
    page.get_by_role("spinbutton", name=re.compile(r"^Modulnummer")).fill("7")
    page.get_by_role("textbox", name=re.compile(r"^Kurzbeschreibung")).fill(NEW_MODULE_SUMMARY)

    # The side panel's preview shows the page as it will look.
    page.get_by_role("button", name="Vorschau umschalten").click()
    frame = page.frame_locator("iframe[title]").first
    expect(frame.locator("h1")).to_have_text(NEW_MODULE, timeout=PREVIEW_TIMEOUT_MS)
    assert_no_axe_violations(page)
    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Vorschau in neuem Tab").click()
    preview = new_tab.value
    preview.wait_for_load_state("load")
    expect(preview.locator("h1")).to_have_text(NEW_MODULE)
    expect(preview.locator("main")).to_contain_text(NEW_MODULE_SUMMARY)
    assert_no_axe_violations(preview)
    preview.close()

    # Submitted to „Redaktion → Freigabe“: not live, waiting for the approvers.
    more_actions(page, "In Redaktion → Freigabe einreichen")
    module = ModulePage.objects.get(title=NEW_MODULE)
    assert not module.live
    assert module.get_parent().pk == curriculum.pk
    state = module.current_workflow_state
    assert state is not None and state.status == "in_progress"
    assert state.workflow.name == "Redaktion → Freigabe"


def submitted_module(editor) -> ModulePage:
    """A module the editor created and submitted (her journey above): made here directly."""
    curriculum = CurriculumIndexPage.objects.get()
    module = ModulePage(
        title=NEW_MODULE, slug="kinderschutz", number=7, summary=NEW_MODULE_SUMMARY, live=False
    )
    curriculum.add_child(instance=module)
    module.save_revision(user=editor)
    module.get_workflow().start(module, editor)
    return module


def test_reviewer_previews_and_publishes_the_module(new_context, demo):
    module = submitted_module(demo.editor)
    reviewer = demo.course_manager
    give_totp(reviewer)

    page = log_in(new_context, reviewer)
    to_admin(page)
    # The dashboard lists what waits for her review.
    follow(page, page.locator("main").get_by_role("link", name=NEW_MODULE).first)
    assert f"/admin/pages/{module.pk}/edit/" in page.url, page.url

    page.get_by_role("button", name="Vorschau umschalten").click()
    frame = page.frame_locator("iframe[title]").first
    expect(frame.locator("h1")).to_have_text(NEW_MODULE, timeout=PREVIEW_TIMEOUT_MS)
    assert_no_axe_violations(page)

    more_actions(page, "Annehmen und Veröffentlichen")
    module.refresh_from_db()
    assert module.live

    # On the site: the curriculum lists it, its page shows it.
    visitor = start_page(new_context)
    follow(visitor, header_link(visitor, "Curriculum"))
    follow(visitor, visitor.get_by_role("link", name=f"Modul 7: {NEW_MODULE}"))
    expect(visitor.locator("h1")).to_have_text(NEW_MODULE)
    expect(visitor.locator("main")).to_contain_text(NEW_MODULE_SUMMARY)


REPORT_REASON = "Hier wird eine Familie mit Namen genannt."


def test_editor_moderates_a_post_a_member_reported(new_context, demo):
    topic = Topic.objects.get(category__slug="fruehe-hilfen", title__startswith="Babylotsen")
    post = topic.posts.exclude(author=demo.member).order_by("-number").first()
    editor = demo.editor
    give_totp(editor)

    # A member reports the post.
    member = log_in(new_context, demo.member)
    follow(member, header_link(member, "Netzwerk"))
    follow(member, member.locator("main").get_by_role("link", name="Foren"))
    follow(member, member.locator("main").get_by_role("link", name="Frühe Hilfen").first)
    follow(member, member.locator("main").get_by_role("link", name=topic.title, exact=True))
    follow(
        member,
        member.locator(f"#beitrag-{post.number}").get_by_role("link", name=re.compile("^Melden")),
    )
    member.get_by_role("textbox", name=re.compile(r"^Begründung")).fill(REPORT_REASON)
    follow(member, member.get_by_role("button", name="Meldung senden"))
    expect(member.locator("main .messages")).to_contain_text("Die Moderation sieht sich")
    report = PostReport.objects.get(post=post, reason=REPORT_REASON)

    # The editor finds it in the moderation queue, hides the post and closes the report.
    page = log_in(new_context, editor)
    follow(page, header_link(page, "Mein Bereich"))
    follow(page, page.get_by_role("link", name="Moderationswarteschlange"))
    card = page.locator(f"section[aria-labelledby='report-{report.pk}']")
    expect(card).to_contain_text(REPORT_REASON)
    follow(page, card.get_by_role("link", name="Beitrag ausblenden"))
    page.get_by_role("textbox", name=re.compile(r"^Begründung")).fill(
        "Name einer Familie entfernt."
    )
    follow(page, page.locator("main").get_by_role("button").last)
    expect(page.locator("main .messages")).to_contain_text("Erledigt")
    post.refresh_from_db()
    assert post.is_hidden

    follow(page, header_link(page, "Mein Bereich"))
    follow(page, page.get_by_role("link", name="Moderationswarteschlange"))
    card = page.locator(f"section[aria-labelledby='report-{report.pk}']")
    card.get_by_role("textbox").fill("Beitrag ausgeblendet, die Familie ist nicht mehr genannt.")
    follow(page, card.get_by_role("button", name="Maßnahme ergriffen"))
    expect(page.locator(f"section[aria-labelledby='report-{report.pk}']")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == "resolved" and report.decided_by == editor

    # The member no longer sees the post's text.
    follow(member, header_link(member, "Netzwerk"))
    follow(member, member.locator("main").get_by_role("link", name="Foren"))
    follow(member, member.locator("main").get_by_role("link", name="Frühe Hilfen").first)
    follow(member, member.locator("main").get_by_role("link", name=topic.title, exact=True))
    assert Post.objects.get(pk=post.pk).body_html not in member.locator("main").inner_html()


def test_editor_reviews_a_practice_example_and_it_becomes_public(new_context, demo):
    example = PracticeExample.objects.get(status=ExampleStatus.SUBMITTED)
    editor = demo.editor
    give_totp(editor)

    page = log_in(new_context, editor)
    follow(page, header_link(page, "Mein Bereich"))
    follow(page, page.get_by_role("link", name="Zu prüfende Praxisbeispiele"))
    follow(page, page.get_by_role("link", name=example.title))
    page.get_by_role("radio", name="veröffentlichen").check()
    page.get_by_role("radio", name="alle (öffentlich)").check()
    follow(page, page.get_by_role("button", name="Entscheidung speichern"))
    expect(page.locator("h1")).to_have_text(example.title)
    example.refresh_from_db()
    assert example.status == ExampleStatus.PUBLISHED

    # Anyone reads it now, from the network's list of practice examples.
    visitor = start_page(new_context)
    follow(visitor, header_link(visitor, "Netzwerk"))
    follow(visitor, visitor.locator("main").get_by_role("link", name="Praxisbeispiele"))
    follow(visitor, visitor.get_by_role("link", name=example.title))
    expect(visitor.locator("h1")).to_have_text(example.title)
    expect(visitor.locator("main")).to_contain_text(example.summary)
