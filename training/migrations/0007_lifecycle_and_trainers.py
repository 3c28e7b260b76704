"""The life cycle's stored part (closed_at), the permission to edit the other Landesjugendamt's
dates, and trainers as a role (Trainer) instead of any account.

The old trainer fields stay until 0008 has copied them into Trainer entries (the new field's
temporary name is trainer_entries); 0009 drops them and gives the new field the name trainers."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0006_drop_register_function"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="coursedate",
            name="closed_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="closed at"
            ),
        ),
        migrations.AlterModelOptions(
            name="coursedate",
            options={
                "ordering": ["start", "pk"],
                "permissions": [
                    (
                        "edit_other_provider_dates",
                        "Can edit course dates of the other Landesjugendamt",
                    )
                ],
                "verbose_name": "course date",
                "verbose_name_plural": "course dates",
            },
        ),
        migrations.CreateModel(
            name="Trainer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("organisation", models.CharField(blank=True, max_length=200, verbose_name="organisation")),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Only active trainers are offered for new dates.",
                        verbose_name="active",
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        help_text="Only if the trainer has an account here (staff or an external trainer).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="trainer_profile",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="login",
                    ),
                ),
            ],
            options={
                "verbose_name": "trainer",
                "verbose_name_plural": "trainers",
                "ordering": ["name", "pk"],
            },
        ),
        migrations.AddField(
            model_name="coursedate",
            name="trainer_entries",
            field=models.ManyToManyField(blank=True, related_name="+", to="training.trainer"),
        ),
    ]
