"""What the board does with each request a client sends (events.consumers.protocol reads them):
call a service or selector with the socket's user and room, freshly read, and send the answer.

A mixin of BoardConsumer, which gives it `_run` (a function of user and room, in the database
thread), `_remember` (a message id this socket has delivered), `_mark_read` and `send_json`."""

from django.utils import timezone

from events.consumers import protocol
from events.selectors import (
    SYNC_BATCH,
    message_payload,
    messages_after,
    messages_before,
    messages_changed,
)
from events.services import message_delete, message_edit, message_post, typing_announce


class BoardHandlers:
    async def handle(self, request) -> None:
        await self.HANDLERS[type(request)](self, request)

    async def handle_post(self, request: protocol.Post) -> None:
        payload = await self._run(
            lambda user, room: message_payload(
                message=message_post(
                    room=room, author=user, body=request.body, nonce=request.nonce
                )[0],
                reader_id=user.pk,
            )
        )
        # The sender's own copy goes straight back; the broadcast copy is dropped as a duplicate.
        self._remember(payload["id"])
        await self.send_json({"type": "message", **payload})

    async def handle_sync(self, request: protocol.Sync) -> None:
        # Taken before reading: a change after this moment comes again next time, never not.
        at = timezone.now()
        last_id = request.after
        last_seq = None
        while True:
            # The room's last_seq is read before its messages: every message up to it has
            # committed (events.services.message_store), so this sync sends all of them and a
            # client may take `synced`'s last_seq as the point up to which it holds everything.
            room_seq, batch = await self._run(
                lambda user, room, after=last_id: (
                    room.last_seq,
                    [
                        message_payload(message=m, reader_id=user.pk)
                        for m in messages_after(room=room, after=after)
                    ],
                )
            )
            if last_seq is None:
                last_seq = room_seq
            # Every one, also those this socket sent before: a client that asks has lost them
            # (DESIGN.md). Remembered, so a broadcast still on its way is not sent again.
            for payload in batch:
                self._remember(payload["id"])
                await self.send_json({"type": "message", **payload})
            if batch:
                last_id = batch[-1]["id"]
            if len(batch) < SYNC_BATCH:
                break
        if request.since is not None:

            def read_changes(user, room):
                edited, deleted = messages_changed(
                    room=room, up_to=request.after, since=request.since
                )
                return [message_payload(message=m, reader_id=user.pk) for m in edited], deleted

            edited, deleted = await self._run(read_changes)
            for payload in edited:
                await self.send_json({"type": "edited", **payload})
            for message_id in deleted:
                await self.send_json({"type": "deleted", "id": message_id})
        await self.send_json(
            {"type": "synced", "last_id": last_id, "last_seq": last_seq, "at": at.isoformat()}
        )
        await self._mark_read(last_id)

    async def handle_history(self, request: protocol.History) -> None:
        def read(user, room):
            rows, has_more = messages_before(room=room, before=request.before, limit=request.limit)
            return [message_payload(message=m, reader_id=user.pk) for m in rows], has_more

        messages, has_more = await self._run(read)
        await self.send_json({"type": "history", "messages": messages, "has_more": has_more})

    async def handle_edit(self, request: protocol.Edit) -> None:
        # The `edited` frame reaches this socket too, through the room's group.
        await self._run(
            lambda user, room: message_edit(
                room=room, user=user, message_id=request.id, body=request.body
            )
        )

    async def handle_delete(self, request: protocol.Delete) -> None:
        await self._run(
            lambda user, room: message_delete(room=room, user=user, message_id=request.id)
        )

    async def handle_typing(self, request: protocol.Typing) -> None:
        await self._run(lambda user, room: typing_announce(room=room, user=user))

    HANDLERS = {
        protocol.Post: handle_post,
        protocol.Sync: handle_sync,
        protocol.History: handle_history,
        protocol.Edit: handle_edit,
        protocol.Delete: handle_delete,
        protocol.Typing: handle_typing,
    }
