"""Domain errors of the learning network. Each carries a German-translatable message that a view
shows as a form error or a message, and a consumer sends as an `error` frame."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class NetworkError(DomainError):
    """Base of every network rule that refuses a request."""


class NotAllowed(NetworkError):
    """The person may not do this (a view answers 403)."""

    message = _("You are not allowed to do this.")


# --- shared by the forums and the practice examples ------------------------------------------


class TextTooLong(NetworkError):
    message = _("This text is too long.")


class AttachmentRefused(NetworkError):
    message = _(
        "This file cannot be attached. Allowed are PDF, office documents (Word, Excel, "
        "PowerPoint, OpenDocument) and images (PNG, JPEG, GIF, WebP) up to 10 MB."
    )


# --- memberships --------------------------------------------------------------------------------


class AlreadyMember(NetworkError):
    message = _(
        "You already belong to a municipality or have asked to join one. Only one membership "
        "per person is possible."
    )


class MessageTooLong(NetworkError):
    message = _("Your message is too long: at most 1000 characters, please.")


class MunicipalityInactive(NetworkError):
    message = _("This municipality does not take part in the programme at the moment.")


class MembershipAlreadyDecided(NetworkError):
    message = _("This request has already been decided. Nothing was changed.")


class MembershipNotActive(NetworkError):
    message = _("This membership has already ended. Nothing was changed.")


class LastCoordinator(NetworkError):
    message = _(
        "You are the last coordinator of your municipality. Please appoint another coordinator "
        "before you end your own membership."
    )


# --- invitations --------------------------------------------------------------------------------


class InvitationInvalid(NetworkError):
    message = _("This invitation link is not valid.")


class InvitationExpired(InvitationInvalid):
    message = _(
        "This invitation has expired. Please ask the coordination of your municipality for a "
        "new one."
    )


class InvitationUsed(InvitationInvalid):
    message = _("This invitation has already been used.")


class InvitationWrongAccount(InvitationInvalid):
    message = _(
        "This invitation was sent to a different e-mail address. Please log in with the address "
        "the invitation was sent to."
    )


class MunicipalityImportRefused(NetworkError):
    """A list of municipalities that cannot be imported; `errors` holds (line, message) pairs
    when the file was readable but some lines are wrong."""

    message = _("The file cannot be imported.")

    def __init__(self, message=None, *, errors: list[tuple[int, str]] | None = None):
        super().__init__(message)
        self.errors = errors or []
