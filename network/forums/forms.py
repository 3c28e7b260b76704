"""Forms of the forums and the notification settings. They only parse input; the rules are in
network.forums.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.forms.fields import ATTACHMENT_HELP, MultipleFileField, markdown_help
from network.forums.models import EmailMode, ForumCategory, ModerationAction, WatchLevel


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your post"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=markdown_help(20_000),
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
        help_text=markdown_help(20_000),
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
