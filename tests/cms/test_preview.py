"""Editors and reviewers see what they are about to publish: the preview of a new or changed module
page (the editor's side panel and the reviewer's workflow preview) shows the draft, and may be
framed by the admin that shows it."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import ModulePage
from tests.core.test_security_headers import csp
from tests.factories import StaffFactory, cms_document, module_page


def _staff_in(group_name):
    user = StaffFactory()  # with a second factor, as staff power needs
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db):
    return _staff_in("Redaktion")


@pytest.fixture
def approver(db):
    return _staff_in("Freigabe")


def _module_form(*, title, summary, related=(), documents=()):
    data = nested_form_data(
        {
            "title": title,
            "slug": "",
            "number": "7",
            "summary": summary,
            "target_group": "Fachkräfte Frühe Hilfen",
            "format": "in_person",
            "duration": "",
            "learning_goals": rich_text("<ul><li>Familien früh erreichen</li></ul>"),
            "body": streamfield([("paragraph", rich_text("<p>Entwurfstext des Moduls.</p>"))]),
            "materials": inline_formset(
                [
                    {"document": str(document.pk), "title": "", "description": "", "access": a}
                    for document, a in documents
                ]
            ),
            "course": "",
            "seo_title": "",
            "search_description": "",
        }
    )
    # nested_form_data would number a list's items like a formset's.
    data["related_modules"] = [str(page.pk) for page in related]
    return data


def _preview(client, url, data):
    response = client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}, response.json()
    return client.get(url, {"in_preview_panel": "true"})


def test_preview_of_a_new_module_page_shows_the_draft(client, tree, editor):
    curriculum = tree[1]
    neighbour = module_page(curriculum, title="Netzwerkmanagement und Koordination")
    document = cms_document("Folien zum Entwurf", filename="entwurf.txt")
    client.force_login(editor)
    url = f"/admin/pages/add/cms/modulepage/{curriculum.pk}/preview/"

    response = _preview(
        client,
        url,
        _module_form(
            title="Aufsuchende Hilfen",
            summary="Familien dort erreichen, wo sie leben.",
            related=[neighbour],
            documents=[(document, "participants")],
        ),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Aufsuchende Hilfen</h1>" in html
    assert "Familien dort erreichen, wo sie leben." in html
    assert "Entwurfstext des Moduls." in html
    assert "Netzwerkmanagement und Koordination" in html
    assert "Folien zum Entwurf" in html
    assert not ModulePage.objects.filter(title="Aufsuchende Hilfen").exists()

    # A second new page's preview shows its own text, not the first one's.
    response = _preview(client, url, _module_form(title="Lotsendienste", summary="Lotsen."))
    html = response.content.decode()
    assert "<h1>Lotsendienste</h1>" in html
    assert "Lotsen." in html
    assert "Familien dort erreichen" not in html


def test_preview_of_a_changed_module_page_shows_the_draft_not_the_published_text(
    client, tree, editor
):
    curriculum = tree[1]
    page = module_page(curriculum, title="Frühe Hilfen", summary="Veröffentlichter Text.")
    # A visitor's view fills the fragment caches of the published page.
    assert "Veröffentlichter Text." in client.get(page.url).content.decode()
    client.force_login(editor)

    response = _preview(
        client,
        f"/admin/pages/{page.pk}/edit/preview/",
        _module_form(title="Frühe Hilfen", summary="Geänderter Entwurf."),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Geänderter Entwurf." in html
    assert "Veröffentlichter Text." not in html
    # The published page keeps its text.
    client.logout()
    assert "Veröffentlichter Text." in client.get(page.url).content.decode()


def test_the_reviewer_sees_the_submitted_module_page(client, tree, editor, approver):
    curriculum = tree[1]
    neighbour = module_page(curriculum, title="Netzwerkmanagement und Koordination")
    draft = ModulePage(
        title="Übergang Schule–Beruf",
        slug="uebergang",
        number=9,
        summary="Zur Prüfung.",
        live=False,
    )
    curriculum.add_child(instance=draft)
    draft.related_modules = [neighbour]
    draft.save_revision(user=editor)
    state = Workflow.objects.get(name="Redaktion → Freigabe").start(draft, editor)
    client.force_login(approver)

    response = client.get(
        f"/admin/pages/workflow/preview/{draft.pk}/{state.current_task_state.task_id}/"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Übergang Schule–Beruf</h1>" in html
    assert "Zur Prüfung." in html
    assert "Netzwerkmanagement und Koordination" in html


def test_the_admin_may_frame_its_preview_and_nobody_frames_the_site(client, tree, editor):
    page = module_page(tree[1])
    client.force_login(editor)

    response = _preview(
        client,
        f"/admin/pages/{page.pk}/edit/preview/",
        _module_form(title="Im Rahmen", summary="Vorschau im Seitenbereich."),
    )

    assert response.status_code == 200
    assert csp(response)["frame-ancestors"] == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The preview keeps the public site's strict scripts; only framing by the admin is allowed.
    assert csp(response)["script-src"] == "'self'"
    # The live page itself may be framed by nobody.
    live = client.get(page.url)
    assert csp(live)["frame-ancestors"] == "'none'"
    assert live["X-Frame-Options"] == "DENY"
