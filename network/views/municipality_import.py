"""Landesjugendamt staff import and update the list of youth offices from a file: upload, see
what would change, confirm. The rows wait in the session between the two steps."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decorators import staff_required
from network.exceptions import MunicipalityImportRefused
from network.models import Municipality
from network.services.municipality_import import (
    MAX_BYTES,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    municipality_import_apply,
    municipality_import_preview,
    municipality_import_read,
)

SESSION_KEY = "network_municipality_import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "First row: the column names. CSV separated by semicolons or commas, UTF-8 or "
            "Windows-1252; at most 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={"required": gettext_lazy("Please choose a file.")},
    )


def _shown(name: str, value) -> str:
    """A value as the preview shows it: choices by their label, yes/no, empty as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = Municipality._meta.get_field(name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return str(value)


def _changes(preview) -> list[dict]:
    return [
        {
            "row": row,
            "changes": [
                (
                    Municipality._meta.get_field(name).verbose_name,
                    _shown(name, old),
                    _shown(name, new),
                )
                for name, (old, new) in row.changes.items()
            ],
        }
        for row in preview.changed
    ]


def _page(request, *, form, preview=None, errors=None, status=200):
    return render(
        request,
        "network/staff/municipality_import.html",
        {
            "form": form,
            "preview": preview,
            "changes": _changes(preview) if preview else [],
            "created": [
                {
                    "line": row.line,
                    "key": row.key,
                    "name": row.values["name"],
                    "kind": _shown("kind", row.values["kind"]),
                    "region": row.values["region"],
                    "cohort": _shown("cohort", row.values["cohort"]),
                }
                for row in (preview.created if preview else [])
            ],
            "line_errors": errors or [],
            "required_columns": REQUIRED_COLUMNS,
            "optional_columns": OPTIONAL_COLUMNS,
            "total": Municipality.objects.count(),
        },
        status=status,
    )


@staff_required
def municipality_import(request):
    if request.method != "POST":
        request.session.pop(SESSION_KEY, None)
        return _page(request, form=ImportForm())
    if request.POST.get("action") == "apply":
        return _apply(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        rows = municipality_import_read(name=upload.name, content=upload.read(MAX_BYTES + 1))
    except MunicipalityImportRefused as error:
        form.add_error("file", str(error))
        return _page(request, form=form, status=400)
    preview = municipality_import_preview(rows=rows)
    if preview.ok:
        request.session[SESSION_KEY] = rows
    else:
        request.session.pop(SESSION_KEY, None)
    return _page(request, form=ImportForm(), preview=preview, errors=preview.errors)


def _apply(request):
    rows = request.session.pop(SESSION_KEY, None)
    if not rows:
        messages.error(request, _("Please upload the file again: the preview has expired."))
        return redirect("network:municipality_import")
    try:
        done = municipality_import_apply(rows=rows)
    except MunicipalityImportRefused as error:
        messages.error(request, str(error))
        return _page(request, form=ImportForm(), errors=error.errors, status=400)
    messages.success(
        request,
        _("Import done: %(created)s created, %(changed)s changed, %(unchanged)s unchanged.")
        % {
            "created": len(done.created),
            "changed": len(done.changed),
            "unchanged": len(done.unchanged),
        },
    )
    return redirect("network:municipality_import")
