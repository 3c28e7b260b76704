"""The editor groups (Redaktion, Freigabe) may upload and change sign-language videos in the
media library and choose them on a page, as they may documents and images (0003).

wagtailmedia checks its permissions on its own model (wagtailmedia.Media) whatever the media model
is, so the codenames are those of that model."""

from django.db import migrations

GROUPS = ["Redaktion", "Freigabe"]
CODENAMES = ["add_media", "change_media"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is None:  # pragma: no cover - wagtail creates it
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailmedia", model="media")
    for name in GROUPS:
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for codename in CODENAMES:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": codename}
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_leichte_sprache_gebaerdensprache"),
        ("wagtailmedia", "0005_alter_media_options"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
