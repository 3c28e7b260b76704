"""Landesjugendamt staff manage forum categories and appoint moderators in the Wagtail admin.
Categories are not deleted there: a category with topics must stay (topics protect it)."""

from django.db import migrations

from network.staff_group import grant_to_staff_group, revoke_from_staff_group

STAFF_PERMISSIONS = [
    "forums.view_forumcategory",
    "forums.add_forumcategory",
    "forums.change_forumcategory",
    "forums.view_forummoderator",
    "forums.add_forummoderator",
    "forums.change_forummoderator",
    "forums.delete_forummoderator",
]


def forwards(apps, schema_editor):
    grant_to_staff_group(apps, STAFF_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_staff_group(apps, STAFF_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial"), ("network", "0002_staff_group")]

    operations = [migrations.RunPython(forwards, backwards)]
