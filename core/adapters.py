import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from core.models import User

EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length
# When this session's login was completed (every stage passed: the password, and the second
# factor for those who have one).
LOGGED_IN_AT_SESSION_KEY = "core_logged_in_at"


class AccountAdapter(DefaultAccountAdapter):
    """Allauth, adapted: e-mail addresses are stored in lower case, so one person is one account,
    and no longer than the database column holds (allauth's form field allows 320 characters).
    A fresh login counts as a recent authentication (see is_reauthentication_required)."""

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        if len(email) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("Please enter an e-mail address of at most %(max)d characters.")
                % {"max": EMAIL_MAX_LENGTH},
                code="max_length",
            )
        return email

    def login(self, request, user) -> None:
        super().login(request, user)
        request.session[LOGGED_IN_AT_SESSION_KEY] = time.time()

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth counts only an explicit reauthentication as recent, so staff who had just
        logged in with password and authenticator code were asked for the password again on the
        first page that needs a recent authentication (the second factor's pages). A login
        completed within ACCOUNT_REAUTHENTICATION_TIMEOUT counts as well."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not self._logged_in_recently()

    def _logged_in_recently(self) -> bool:
        session = getattr(self.request, "session", None)
        logged_in_at = session.get(LOGGED_IN_AT_SESSION_KEY) if session is not None else None
        if not isinstance(logged_in_at, int | float):
            return False
        return time.time() - logged_in_at < account_settings.REAUTHENTICATION_TIMEOUT
