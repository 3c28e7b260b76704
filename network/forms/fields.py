"""Form fields and help texts shared by the forums and the practice examples."""

from django import forms
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
