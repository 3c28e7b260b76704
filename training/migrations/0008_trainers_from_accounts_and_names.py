"""Copy the old trainer fields into Trainer entries: one per account that was a trainer (its
name, its Landesjugendamt as organisation), one per name in trainer_names (split at commas,
semicolons and " und "), the same name reused across dates."""

import re

from django.db import migrations

_SPLIT = re.compile(r"\s*(?:,|;|\bund\b|&)\s*")


def _names(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def forwards(apps, schema_editor):
    CourseDate = apps.get_model("training", "CourseDate")
    Trainer = apps.get_model("training", "Trainer")
    by_user: dict[int, object] = {}
    by_name: dict[str, object] = {}
    for course_date in CourseDate.objects.prefetch_related("trainers").order_by("pk"):
        entries = []
        for user in course_date.trainers.all():
            if user.pk not in by_user:
                trainer = Trainer.objects.filter(user=user).first() or Trainer.objects.create(
                    user=user,
                    name=user.name or user.email.split("@")[0],
                    organisation=user.landesjugendamt or "",
                )
                by_user[user.pk] = trainer
            entries.append(by_user[user.pk])
        for name in _names(course_date.trainer_names):
            key = name.casefold()
            if key not in by_name:
                by_name[key] = Trainer.objects.create(name=name[:150])
            entries.append(by_name[key])
        if entries:
            course_date.trainer_entries.add(*entries)


def backwards(apps, schema_editor):
    CourseDate = apps.get_model("training", "CourseDate")
    for course_date in CourseDate.objects.prefetch_related("trainer_entries__user"):
        trainers = list(course_date.trainer_entries.all())
        course_date.trainers.add(*[t.user for t in trainers if t.user_id])
        course_date.trainer_names = ", ".join(t.name for t in trainers if not t.user_id)[:300]
        course_date.save(update_fields=["trainer_names"])


class Migration(migrations.Migration):
    dependencies = [("training", "0007_lifecycle_and_trainers")]

    operations = [migrations.RunPython(forwards, backwards)]
