"""Forms of the forums, practice examples and notification settings. They only parse input; the
rules are in network.services."""

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.models import User
from network.attachments import MAX_ATTACHMENTS
from network.models import (
    BuildingBlock,
    EmailMode,
    ExampleAudience,
    ForumCategory,
    LifePhase,
    ModerationAction,
    WatchLevel,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _attachment_help() -> str:
    return _(
        "Up to %(count)s files: PDF, office documents (Word, Excel, PowerPoint, OpenDocument) or "
        "images (PNG, JPEG, GIF, WebP), each at most 10 MB."
    ) % {"count": MAX_ATTACHMENTS}


# Lazy as a whole: `gettext_lazy(…) % …` at import time fixed the text in the default language
# (German), and English pages showed it.
ATTACHMENT_HELP = lazy(_attachment_help, str)()
MARKDOWN_HELP = _(
    "Markdown: **bold**, *italic*, - lists, > quotes, [link](https://…). Mention someone with "
    "@handle."
)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENT_HELP)


class TopicForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title", "body", "attachments"]


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Text"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the author)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TopicModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (ModerationAction.PIN, _("pin")),
            (ModerationAction.UNPIN, _("unpin")),
            (ModerationAction.CLOSE, _("close")),
            (ModerationAction.OPEN, _("reopen")),
            (ModerationAction.MOVE, _("move to another category")),
            (ModerationAction.DELETE_TOPIC, _("delete")),
        ],
    )
    category = forms.ModelChoiceField(
        label=_("Target category (for a move)"),
        queryset=ForumCategory.objects.all(),
        required=False,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, categories, **kwargs):
        """`categories`: those the moderator may move a topic to (an id from elsewhere is
        refused like an unknown one)."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class WatchForm(forms.Form):
    level = forms.ChoiceField(label=_("Notifications"), choices=WatchLevel.choices)


class NotificationSettingsForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail about notifications"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
    )
    handle = forms.CharField(
        label=_("Your handle for @mentions"),
        max_length=41,
        required=False,
        help_text=_(
            "Others mention you by writing @ and this handle, e.g. @dana-demir. Small letters, "
            "digits, - and _. Leave empty and nobody can mention you."
        ),
    )


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
        help_text=MARKDOWN_HELP,
    )
    success_factors = forms.CharField(
        label=_("What made it work"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MARKDOWN_HELP,
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

    def __init__(self, *args, contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
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
