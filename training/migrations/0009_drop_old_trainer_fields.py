"""The old trainer fields go; the Trainer entries take the name trainers."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("training", "0008_trainers_from_accounts_and_names")]

    operations = [
        migrations.RemoveField(model_name="coursedate", name="trainers"),
        migrations.RemoveField(model_name="coursedate", name="trainer_names"),
        migrations.RenameField(
            model_name="coursedate", old_name="trainer_entries", new_name="trainers"
        ),
        migrations.AlterField(
            model_name="coursedate",
            name="trainers",
            field=models.ManyToManyField(
                blank=True,
                related_name="course_dates",
                to="training.trainer",
                verbose_name="trainers",
            ),
        ),
    ]
