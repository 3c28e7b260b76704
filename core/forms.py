from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.services import profile_update

NAME_MAX_LENGTH = User._meta.get_field("name").max_length


class SignupForm(forms.Form):
    """What allauth's sign-up form asks beyond e-mail and password (ACCOUNT_SIGNUP_FORM_CLASS):
    the person's name, and their consent to the privacy notice."""

    field_order = ["name", "email", "password1", "password2", "privacy_consent"]

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Please enter your name.")},
        help_text=_("Your first and last name, as other members of the network will see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    privacy_consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The label links the notice; built per request so the URL and language are current.
        self.fields["privacy_consent"].label = format_html(
            gettext(
                'I have read the <a href="{url}">privacy notice</a> and agree that my data is '
                "processed as described there for the work of the learning network."
            ),
            url=reverse("core:privacy"),
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def signup(self, request, user: User) -> None:
        profile_update(user=user, name=self.cleaned_data["name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "function", "show_function_to_members", "show_email_to_members"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].error_messages["required"] = _("Please enter your name.")

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Please enter your name."), code="required")
        return name

    def clean_function(self) -> str:
        return " ".join(self.cleaned_data["function"].split())

    def save(self, commit: bool = True) -> User:
        return profile_update(user=self.instance, **self.cleaned_data)


class AccountDeleteForm(forms.Form):
    """Deleting the account asks for the password again, so a forgotten open session is not
    enough to delete someone's account."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Please enter your password.")},
    )

    def __init__(self, *args, user: User, request=None, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("The password is not correct. Your account has not been deleted."),
                code="wrong_password",
            )
        return password
