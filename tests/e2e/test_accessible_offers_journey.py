"""A visitor who reads Leichte Sprache, and one who signs, find their pages from the start page
with the keyboard alone (BITV NRW § 4), in real Chromium on the demo data of `make run`: the pages
in Leichter Sprache through the header's link, the sign-language video through the start page's
link; the video plays with its German captions on. axe-core checks every page."""

from playwright.sync_api import expect

from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import open_start, start_page, tab_to
from tests.e2e.test_foundation_layout import no_horizontal_scrolling

VIDEO_STATE = """video => {
  const track = video.querySelector("track");
  const text = video.textTracks[0];
  return {
    paused: video.paused,
    time: video.currentTime,
    autoplay: video.autoplay,
    trackReadyState: track.readyState,
    mode: text.mode,
    kind: text.kind,
    language: text.language,
    label: text.label,
    cues: text.cues ? text.cues.length : 0,
    active: text.activeCues ? Array.from(text.activeCues).map(cue => cue.text) : [],
  };
}"""


def _enter(page) -> None:
    """Press Enter on the focused link and check the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)


def test_both_offers_are_reached_from_the_start_page_by_keyboard(new_context, demo):
    page = start_page(new_context)

    # 1. The header's „Leichte Sprache“, a few Tabs after the skip link; Enter.
    tab_to(page, page.locator("header").get_by_role("link", name="Leichte Sprache"), limit=6)
    _enter(page)
    assert page.url.endswith("/leichte-sprache/")
    expect(page.locator("h1")).to_have_text("Das ist das Lernnetzwerk kinderstark")
    expect(page.locator(".easy-language")).to_have_attribute("lang", "de")
    expect(page.get_by_text("Das nennt man: Präventions-Kette.")).to_have_count(0)
    expect(page.locator(".hard-word").first).to_contain_text("Präventions-Kette")

    # 2. From there to the other pages in Leichter Sprache, still by keyboard.
    tab_to(page, page.locator("main").get_by_role("link", name="So finden Sie sich zurecht"))
    _enter(page)
    expect(page.locator("h1")).to_have_text("So finden Sie sich zurecht")
    tab_to(page, page.locator("main").get_by_role("link", name="Barrierefreiheit: das Wichtigste"))
    _enter(page)
    expect(page.locator("h1")).to_have_text("Barrierefreiheit: das Wichtigste")
    expect(page.locator("main")).to_contain_text("Ombuds-Stelle")
    expect(page.locator("main")).to_contain_text("barrierefreiheit@kinderstark.example")

    # 3. Back at the start page: its own link to the videos in Gebärdensprache.
    open_start(page)
    offers = page.locator("main section.offer-card")
    expect(offers).to_contain_text("Leichte Sprache und Gebärdensprache")
    tab_to(page, offers.get_by_role("link", name="Gebärdensprache"))
    _enter(page)
    assert page.url.endswith("/gebaerdensprache/")
    expect(page.locator("h1")).to_have_text("Informationen in Deutscher Gebärdensprache")
    expect(page.locator("main")).to_contain_text("Platzhalter")

    # 4. The first video: Tab into the browser's own player, play it with the keyboard.
    video = page.locator("main video").first
    state = video.evaluate(VIDEO_STATE)
    assert state["paused"] and not state["autoplay"], state
    assert (state["kind"], state["language"], state["label"]) == ("captions", "de", "Deutsch")
    tab_to(page, video)
    page.keyboard.press("Space")
    page.wait_for_function("v => !v.paused && v.currentTime > 0", arg=video.element_handle())

    # The caption track loaded (HTMLTrackElement.LOADED == 2) and shows its cues while it plays.
    page.wait_for_function(
        "v => v.querySelector('track').readyState === 2 && v.textTracks[0].cues.length > 0",
        arg=video.element_handle(),
    )
    page.wait_for_function(
        "v => v.textTracks[0].activeCues && v.textTracks[0].activeCues.length > 0",
        arg=video.element_handle(),
    )
    state = video.evaluate(VIDEO_STATE)
    assert state["mode"] == "showing", state
    assert state["trackReadyState"] == 2, state
    assert state["cues"] == 2, state
    assert any("Gebärdensprache" in text or "Betreiber" in text for text in state["active"]), state

    # The text alternative below the video.
    expect(page.get_by_role("heading", name="Das Video als Text").first).to_be_visible()
    expect(page.locator(".sign-video__transcript").first).to_contain_text(
        "Dieses Video ist ein Platzhalter"
    )
    assert_no_axe_violations(page)


def test_english_visitors_learn_that_the_offers_are_german(new_context, demo):
    page = start_page(new_context)
    tab_to(page, page.locator(".language-switch button"), limit=20)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_no_axe_violations(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    header_link = page.locator("header").get_by_role("link", name="Leichte Sprache")
    expect(header_link).to_have_attribute("hreflang", "de")
    expect(header_link).to_contain_text("(in German)")
    expect(page.locator("main section.offer-card")).to_contain_text("These pages are in German.")

    tab_to(page, header_link, key="Shift+Tab")
    _enter(page)
    expect(page.locator("main")).to_contain_text("It is available in German only.")
    expect(page.locator(".easy-language")).to_have_attribute("lang", "de")

    # On a phone-sized screen (WCAG 1.4.10) the header with both offers still fits.
    phone = new_context(viewport={"width": 320, "height": 640}).new_page()
    phone.goto("/gebaerdensprache/")
    assert_no_axe_violations(phone)
    assert no_horizontal_scrolling(phone)
    expect(phone.locator("header").get_by_role("link", name="Leichte Sprache")).to_be_visible()
    expect(phone.locator("header").get_by_role("link", name="Gebärdensprache")).to_be_visible()
