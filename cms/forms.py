from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search term"),
        max_length=200,
        strip=True,
        error_messages={
            "required": _("Please enter a search term."),
            "max_length": _("Please enter at most %(limit_value)d characters."),
        },
    )


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form without the tag field: its autocomplete input has no label (an
    accessibility error in the admin), and the curriculum does not use document tags.
    Used through WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("tags", None)
