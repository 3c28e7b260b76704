"""A gapless per-room sequence number for board messages (Message.seq, Room.last_seq): existing
messages are numbered 1, 2, … by id within their room, which is the order they were stored in."""

from django.db import migrations, models


def number_existing(apps, schema_editor):
    Room = apps.get_model("events", "Room")
    Message = apps.get_model("events", "Message")
    for room in Room.objects.only("pk").iterator():
        messages = list(Message.objects.filter(room=room).only("pk").order_by("id"))
        for seq, message in enumerate(messages, start=1):
            message.seq = seq
        Message.objects.bulk_update(messages, ["seq"], batch_size=1000)
        Room.objects.filter(pk=room.pk).update(last_seq=len(messages))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="room",
            name="last_seq",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="message",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="message",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.UniqueConstraint(
                fields=("room", "seq"), name="board_message_seq_once"
            ),
        ),
    ]
