"""Which staff of which municipality still lack which module: for Landesjugendamt staff over
the municipalities of their region, for a coordinator over their own municipality."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.decorators import staff_required
from network.models import Municipality
from network.selectors.memberships import user_is_coordinator, user_membership
from training.reports import MODULE_STATE_LABELS, module_matrix, to_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff_municipalities(user):
    """The municipalities of the staff member's Landesjugendamt (all, for staff of neither)."""
    queryset = Municipality.objects.filter(memberships__isnull=False).distinct()
    if user.landesjugendamt:
        queryset = queryset.filter(region=user.landesjugendamt)
    return queryset.order_by("name")


def _xlsx(matrix, filename: str) -> HttpResponse:
    columns, rows = matrix.export_rows()
    response = HttpResponse(to_xlsx(columns, rows, title=_("Modules missing")), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _page(request, *, matrix, choices, chosen, export_url, staff):
    return render(
        request,
        "training/staff/matrix.html",
        {
            "matrix": matrix,
            "labels": MODULE_STATE_LABELS,
            "choices": choices,
            "chosen": chosen,
            "only_missing": request.GET.get("fehlend") == "1",
            "query": request.GET.urlencode(),
            "export_url": export_url,
            "staff": staff,
        },
    )


@staff_required
def staff_matrix(request, export: bool = False):
    choices = list(_staff_municipalities(request.user).values_list("slug", "name"))
    chosen = request.GET.get("kommune", "")
    municipalities = _staff_municipalities(request.user)
    if chosen in dict(choices):
        municipalities = municipalities.filter(slug=chosen)
    else:
        chosen = ""
    matrix = module_matrix(
        municipalities=municipalities, only_missing=request.GET.get("fehlend") == "1"
    )
    if export:
        return _xlsx(matrix, f"fehlende-module-{chosen or 'alle'}")
    return _page(
        request,
        matrix=matrix,
        choices=choices,
        chosen=chosen,
        export_url="training:staff_matrix_xlsx",
        staff=True,
    )


def coordinator_matrix(request, export: bool = False):
    if not request.user.is_authenticated or not user_is_coordinator(user=request.user):
        raise PermissionDenied
    municipality = user_membership(user=request.user).municipality
    matrix = module_matrix(
        municipalities=Municipality.objects.filter(pk=municipality.pk),
        only_missing=request.GET.get("fehlend") == "1",
    )
    if export:
        return _xlsx(matrix, f"fehlende-module-{municipality.slug}")
    return _page(
        request,
        matrix=matrix,
        choices=[],
        chosen=municipality.slug,
        export_url="training:coordinator_matrix_xlsx",
        staff=False,
    )
