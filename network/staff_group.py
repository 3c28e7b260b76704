"""The Landesjugendamt staff group (settings.STAFF_GROUP_NAME) and its permissions.

Nobody joins the group by signing up: an administrator adds staff by hand (or load_demo does).
Apps that need more permissions for staff add them with a data migration of their own:

    from network.staff_group import grant_to_staff_group, revoke_from_staff_group

    def forwards(apps, schema_editor):
        grant_to_staff_group(apps, ["training.change_coursedate", "training.view_registration"])

    def backwards(apps, schema_editor):
        revoke_from_staff_group(apps, ["training.change_coursedate", "training.view_registration"])

    class Migration(migrations.Migration):
        dependencies = [("network", "0002_staff_group"), ("training", "0001_initial")]
        operations = [migrations.RunPython(forwards, backwards)]
"""

from collections.abc import Iterable

from django.conf import settings

MODEL_ACTIONS = ("add", "change", "delete", "view")


def _permission(apps, dotted: str):
    """The Permission for "app_label.codename", created if the app's model permissions do not
    exist yet (Django makes them only after all migrations ran, in post_migrate)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found:
        return found
    action, _, model = codename.partition("_")
    if action not in MODEL_ACTIONS or not model:
        raise LookupError(f"No permission {dotted}; create it before granting it.")
    model_class = apps.get_model(app_label, model)
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.create(
        content_type=content_type,
        codename=codename,
        name=f"Can {action} {model_class._meta.verbose_name_raw}",
    )


def grant_to_staff_group(apps, permissions: Iterable[str]) -> None:
    """Give the Landesjugendamt group these permissions ("app_label.codename"); creates the
    group if needed. Safe to run twice."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    group.permissions.add(*[_permission(apps, dotted) for dotted in permissions])


def revoke_from_staff_group(apps, permissions: Iterable[str]) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=settings.STAFF_GROUP_NAME).first()
    if group is None:
        return
    for dotted in permissions:
        app_label, codename = dotted.split(".", 1)
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
