from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User


def _emails_to_users(text: str) -> list[User]:
    emails = {line.strip().lower() for line in text.replace(",", "\n").splitlines() if line.strip()}
    users = list(User.objects.filter(email__in=emails, is_active=True))
    missing = emails - {u.email for u in users}
    if missing:
        raise forms.ValidationError(
            _("No account with these addresses: %(emails)s"),
            params={"emails": ", ".join(sorted(missing))},
            code="unknown",
        )
    return users


class MeetingRoomForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    members = forms.CharField(
        label=_("Invited people"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E-mail addresses of their accounts, one per line. Staff always have access."),
    )

    def clean_members(self):
        return _emails_to_users(self.cleaned_data["members"])


class MuteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    minutes = forms.TypedChoiceField(
        label=_("Duration"),
        coerce=int,
        choices=[
            (15, _("15 minutes")),
            (60, _("1 hour")),
            (60 * 24, _("1 day")),
            (60 * 24 * 7, _("7 days")),
        ],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def clean_email(self):
        try:
            return User.objects.get(email=self.cleaned_data["email"].lower())
        except User.DoesNotExist as exc:
            raise forms.ValidationError(
                _("There is no account with this address."), code="unknown"
            ) from exc
