"""The review workflow „Redaktion → Freigabe“: editors submit, approvers publish."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Workflow, WorkflowPage

from cms.models import StandardPage
from tests.factories import StaffFactory


def _staff_in(group_name):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=group_name))
    # Staff reach the admin only with a second factor (core.middleware): StaffFactory's.
    return user


@pytest.fixture
def editor(db):
    return _staff_in("Redaktion")


@pytest.fixture
def approver(db):
    return _staff_in("Freigabe")


@pytest.fixture
def draft(tree):
    home = tree[0]
    page = home.add_child(instance=StandardPage(title="Neue Seite", slug="neu", live=False))
    page.save_revision()
    return page


def test_the_migration_assigns_the_workflow_to_the_root_page(db):
    root = Page.get_first_root_node()
    workflow = WorkflowPage.objects.get(page=root).workflow
    assert workflow.name == "Redaktion → Freigabe"
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks]
    assert [task.name for task in tasks] == ["Freigabe"]
    assert [group.name for group in tasks[0].groups.all()] == ["Freigabe"]


def test_every_page_of_the_site_falls_under_the_workflow(draft):
    assert draft.get_workflow() == Workflow.objects.get(name="Redaktion → Freigabe")


def test_editor_may_edit_and_submit_but_not_publish(editor, approver, draft):
    editor_perms = draft.permissions_for_user(editor)
    assert editor_perms.can_edit()
    assert editor_perms.can_add_subpage()
    assert not editor_perms.can_publish()
    assert not editor_perms.can_unpublish()
    assert draft.permissions_for_user(approver).can_publish()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert approver.has_perm("wagtailadmin.access_admin")


def test_editor_cannot_approve_and_approver_publishes(editor, approver, draft):
    workflow = draft.get_workflow()
    state = workflow.start(draft, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(draft, editor) == []
    assert "approve" in [action for action, *_ in task.get_actions(draft, approver)]
    draft.refresh_from_db()
    assert not draft.live

    task.on_action(task_state, approver, "approve")
    draft.refresh_from_db()
    state.refresh_from_db()
    assert draft.live
    assert state.status == state.STATUS_APPROVED


def test_editor_publish_button_in_the_admin_does_not_publish(client, editor, draft):
    client.force_login(editor)
    response = client.get(f"/admin/pages/{draft.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html
    # Even a crafted request to publish only saves a draft.
    response = client.post(
        f"/admin/pages/{draft.pk}/edit/",
        {
            "title": "Neue Seite",
            "slug": "neu",
            "intro": "",
            "body-count": "0",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code in (200, 302)
    draft.refresh_from_db()
    assert not draft.live


def test_both_groups_are_notified_by_wagtail(editor, approver, draft, mailoutbox, settings):
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = False
    workflow = draft.get_workflow()
    state = workflow.start(draft, editor)
    # Submitted: the approvers hear of it.
    assert any(approver.email in message.to for message in mailoutbox)
    mailoutbox.clear()
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, approver, "approve")
    # Approved: the editor who submitted hears of it.
    assert any(editor.email in message.to for message in mailoutbox)
