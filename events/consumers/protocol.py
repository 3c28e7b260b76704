"""The board's frames from the client, read and checked (DESIGN.md, "The live board's WebSocket
protocol"): one JSON object with a `type` each. Reading a frame gives a typed request whose fields
are known to be well-formed; what they mean (may this person edit that message?) is for the
services to decide. A frame that cannot be read raises InvalidFrame, which the consumer sends back
as an `error` frame (error_frame) while the connection stays open."""

import json
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from events.exceptions import BoardError, InvalidFrame
from events.selectors import HISTORY_MAX

MAX_FRAME_BYTES = 64 * 1024
MAX_NONCE = 64
HISTORY_LIMIT = 50  # when a `history` frame names none


@dataclass(frozen=True)
class Post:
    body: str
    nonce: str


@dataclass(frozen=True)
class Sync:
    after: int
    since: datetime | None


@dataclass(frozen=True)
class History:
    before: int | None
    limit: int


@dataclass(frozen=True)
class Edit:
    id: int
    body: str


@dataclass(frozen=True)
class Delete:
    id: int


@dataclass(frozen=True)
class Typing:
    pass


def too_big(text_data: str | None, bytes_data: bytes | None) -> bool:
    """Larger than MAX_FRAME_BYTES: the consumer closes the socket (4009) rather than read it."""
    if text_data is None:
        return bytes_data is not None and len(bytes_data) > MAX_FRAME_BYTES
    return len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES


def decode(text_data: str | None) -> dict:
    """The frame as a JSON object; InvalidFrame for a binary frame, bad JSON or anything else."""
    if text_data is None:
        raise InvalidFrame(_("Only text frames with JSON are understood."))
    try:
        frame = json.loads(text_data)
    except ValueError:
        raise InvalidFrame(_("The frame is not valid JSON.")) from None
    if not isinstance(frame, dict):
        raise InvalidFrame(_("A frame must be a JSON object with a type."))
    return frame


def nonce_of(frame: dict) -> str | None:
    """The frame's nonce, if it has a usable one: an error about the frame carries it back."""
    nonce = frame.get("nonce")
    return nonce if isinstance(nonce, str) and len(nonce) <= MAX_NONCE else None


def read(frame: dict) -> Post | Sync | History | Edit | Delete | Typing:
    """The request a decoded frame makes, by its `type`."""
    kind = frame.get("type")
    reader = _READERS.get(kind) if isinstance(kind, str) else None
    if reader is None:
        raise InvalidFrame(_("Unknown frame type."))
    return reader(frame)


def error_frame(error: BoardError, nonce: str | None = None) -> dict:
    """The `error` frame for a domain error; its detail in German, the site's language, whatever
    the language of the request that opened the socket."""
    with translation.override(settings.LANGUAGE_CODE):
        frame = {"type": "error", "code": error.code, "detail": str(error.message)}
    if nonce is not None:
        frame["nonce"] = nonce
    return frame


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _parse_time(value) -> datetime | None:
    """An ISO 8601 time with its offset (as `synced` gives it), or None."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None or timezone.is_naive(parsed):
        return None
    return parsed


def _read_post(frame: dict) -> Post:
    body, nonce = frame.get("body"), frame.get("nonce")
    if not isinstance(body, str) or not isinstance(nonce, str):
        raise InvalidFrame(_("A post needs a text body and a nonce."))
    return Post(body=body, nonce=nonce)


def _read_sync(frame: dict) -> Sync:
    after = frame.get("after")
    if not _is_id(after):
        raise InvalidFrame(_("sync needs a message id in after (0 for the start)."))
    since = frame.get("since")
    if since is not None:
        since = _parse_time(since)
        if since is None:
            raise InvalidFrame(_("since must be the time of an earlier synced frame."))
    return Sync(after=after, since=since)


def _read_history(frame: dict) -> History:
    before = frame.get("before")
    limit = frame.get("limit", HISTORY_LIMIT)
    if before is not None and not _is_id(before):
        raise InvalidFrame(_("history needs a message id in before."))
    if not _is_id(limit) or not 1 <= limit <= HISTORY_MAX:
        raise InvalidFrame(_("history takes a limit between 1 and 100."))
    return History(before=before or None, limit=limit)


def _read_edit(frame: dict) -> Edit:
    message_id, body = frame.get("id"), frame.get("body")
    if not _is_id(message_id) or not isinstance(body, str):
        raise InvalidFrame(_("edit needs a message id and a text body."))
    return Edit(id=message_id, body=body)


def _read_delete(frame: dict) -> Delete:
    message_id = frame.get("id")
    if not _is_id(message_id):
        raise InvalidFrame(_("delete needs a message id."))
    return Delete(id=message_id)


_READERS = {
    "post": _read_post,
    "sync": _read_sync,
    "history": _read_history,
    "edit": _read_edit,
    "delete": _read_delete,
    "typing": lambda frame: Typing(),
}
