"""The Landesjugendamt staff group with what its members need. Other apps add permissions with
their own data migrations through network.staff_group.grant_to_staff_group."""

from django.db import migrations

from network.staff_group import grant_to_staff_group, revoke_from_staff_group

STAFF_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "network.view_municipality",
    "network.add_municipality",
    "network.change_municipality",
    "network.view_membership",
    "network.change_membership",
    "network.view_invitation",
]


def forwards(apps, schema_editor):
    grant_to_staff_group(apps, STAFF_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_staff_group(apps, STAFF_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
