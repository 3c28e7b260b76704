"""Board errors. Each carries the protocol's error `code` and a German-translatable message; the
consumer turns one into an `error` frame, a view into a message."""

from django.utils.translation import gettext_lazy as _


class BoardError(Exception):
    code = "invalid"
    default_message = _("The request is not valid.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class InvalidFrame(BoardError):
    code = "invalid"
    default_message = _("The request is not valid.")


class NotAllowed(BoardError):
    code = "forbidden"
    default_message = _("You may not do that in this room.")


class RoomArchived(NotAllowed):
    default_message = _("This room is archived and can only be read.")


class UserMuted(NotAllowed):
    default_message = _("A moderator has muted you in this room for the time being.")


class MessageNotFound(BoardError):
    code = "not_found"
    default_message = _("This message does not exist in this room.")


class BodyTooLong(BoardError):
    code = "too_long"
    default_message = _("A message may have at most 4000 characters.")


class RateLimited(BoardError):
    code = "rate_limited"
    default_message = _(
        "You are writing very fast: at most 10 messages in 10 seconds. Please wait a moment."
    )
