"""The base of every domain error: a rule that refuses a request.

Each app derives its own errors from DomainError (training.exceptions, network.exceptions,
events.exceptions); `message` is what the person reads, German through gettext. A view turns one
into a form error or a message, a consumer into an `error` frame.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    message = _("This is not possible.")

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)
