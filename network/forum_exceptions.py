"""Domain errors of the forums, practice examples and notifications (the shared base classes are
in network.exceptions)."""

from django.utils.translation import gettext_lazy as _

from network.exceptions import NetworkError, NotAllowed

__all__ = [
    "AttachmentRefused",
    "BestAnswerInvalid",
    "EmptyText",
    "ExampleIncomplete",
    "ExampleWrongState",
    "HandleInvalid",
    "HandleTaken",
    "NetworkError",
    "NotAllowed",
    "ReasonRequired",
    "TextTooLong",
    "TopicClosed",
]


class EmptyText(NetworkError):
    message = _("Please write something first.")


class TextTooLong(NetworkError):
    message = _("This text is too long.")


class TopicClosed(NetworkError):
    message = _("This topic is closed; no new posts are possible.")


class ReasonRequired(NetworkError):
    message = _("Please give a reason (at most 1000 characters).")


class AttachmentRefused(NetworkError):
    message = _(
        "This file cannot be attached. Allowed are PDF, office documents (Word, Excel, "
        "PowerPoint, OpenDocument) and images (PNG, JPEG, GIF, WebP) up to 10 MB."
    )


class BestAnswerInvalid(NetworkError):
    message = _("Only a visible reply in this topic can be the best answer.")


class HandleInvalid(NetworkError):
    message = _("A handle has 2 to 40 characters: small letters without umlauts, digits, - and _.")


class HandleTaken(NetworkError):
    message = _("This handle is already taken. Please choose another one.")


class ExampleIncomplete(NetworkError):
    message = _("Please fill in every required field before you submit the practice example.")


class ExampleWrongState(NetworkError):
    message = _("This is not possible in the practice example's current state. Nothing changed.")
