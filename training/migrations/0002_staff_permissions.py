"""Landesjugendamt staff manage courses and course dates in the Wagtail admin."""

from django.db import migrations

from network.staff_group import grant_to_staff_group, revoke_from_staff_group

STAFF_PERMISSIONS = [
    "training.view_course",
    "training.add_course",
    "training.change_course",
    "training.delete_course",
    "training.view_coursedate",
    "training.add_coursedate",
    "training.change_coursedate",
    "training.view_registration",
]


def forwards(apps, schema_editor):
    grant_to_staff_group(apps, STAFF_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_staff_group(apps, STAFF_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_staff_group"),
        ("training", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
