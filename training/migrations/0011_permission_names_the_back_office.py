"""The permission to work on the other Landesjugendamt's dates grants their whole back office
(training.selectors.user_administered_providers), not only the edit screen: its name says so.
Django creates missing permissions after migrating but never renames existing ones, so the row
that the admin's permission picker shows is renamed here too."""

from django.db import migrations

CODENAME = "edit_other_provider_dates"
OLD = "Can edit course dates of the other Landesjugendamt"
NEW = (
    "Can administer the course dates of the other Landesjugendamt: participants, attendance, "
    "certificates, exports, evaluation results"
)


def rename(name):
    def forwards(apps, schema_editor):
        Permission = apps.get_model("auth", "Permission")
        Permission.objects.filter(
            codename=CODENAME, content_type__app_label="training", content_type__model="coursedate"
        ).update(name=name)

    return forwards


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("training", "0010_attendance_days_and_certificates"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="coursedate",
            options={
                "ordering": ["start", "pk"],
                "permissions": [(CODENAME, NEW)],
                "verbose_name": "course date",
                "verbose_name_plural": "course dates",
            },
        ),
        migrations.RunPython(rename(NEW), rename(OLD)),
    ]
