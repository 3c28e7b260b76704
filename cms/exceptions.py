"""Domain errors of the curriculum pages: each carries the message a person reads."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class ReaderCheckMissing(DomainError):
    message = _(
        "Record whether readers of the target group checked this text (or that the check is "
        "still open) before the page is published."
    )
