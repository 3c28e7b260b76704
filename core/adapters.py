from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from core.models import User

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class AccountAdapter(DefaultAccountAdapter):
    """Allauth, adapted: e-mail addresses are stored in lower case, so one person is one account,
    and no longer than the database column holds (allauth's form field allows 320 characters)."""

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("Please enter an e-mail address of at most %(max)d characters.")
                % {"max": EMAIL_MAX_LENGTH},
                code="max_length",
            )
        return email
