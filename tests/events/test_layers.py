"""events.layers.InMemoryChannelLayer: Channels' in-memory layer, sweeping at most once a second and
putting a group's messages straight into its members' queues."""

import asyncio

import pytest

from events import layers
from events.layers import InMemoryChannelLayer


async def test_delivers_to_every_member_of_a_group():
    layer = InMemoryChannelLayer()
    channels = [await layer.new_channel() for _ in range(3)]
    for channel in channels:
        await layer.group_add("board.1", channel)
    await layer.group_send("board.1", {"type": "board.message", "id": 7})
    for channel in channels:
        assert await asyncio.wait_for(layer.receive(channel), 1) == {
            "type": "board.message",
            "id": 7,
        }


async def test_sweeps_at_most_once_per_interval(monkeypatch):
    layer = InMemoryChannelLayer()
    sweeps = []
    monkeypatch.setattr(
        "channels.layers.InMemoryChannelLayer._clean_expired", lambda self: sweeps.append(1)
    )
    channel = await layer.new_channel()
    await layer.group_add("board.1", channel)
    for _ in range(50):
        await layer.group_send("board.1", {"type": "board.message"})
        await layer.receive(channel)
    assert len(sweeps) == 1


async def test_expired_messages_and_their_channel_still_go(monkeypatch):
    monkeypatch.setattr(layers, "SWEEP_EVERY", 0)
    layer = InMemoryChannelLayer(expiry=0.05)
    stale, fresh = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("board.1", stale)
    await layer.group_add("board.1", fresh)
    await layer.group_send("board.1", {"type": "board.message", "id": 1})
    await layer.receive(fresh)
    await asyncio.sleep(0.1)
    await layer.send(fresh, {"type": "board.message", "id": 2})
    assert (await layer.receive(fresh))["id"] == 2
    # The message nobody read expired, and its channel left the group with it.
    assert stale not in layer.groups.get("board.1", {})
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(stale), 0.1)


async def test_a_full_member_does_not_stop_the_others():
    layer = InMemoryChannelLayer(capacity=1)
    full, free = await layer.new_channel(), await layer.new_channel()
    await layer.group_add("board.1", full)
    await layer.group_add("board.1", free)
    await layer.send(full, {"type": "board.message", "id": 1})  # its one place is taken
    await layer.group_send("board.1", {"type": "board.message", "id": 2})
    assert (await layer.receive(free))["id"] == 2
    assert (await layer.receive(full))["id"] == 1
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(layer.receive(full), 0.1)


async def test_every_member_gets_a_copy_of_its_own():
    layer = InMemoryChannelLayer()
    one, two = await layer.new_channel(), await layer.new_channel()
    for channel in (one, two):
        await layer.group_add("board.1", channel)
    sent = {"type": "board.presence", "online": [{"id": 1}]}
    await layer.group_send("board.1", sent)
    first = await layer.receive(one)
    first["online"].append({"id": 2})
    assert (await layer.receive(two))["online"] == [{"id": 1}]
    assert sent["online"] == [{"id": 1}]


async def test_a_flat_message_is_copied_for_each_member_too():
    layer = InMemoryChannelLayer()
    one, two = await layer.new_channel(), await layer.new_channel()
    for channel in (one, two):
        await layer.group_add("board.1", channel)
    sent = {"type": "board.message", "id": 7, "frame": "{}"}
    await layer.group_send("board.1", sent)
    first = await layer.receive(one)
    first["id"] = 8
    assert (await layer.receive(two))["id"] == 7
    assert sent["id"] == 7


async def test_send_refuses_what_channels_refuses():
    from channels.exceptions import ChannelFull

    layer = InMemoryChannelLayer(capacity=1)
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "x"})
    with pytest.raises(ChannelFull):
        await layer.send(channel, {"type": "y"})
    with pytest.raises(TypeError):
        await layer.send(channel, ["not", "a", "dict"])
    with pytest.raises(TypeError):
        await layer.group_send("board.1", "text")
    assert (await layer.receive(channel)) == {"type": "x"}
