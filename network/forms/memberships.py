from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import MembershipRole, Region
from network.selectors.memberships import municipalities_open_for_requests
from network.services.memberships import MESSAGE_MAX_LENGTH


class JoinRequestForm(forms.Form):
    municipality = forms.TypedChoiceField(
        label=_("Municipality"),
        coerce=int,
        help_text=_("The city or Kreis whose youth office (Jugendamt) you work for."),
    )
    role = forms.ChoiceField(
        label=_("Your role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.STAFF,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the coordination (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example your team or department. At most 1000 characters."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {m.pk: m for m in municipalities_open_for_requests()}
        groups = []
        for region in Region:
            options = [
                (m.pk, f"{m.name} ({m.get_kind_display()})")
                for m in self.municipalities.values()
                if m.region == region.value
            ]
            if options:
                groups.append((region.label, options))
        self.fields["municipality"].choices = [("", _("Please choose …")), *groups]

    def clean_municipality(self):
        return self.municipalities[self.cleaned_data["municipality"]]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your colleague"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=MembershipRole.choices,
        initial=MembershipRole.STAFF,
        widget=forms.RadioSelect,
    )
