"""The forum admin in Chromium: Landesjugendamt staff log in with their second factor, find the
forums in the Wagtail admin's menu, create a category for coordinators only, appoint a moderator
for it (the form sent with the Enter key), and the moderator sees the moderation queue.
axe-core checks every page."""

import re

from playwright.sync_api import expect

from network.forums.models import CategoryVisibility, ForumCategory, ForumModerator
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import give_totp, login
from tests.factories import ForumCategoryFactory, StaffFactory, coordinator


def _settled(page) -> None:
    """Wagtail's admin message fades in; axe would measure its colours half-way."""
    page.wait_for_load_state("load")
    page.wait_for_timeout(800)


def test_staff_set_up_a_category_and_its_moderator(new_context, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None  # the CSP blocks gravatar.com
    ForumCategoryFactory(name="Frühe Hilfen", slug="fruehe-hilfen", position=1)
    staff = StaffFactory(email="foren@lwl.example", name="Frieda Foren")
    give_totp(staff)
    moderator = coordinator(email="koordination@hamm.example", name="Mona Moderato")

    page = new_context().new_page()
    login(page, staff)

    # 1. The menu leads to the categories.
    page.goto("/admin/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Foren", exact=True).click()
    page.get_by_role("link", name="Forenkategorien").click()
    expect(page.get_by_role("heading", name="Forenkategorien")).to_be_visible()
    expect(page.get_by_role("link", name="Frühe Hilfen")).to_be_visible()
    assert_no_axe_violations(page)

    # 2. A new category, visible to coordinators and staff only; an empty name is refused first.
    page.goto("/admin/forum_categories/new/")
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name=re.compile("^Name")).fill("")
    page.get_by_role("button", name="Erstellen").click()
    _settled(page)
    expect(page.locator(".error-message, .w-field__errors").first).to_be_visible()
    assert not ForumCategory.objects.filter(slug="koordination-intern").exists()
    assert_no_axe_violations(page)
    page.get_by_role("textbox", name=re.compile("^Name")).fill("Koordination intern")
    page.get_by_role("textbox", name=re.compile("^Kurzname")).fill("koordination-intern")
    page.get_by_role("combobox", name=re.compile("^Sichtbar für")).select_option(
        CategoryVisibility.COORDINATORS
    )
    page.get_by_role("spinbutton", name=re.compile("^Position")).fill("2")
    page.get_by_role("button", name="Erstellen").click()
    _settled(page)
    category = ForumCategory.objects.get(slug="koordination-intern")
    assert category.visibility == CategoryVisibility.COORDINATORS
    expect(page.get_by_role("link", name="Koordination intern")).to_be_visible()
    assert_no_axe_violations(page)

    # 3. A moderator for it; the form is sent from the keyboard.
    page.goto("/admin/forum_moderators/new/")
    assert_no_axe_violations(page)
    person = page.get_by_role("combobox", name=re.compile("^Person"))
    person.focus()
    person.select_option(label=str(moderator))
    page.get_by_role("combobox", name=re.compile("^Kategorie")).select_option(
        label="Koordination intern"
    )
    page.get_by_role("button", name="Erstellen").focus()
    page.keyboard.press("Enter")
    _settled(page)
    assert ForumModerator.objects.filter(user=moderator, category=category).exists()
    assert_no_axe_violations(page)

    # 4. The moderator finds the moderation queue in the forums.
    moderator_page = new_context().new_page()
    login(moderator_page, moderator)
    moderator_page.goto("/netzwerk/foren/")
    expect(moderator_page.get_by_role("link", name="Koordination intern")).to_be_visible()
    assert_no_axe_violations(moderator_page)
    moderator_page.get_by_role("link", name="Moderationswarteschlange").click()
    expect(moderator_page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(moderator_page)
