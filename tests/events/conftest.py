"""Fixtures for the live board: a small world of rooms and people, and WebSocket clients."""

import json

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.cache import cache

from events.models import Room
from events.routing import websocket_urlpatterns
from events.services import room_ensure_defaults
from tests.factories import MunicipalityFactory, StaffFactory, member

APP = URLRouter(websocket_urlpatterns)


class Client:
    """A WebSocket client speaking JSON frames to the board, always disconnected by the test."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.ws = communicator
        self.hello = None

    async def send(self, frame) -> None:
        await self.ws.send_to(text_data=json.dumps(frame))

    async def recv(self, timeout: float = 2) -> dict:
        return json.loads(await self.ws.receive_from(timeout=timeout))

    async def recv_type(self, kind: str, timeout: float = 2) -> dict:
        """The next frame of this type, skipping presence and typing noise."""
        while True:
            frame = await self.recv(timeout)
            if frame["type"] == kind:
                return frame
            if frame["type"] not in ("presence", "typing"):
                raise AssertionError(f"expected {kind}, got {frame}")

    async def recv_nonce(self, nonce: str, timeout: float = 2) -> dict:
        """The `message` frame carrying this nonce, skipping other messages."""
        while True:
            frame = await self.recv_type("message", timeout)
            if frame["nonce"] == nonce:
                return frame

    async def nothing(self, timeout: float = 0.3) -> bool:
        """Nothing but presence noise arrives within `timeout`."""
        while not await self.ws.receive_nothing(timeout=timeout):
            frame = await self.recv()
            if frame["type"] != "presence":
                raise AssertionError(f"expected nothing, got {frame}")
        return True

    async def drain(self) -> list[dict]:
        frames = []
        while not await self.ws.receive_nothing(timeout=0.2):
            frames.append(await self.recv())
        return frames

    async def close(self) -> None:
        await self.ws.disconnect()


async def open_socket(user, path: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(APP, path)
    if user is not None:
        communicator.scope["user"] = user
    else:
        from django.contrib.auth.models import AnonymousUser

        communicator.scope["user"] = AnonymousUser()
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.fixture
def board_world(transactional_db):
    cache.clear()
    room_ensure_defaults()
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    return {
        "network": Room.objects.get(slug="lernnetzwerk-nrw"),
        "rheinland": Room.objects.get(slug="rheinland"),
        "westfalen": Room.objects.get(slug="westfalen-lippe"),
        "dortmund": dortmund,
        "koeln": koeln,
        "anna": member(dortmund, name="Anna Dortmund"),
        "bernd": member(dortmund, name="Bernd Dortmund"),
        "karl": member(koeln, name="Karl Köln"),
        "staff": StaffFactory(name="Stefanie Staff"),
    }


@pytest.fixture(scope="session", autouse=True)
def _plain_static_storage():
    """Static URLs without collectstatic's manifest (as tests/cms/conftest.py does: Django built
    its storages before tests/conftest.py changed STORAGES; the signal rebuilds them)."""
    from django.conf import settings
    from django.test.signals import setting_changed

    setting_changed.send(
        sender=type(settings._wrapped), setting="STORAGES", value=settings.STORAGES, enter=True
    )


@pytest.fixture
def no_rate_limit(monkeypatch):
    """For tests that post many messages from one person on purpose."""
    monkeypatch.setattr("events.services.messages.RATE_LIMIT", 10_000)


@pytest.fixture
def connect():
    """connect(user, slug) -> Client after its hello; every client is disconnected at the end."""
    clients = []

    async def _connect(user, slug: str, *, expect_hello: bool = True) -> Client:
        client = Client(await open_socket(user, f"/ws/board/{slug}/"))
        clients.append(client)
        if expect_hello:
            client.hello = await client.recv_type("hello")
        return client

    yield _connect
    # Each test disconnects its clients itself (async); this is the safety net for a failure.
    for client in clients:
        client.ws.future.cancel()
