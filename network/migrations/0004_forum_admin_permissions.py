"""Landesjugendamt staff manage forum categories and appoint moderators in the Wagtail admin.
Categories are not deleted there: a category with topics must stay (topics protect it)."""

from django.db import migrations

from network.staff_group import grant_to_staff_group, revoke_from_staff_group

STAFF_PERMISSIONS = [
    "network.view_forumcategory",
    "network.add_forumcategory",
    "network.change_forumcategory",
    "network.view_forummoderator",
    "network.add_forummoderator",
    "network.change_forummoderator",
    "network.delete_forummoderator",
]


def forwards(apps, schema_editor):
    grant_to_staff_group(apps, STAFF_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_staff_group(apps, STAFF_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_forums_practice_notifications")]

    operations = [migrations.RunPython(forwards, backwards)]
