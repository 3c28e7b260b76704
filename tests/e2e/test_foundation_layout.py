"""The base layout in real Chromium: language switch, keyboard-only use, the narrow navigation."""

from playwright.sync_api import expect

from network.models import MembershipStatus
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import focused, login, tab_to
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
    coordinator,
    member,
)


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_language_switch_german_to_english_and_back(page):
    page.goto("/datenschutz/")
    assert html_lang(page) == "de"
    assert_no_axe_violations(page)
    german_title = page.title()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/datenschutz/")
    assert page.title() != german_title
    assert page.get_by_role("link", name="Privacy notice").is_visible()
    assert_no_axe_violations(page)

    # The choice holds on the next page.
    page.goto("/barrierefreiheit/")
    assert html_lang(page) == "en"
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.endswith("/barrierefreiheit/")
    assert page.get_by_role("link", name="Datenschutzerklärung").is_visible()
    assert_no_axe_violations(page)


def test_keyboard_only_login_with_skip_link_and_visible_focus(page):
    user = UserFactory()
    page.goto("/konto/login/")
    assert_no_axe_violations(page)

    # The first Tab reaches the skip link, which then shows on screen; Enter moves to the content.
    page.keyboard.press("Tab")
    state = focused(page)
    assert "skip-link" in state["className"], state
    assert state["inViewport"] and (state["outline"] or state["shadow"]), state
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.url.endswith("#main")

    # From the content, Tab to the fields, type, Enter.
    tab_to(page, "input[name=login]")
    page.keyboard.type(user.email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/konto/login/" not in page.url
    assert page.get_by_role("button", name="Abmelden").is_visible()
    assert_no_axe_violations(page)


def no_horizontal_scrolling(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_menu_button_works_with_the_keyboard_on_a_narrow_viewport(new_context):
    # 320 CSS pixels: what WCAG 1.4.10 (reflow) asks to work without scrolling sideways.
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto("/impressum/")
    assert_no_axe_violations(page)
    assert no_horizontal_scrolling(page)

    nav = page.locator("#site-nav")
    toggle = page.locator("[data-nav-toggle]")
    assert toggle.is_visible()
    assert not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == "site-nav"

    tab_to(page, "[data-nav-toggle]")
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    assert_no_axe_violations(page, label="(menu open)")
    assert no_horizontal_scrolling(page)

    # The open menu's links are next in the tab order.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "() => document.querySelector('#site-nav').contains(document.activeElement)"
    )

    # Escape closes it and gives the focus back to the button; Space opens it again.
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert page.evaluate("() => document.activeElement.hasAttribute('data-nav-toggle')")
    page.keyboard.press("Space")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()


def test_pages_reflow_at_320_pixels(new_context):
    """Nothing scrolls sideways at 320 CSS pixels but a wide table, inside its own box."""
    town = MunicipalityFactory(name="Dortmund", slug="dortmund")
    coordination = coordinator(town)
    member(town)
    MembershipFactory(municipality=town, status=MembershipStatus.PENDING)
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    for path in ("/konto/signup/", "/datenschutz/"):
        page.goto(path)
        assert_no_axe_violations(page)
        assert no_horizontal_scrolling(page), f"{path} scrolls sideways at 320 px"
    login(page, coordination)
    assert no_horizontal_scrolling(page), f"{page.url} scrolls sideways at 320 px"
    page.goto("/netzwerk/kommune/")
    assert_no_axe_violations(page)
    assert no_horizontal_scrolling(page), "the municipality page scrolls sideways at 320 px"


def test_error_page_in_the_layout(page):
    response = page.goto("/gibt-es-nicht/")
    assert response.status == 404
    assert html_lang(page) == "de"
    assert page.locator("h1").count() == 1
    assert page.locator("a.skip-link").count() == 1
    assert page.locator("footer a[href='/barrierefreiheit/']").count() == 1
    assert_no_axe_violations(page)


PUBLIC_PAGES = [
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
    "/datenschutz/",
    "/impressum/",
    "/barrierefreiheit/",
]
MEMBER_PAGES = [
    "/mein-bereich/",
    "/netzwerk/",
    "/netzwerk/kommune/",
    "/netzwerk/kommune/einladen/",
    "/profil/",
    "/konto/email/",
    "/konto/password/change/",
    "/konto/2fa/",
    "/profil/konto-loeschen/",
]


def test_every_foundation_page_has_a_title_an_h1_and_no_axe_violations(page):
    """The pages of accounts, profile and membership beyond the journeys' path."""
    coordination = coordinator(MunicipalityFactory(name="Dortmund", slug="dortmund"))
    titles = set()

    def check(path: str) -> None:
        page.goto(path)
        assert page.url.endswith(path), f"{path} led to {page.url}"
        assert page.locator("h1").count() == 1, path
        title = page.title()
        assert title.startswith(page.locator("h1").inner_text().strip()[:20]), (path, title)
        titles.add(title)
        assert_no_axe_violations(page)

    for path in PUBLIC_PAGES:
        check(path)
    login(page, coordination)
    for path in MEMBER_PAGES:
        check(path)
    assert len(titles) == len(PUBLIC_PAGES) + len(MEMBER_PAGES), "page titles repeat"
