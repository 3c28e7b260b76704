"""Board errors. Each carries the protocol's error `code` and a German-translatable message; the
consumer turns one into an `error` frame, a view into a message."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class BoardError(DomainError):
    code = "invalid"
    message = _("The request is not valid.")


class InvalidFrame(BoardError):
    code = "invalid"
    message = _("The request is not valid.")


class NotAllowed(BoardError):
    code = "forbidden"
    message = _("You may not do that in this room.")


class RoomArchived(NotAllowed):
    message = _("This room is archived and can only be read.")


class UserMuted(NotAllowed):
    message = _("A moderator has muted you in this room for the time being.")


class MessageNotFound(BoardError):
    code = "not_found"
    message = _("This message does not exist in this room.")


class BodyTooLong(BoardError):
    code = "too_long"
    message = _("A message may have at most 4000 characters.")


class RateLimited(BoardError):
    code = "rate_limited"
    message = _(
        "You are writing very fast: at most 10 messages in 10 seconds. Please wait a moment."
    )
