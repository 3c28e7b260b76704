"""The board's `seq`: gapless per room, assigned under the room's row lock in the transaction that
stores the message, so a client sees a broadcast that never reached it; `hello` and `synced`
carry the room's last_seq."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from django.db import connections

from events.models import Message, Room
from events.services import message_post
from tests.factories import MunicipalityFactory, member

post_db = database_sync_to_async(message_post)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("no_rate_limit")
async def test_seq_counts_each_room_and_hello_and_synced_carry_last_seq(board_world, connect):
    network, rheinland = board_world["network"], board_world["rheinland"]
    for i in range(3):
        await post_db(room=network, author=board_world["karl"], body=f"n{i}", nonce=f"n{i}")
    await post_db(room=rheinland, author=board_world["karl"], body="r", nonce="r")
    anna = await connect(board_world["anna"], "lernnetzwerk-nrw")
    assert anna.hello["last_seq"] == 3
    await anna.send({"type": "sync", "after": 0})
    frames = []
    while (frame := await anna.recv())["type"] != "synced":
        if frame["type"] == "message":
            frames.append(frame)
    assert [f["seq"] for f in frames] == [1, 2, 3]
    assert frame["last_seq"] == 3
    # A live message carries the next seq; one in another room counts there.
    karl = await connect(board_world["karl"], "lernnetzwerk-nrw")
    await karl.send({"type": "post", "body": "live", "nonce": "live"})
    assert (await anna.recv_type("message"))["seq"] == 4
    assert (await karl.recv_nonce("live"))["seq"] == 4
    assert await database_sync_to_async(
        lambda: list(Message.objects.filter(room=rheinland).values_list("seq", flat=True))
    )() == [1]
    await anna.close()
    await karl.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_in_one_room_get_gapless_seqs_in_commit_order(monkeypatch):
    from events.services import room_ensure_defaults

    monkeypatch.setattr("events.services.messages.RATE_LIMIT", 10_000)
    room_ensure_defaults()
    room = Room.objects.get(slug="lernnetzwerk-nrw")
    people = [member(MunicipalityFactory()) for _ in range(6)]
    barrier = threading.Barrier(len(people))
    errors = []

    def write(person):
        try:
            barrier.wait(timeout=30)
            for i in range(10):
                message_post(room=room, author=person, body=f"{i}", nonce=f"{person.pk}-{i}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        list(pool.map(write, people))
    assert not errors, errors
    rows = list(Message.objects.filter(room=room).order_by("id").values_list("seq", flat=True))
    # Gapless, each once, and in id order: the lock is taken before the row gets its id.
    assert rows == list(range(1, 61))
    room.refresh_from_db()
    assert room.last_seq == 60
