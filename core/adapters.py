from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Allauth, adapted: e-mail addresses are stored in lower case, so one person is one account."""

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()
