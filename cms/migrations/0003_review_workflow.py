"""The review workflow „Redaktion → Freigabe“ and its two groups, and the protected collection.

Redaktion (editors of the Landesjugendamt): may add and edit pages, upload documents and images,
and submit pages for review, but not publish. Freigabe (approvers): may also publish; the
workflow's one task asks them. The workflow covers the whole tree (assigned to the root page).
Both groups reach the admin, so both get Wagtail's notifications (submitted, approved, rejected).
"""

from django.db import migrations

WORKFLOW_NAME = "Redaktion → Freigabe"
TASK_NAME = "Freigabe"
EDITORS = "Redaktion"
APPROVERS = "Freigabe"
PROTECTED_COLLECTION = "Kursmaterial (geschützt)"

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "view_page"]
APPROVER_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def create_workflow(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    root = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    if root is None or root_collection is None:  # pragma: no cover - wagtail creates both
        return

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    groups = {}
    for name, codenames in ((EDITORS, EDITOR_PAGE_PERMISSIONS), (APPROVERS, APPROVER_PAGE_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        for app_label, model, collection_codenames in COLLECTION_PERMISSIONS:
            for codename in collection_codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )
        groups[name] = group

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([groups[APPROVERS]])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # One workflow per page: ours replaces Wagtail's default "Moderators approval" on the root.
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    if not Collection.objects.filter(name=PROTECTED_COLLECTION).exists():
        # treebeard's API is not available on historical models: add the child by hand.
        last = Collection.objects.filter(depth=2).order_by("-path").first()
        step = 4
        if last is None:
            path = root_collection.path + "0001"
        else:
            number = int(last.path[-step:], 36) + 1
            digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            encoded = ""
            while number:
                number, rest = divmod(number, 36)
                encoded = digits[rest] + encoded
            path = root_collection.path + encoded.rjust(step, "0")
        Collection.objects.create(name=PROTECTED_COLLECTION, path=path, depth=2, numchild=0)
        root_collection.numchild += 1
        root_collection.save(update_fields=["numchild"])


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_curriculum_pages"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
