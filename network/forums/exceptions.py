"""Domain errors of the forums, mentions and moderation (the shared base classes are in
network.exceptions)."""

from django.utils.translation import gettext_lazy as _

from network.exceptions import NetworkError


class EmptyText(NetworkError):
    message = _("Please write something first.")


class TopicClosed(NetworkError):
    message = _("This topic is closed; no new posts are possible.")


class ReasonRequired(NetworkError):
    message = _("Please give a reason (at most 1000 characters).")


class BestAnswerInvalid(NetworkError):
    message = _("Only a visible reply in this topic can be the best answer.")


class HandleInvalid(NetworkError):
    message = _("A handle has 2 to 40 characters: small letters without umlauts, digits, - and _.")


class HandleTaken(NetworkError):
    message = _("This handle is already taken. Please choose another one.")
