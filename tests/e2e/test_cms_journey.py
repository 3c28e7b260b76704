"""The curriculum journey in Chromium: an editor of the Landesjugendamt logs in with her second
factor, uploads course material and creates a module in the Wagtail admin, and submits it; an
approver publishes it; a visitor finds it through the search and sees its course dates; a
participant of the course downloads the restricted material. axe-core checks every page."""

from django.contrib.auth.models import Group
from playwright.sync_api import expect
from wagtail.models import Collection

from cms.models import ModulePage
from cms.selectors import PROTECTED_COLLECTION_NAME
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import give_totp, login
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    StaffFactory,
    cms_tree,
    member,
)
from training.models import Registration

MATERIAL = b"Folien und Uebungen fuer die Teilnehmenden.\n"


def _staff(email, name, group):
    """Staff of the group with an authenticator app: the login asks for its code."""
    user = StaffFactory(email=email, name=name, second_factor=False)
    user.groups.add(Group.objects.get(name=group))
    give_totp(user)
    return user


def _js_click(page, selector: str) -> None:
    """Click a button that Wagtail keeps in a collapsed menu, and wait for the next page (and for
    the admin's message to finish fading in: axe measures colours mid-animation otherwise)."""
    with page.expect_navigation():
        page.locator(selector).first.evaluate("button => button.click()")
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)


def test_cms_journey(new_context, settings):
    # Wagtail's admin would load avatars from gravatar.com, which the CSP blocks.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    # Asked for in config/settings.py (see the report): the form without the unlabelled tag input.
    settings.WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
    home, curriculum, news = cms_tree()
    home.save_revision().publish()
    course = CourseFactory(title="Frühe Hilfen als erster Baustein")
    date = CourseDateFactory(course=course, capacity=12, venue_name="LWL-Bildungszentrum")
    editor = _staff("redaktion@lvr.example", "Rita Redaktion", "Redaktion")
    approver = _staff("freigabe@lwl.example", "Frank Freigabe", "Freigabe")
    participant = member(email="fachkraft@dortmund.example", name="Felix Fischer")
    Registration.objects.create(course_date=date, participant=participant, status="confirmed")
    outsider = member(email="fachkraft@koeln.example", name="Katrin Kaya")

    # 1. The editor logs in with her second factor and uploads the course material.
    editor_page = new_context().new_page()
    login(editor_page, editor)
    editor_page.goto("/admin/documents/add/")
    assert_no_axe_violations(editor_page)
    editor_page.locator("#id_title").fill("Folien Frühe Hilfen")
    editor_page.locator("#id_file").set_input_files(
        files=[{"name": "folien.txt", "mimeType": "text/plain", "buffer": MATERIAL}]
    )
    protected = Collection.objects.get(name=PROTECTED_COLLECTION_NAME)
    editor_page.locator("#id_collection").select_option(str(protected.pk))
    with editor_page.expect_navigation():
        editor_page.locator("main form button[type=submit]").first.click()
    editor_page.wait_for_timeout(1500)  # the success message fades in
    assert_no_axe_violations(editor_page)

    # 2. She creates the module with that document for participants, and submits it.
    editor_page.goto(f"/admin/pages/add/cms/modulepage/{curriculum.pk}/")
    assert_no_axe_violations(editor_page)
    editor_page.locator("#id_title").fill("Frühe Hilfen als erster Baustein")
    editor_page.locator("#id_number").fill("4")
    editor_page.locator("#id_summary").fill(
        "Wie Familien rund um die Geburt erreicht werden – auch über Lotsendienste."
    )
    editor_page.locator("#id_course").select_option(str(course.pk))
    editor_page.locator("#id_materials-ADD").click()
    editor_page.locator("[id^=id_materials-0] button.chooser__choose-button").first.click()
    editor_page.locator(".modal a", has_text="Folien Frühe Hilfen").first.click()
    expect(editor_page.locator(".modal")).to_be_hidden()
    editor_page.locator("#id_materials-0-access").select_option("participants")
    _js_click(editor_page, "button[name=action-submit]")
    assert_no_axe_violations(editor_page)
    module = ModulePage.objects.get(title="Frühe Hilfen als erster Baustein")
    assert not module.live
    assert module.current_workflow_state is not None

    # 3. The approver publishes it.
    approver_page = new_context().new_page()
    login(approver_page, approver)
    approver_page.goto(f"/admin/pages/{module.pk}/edit/")
    assert_no_axe_violations(approver_page)
    _js_click(
        approver_page,
        "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])",
    )
    assert_no_axe_violations(approver_page)
    module.refresh_from_db()
    assert module.live
    document = module.materials.get().document

    # 4. A visitor finds it through the search and sees its course dates; no material link.
    visitor = new_context().new_page()
    visitor.goto("/")
    assert_no_axe_violations(visitor)
    visitor.goto("/suche/")
    assert_no_axe_violations(visitor)
    visitor.get_by_label("Suchbegriff").fill("Lotsendienste")
    with visitor.expect_navigation():
        visitor.get_by_label("Suchbegriff").press("Enter")
    expect(visitor.locator("[role=status]")).to_contain_text("1 Ergebnis")
    assert_no_axe_violations(visitor)
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Frühe Hilfen als erster Baustein").click()
    assert_no_axe_violations(visitor)
    expect(visitor.locator(".course-dates")).to_contain_text(
        "11 Plätze frei"  # twelve seats, one taken by the participant
    )
    expect(visitor.locator("main")).not_to_contain_text("Folien Frühe Hilfen")
    visitor.goto("/curriculum/")
    assert_no_axe_violations(visitor)
    visitor.goto(news.url)
    assert_no_axe_violations(visitor)
    # The document's address alone leads to the login, not to the file.
    response = visitor.request.get(document.url, max_redirects=0)
    assert response.status == 302 and "/konto/login/" in response.headers["location"]

    # 5. A member who is not a participant sees no link; the participant downloads the file.
    outsider_page = new_context().new_page()
    login(outsider_page, outsider)
    assert_no_axe_violations(outsider_page)
    outsider_page.goto(module.url)
    assert_no_axe_violations(outsider_page)
    expect(outsider_page.locator("main")).not_to_contain_text("Folien Frühe Hilfen")
    assert outsider_page.request.get(document.url).status == 403

    participant_page = new_context().new_page()
    login(participant_page, participant)
    assert_no_axe_violations(participant_page)
    participant_page.goto(module.url)
    assert_no_axe_violations(participant_page)
    with participant_page.expect_download() as download_info:
        participant_page.get_by_role("link", name="Folien Frühe Hilfen").click()
    download = download_info.value
    with open(download.path(), "rb") as handle:
        assert handle.read() == MATERIAL
