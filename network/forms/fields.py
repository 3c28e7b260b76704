"""Form fields and help texts shared by the forums and the practice examples."""

from django import forms
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from network.attachments import MAX_ATTACHMENTS


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


def _markdown_help_with_limit(limit: int) -> str:
    # The browser stops typing (and cuts a pasted text) at the field's maxlength without a word:
    # the help text names the limit, in the reader's number format.
    return "{} {}".format(
        MARKDOWN_HELP,
        _("At most %(limit)s characters.") % {"limit": number_format(limit, force_grouping=True)},
    )


def markdown_help(limit: int):
    """MARKDOWN_HELP with the field's length limit, in the language of the page that shows it."""
    return lazy(_markdown_help_with_limit, str)(limit)
