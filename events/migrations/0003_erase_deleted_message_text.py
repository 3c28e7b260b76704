"""Deleting a board message now erases its text (events.services.message_delete): the text of
messages deleted before that is erased here too, so none is kept (DSGVO)."""

from django.db import migrations


def erase_deleted_text(apps, schema_editor):
    Message = apps.get_model("events", "Message")
    Message.objects.filter(deleted_at__isnull=False).exclude(body="", body_html="").update(
        body="", body_html=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_message_seq"),
    ]

    operations = [
        migrations.RunPython(erase_deleted_text, migrations.RunPython.noop, elidable=True),
    ]
