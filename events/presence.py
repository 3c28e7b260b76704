"""Who is online in a room, across worker processes.

Each open connection is an entry (user id, channel name) with an expiry that the connection's
heartbeat pushes forward; a worker that dies leaves entries that simply expire. With REDIS_URL the
entries live in a Redis sorted set (score = expiry), shared by every worker; without it, in this
process (the embedded default runs one process).
"""

import threading
import time

from django.conf import settings

TTL = 60  # seconds an entry lives without a heartbeat
HEARTBEAT = 20  # the consumer refreshes its entry this often


class MemoryPresence:
    def __init__(self):
        self._rooms: dict[int, dict[str, tuple[int, float]]] = {}
        self._lock = threading.Lock()

    def join(self, room_id: int, user_id: int, channel: str) -> None:
        with self._lock:
            self._rooms.setdefault(room_id, {})[channel] = (user_id, time.time() + TTL)

    def leave(self, room_id: int, user_id: int, channel: str) -> None:
        with self._lock:
            self._rooms.get(room_id, {}).pop(channel, None)

    def online(self, room_id: int) -> set[int]:
        now = time.time()
        with self._lock:
            entries = self._rooms.get(room_id, {})
            for channel in [c for c, (_, exp) in entries.items() if exp <= now]:
                del entries[channel]
            return {user_id for user_id, _ in entries.values()}


class RedisPresence:
    def __init__(self, url: str, prefix: str):
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = prefix

    def _key(self, room_id: int) -> str:
        return f"{self._prefix}:presence:{room_id}"

    def join(self, room_id: int, user_id: int, channel: str) -> None:
        key = self._key(room_id)
        pipe = self._redis.pipeline()
        pipe.zadd(key, {f"{user_id}|{channel}": time.time() + TTL})
        pipe.expire(key, TTL * 2)
        pipe.execute()

    def leave(self, room_id: int, user_id: int, channel: str) -> None:
        self._redis.zrem(self._key(room_id), f"{user_id}|{channel}")

    def online(self, room_id: int) -> set[int]:
        key = self._key(room_id)
        now = time.time()
        self._redis.zremrangebyscore(key, "-inf", now)
        return {int(m.decode().split("|", 1)[0]) for m in self._redis.zrange(key, 0, -1)}


_backend = None
_backend_lock = threading.Lock()


def backend():
    global _backend
    with _backend_lock:
        if _backend is None:
            if getattr(settings, "REDIS_URL", ""):
                prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "ks")
                _backend = RedisPresence(settings.REDIS_URL, prefix)
            else:
                _backend = MemoryPresence()
        return _backend
