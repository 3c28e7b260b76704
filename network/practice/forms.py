"""Forms of the practice examples. They only parse input; the rules are in
network.practice.services."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.models import User
from network.forms.fields import ATTACHMENT_HELP, MultipleFileField, markdown_help
from network.practice.models import BuildingBlock, ExampleAudience, LifePhase


class PracticeExampleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences for the list."),
    )
    blocks = forms.MultipleChoiceField(
        label=_("Building blocks of the prevention chain"),
        choices=BuildingBlock.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phases = forms.MultipleChoiceField(
        label=_("Life phases"),
        choices=LifePhase.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_groups = forms.CharField(
        label=_("Target groups"),
        max_length=300,
        required=False,
        help_text=_(
            "For example: expectant parents in the neighbourhood, single parents, Kita staff."
        ),
    )
    what_was_done = forms.CharField(
        label=_("What was done"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=markdown_help(10_000),
    )
    success_factors = forms.CharField(
        label=_("What made it work"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=markdown_help(10_000),
    )
    resources = forms.CharField(
        label=_("Resources and funding"),
        max_length=5_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.ModelChoiceField(
        label=_("Contact person"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("nobody – the municipality is named as contact"),
        help_text=_(
            "A member of your municipality. They are asked on the platform and decide "
            "themselves whether their name and e-mail address are shown; until then only the "
            "municipality is named."
        ),
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)

    def __init__(self, *args, contacts=None, needed_to_submit=(), **kwargs):
        """`needed_to_submit`: the fields a submission needs (a draft needs a title only); their
        labels say so, as the page's text explains."""
        super().__init__(*args, **kwargs)
        for name in needed_to_submit:
            self.fields[name].label = format_lazy(
                "{} ({})", self.fields[name].label, _("needed to submit")
            )
        field = self.fields["contact"]
        field.queryset = contacts if contacts is not None else field.queryset
        field.label_from_instance = lambda user: user.display_name


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("confirm and pass on to the Landesjugendamt")),
            ("return", _("send back to the author")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the author"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you send the example back."),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("publish", _("publish")), ("return", _("return for revision"))],
        widget=forms.RadioSelect,
    )
    audience = forms.ChoiceField(
        label=_("Published for"), choices=ExampleAudience.choices, widget=forms.RadioSelect,
        initial=ExampleAudience.MEMBERS,
    )  # fmt: skip
    note = forms.CharField(
        label=_("Note to the author"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you return the example."),
    )


class PracticeFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    baustein = forms.ChoiceField(
        label=_("Building block"),
        choices=[("", _("all")), *BuildingBlock.choices],
        required=False,
    )
    lebensphase = forms.ChoiceField(
        label=_("Life phase"), choices=[("", _("all")), *LifePhase.choices], required=False
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[
            ("", _("all")),
            ("LVR", _("Rheinland (LVR)")),
            ("LWL", _("Westfalen-Lippe (LWL)")),
        ],
        required=False,
    )
    kommune = forms.ChoiceField(label=_("Municipality"), choices=[("", _("all"))], required=False)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kommune"].choices = [("", _("all"))] + [
            (m.slug, m.name) for m in municipalities
        ]
