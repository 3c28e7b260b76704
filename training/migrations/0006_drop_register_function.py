"""Drop training_register() (migration 0004).

A single registration on PostgreSQL ran as that PL/pgSQL function while a registration of several
people, every cancellation and every promotion ran in Python under select_for_update: two
implementations of the same seat rules. Every registration now takes the one Python path
(training/services/registration.py under training/services/seats.course_date_locked) on every
database, so the function is no longer called. Reversing this migration creates it again, as
0004 left it.
"""

from importlib import import_module

from django.db import migrations

_0004 = import_module("training.migrations.0004_register_function")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_0004.DROP)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_0004.CREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0005_course_date_hours"),
    ]

    operations = [migrations.RunPython(drop, create)]
