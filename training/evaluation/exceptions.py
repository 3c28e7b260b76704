"""Domain errors of the evaluation: each carries the message a person reads."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class EvaluationError(DomainError):
    message = _("The evaluation could not be saved.")


class NotHeldYet(EvaluationError):
    message = _("This date can be evaluated once it has taken place.")


class DateCancelled(EvaluationError):
    message = _("This date was cancelled; there is nothing to evaluate.")


class NotAttended(EvaluationError):
    message = _("Only people who attended this date can evaluate it.")


class AlreadyAnswered(EvaluationError):
    message = _("You have already evaluated this date. Thank you!")


class InvalidAnswer(EvaluationError):
    message = _("Please check your answers.")
