"""Domain errors of the practice examples (the shared base classes are in network.exceptions)."""

from django.utils.translation import gettext_lazy as _

from network.exceptions import NetworkError


class ExampleIncomplete(NetworkError):
    message = _("Please fill in every required field before you submit the practice example.")


class ExampleWrongState(NetworkError):
    message = _("This is not possible in the practice example's current state. Nothing changed.")
