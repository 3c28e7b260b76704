"""Staff reports: participation, fill rates, waiting lists, certificates — the numbers the
Landesjugendämter report on every year — plus the tabular exports (CSV, XLSX)."""

import csv
import io
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from network.models import Region
from training.models import (
    SEAT_STATUSES,
    Certificate,
    CertificateStatus,
    CourseDate,
    Registration,
    RegistrationStatus,
)
from training.selectors import course_dates_annotated


@dataclass
class Report:
    key: str
    title: str
    description: str
    columns: list[str]
    rows: list[list]
    # Which column the chart shows, and which column names the bars.
    chart_column: int
    label_column: int = 0

    def chart(self, *, bar_height: int = 28, width: int = 640) -> dict:
        """Geometry of a horizontal bar chart the template draws as SVG."""
        label_width = 260
        values = [float(row[self.chart_column] or 0) for row in self.rows]
        top = max(values, default=0) or 1
        bars = []
        for index, (row, value) in enumerate(zip(self.rows, values, strict=True)):
            length = int((width - label_width - 70) * value / top)
            bars.append(
                {
                    "label": str(row[self.label_column])[:40],
                    "value": row[self.chart_column],
                    "y": index * bar_height,
                    "text_y": index * bar_height + bar_height // 2 + 5,
                    "width": max(length, 1) if value else 0,
                    "value_x": label_width + length + 6,
                }
            )
        return {
            "bars": bars,
            "width": width,
            "height": max(len(bars), 1) * bar_height,
            "label_width": label_width,
            "bar_height": bar_height - 8,
        }


def _year_filter(year: int | None, field: str) -> Q:
    return Q(**{f"{field}__year": year}) if year else Q()


def participation_by_municipality(*, year: int | None = None) -> Report:
    rows = (
        Registration.objects.filter(
            _year_filter(year, "course_date__start"),
            status__in=SEAT_STATUSES,
            municipality__isnull=False,
        )
        .values("municipality__name", "municipality__region")
        .annotate(
            seats=Count("pk"),
            attended=Count("pk", filter=Q(status=RegistrationStatus.ATTENDED)),
        )
        .order_by("-seats", "municipality__name")
    )
    regions = dict(Region.choices)
    return Report(
        key="kommunen",
        title=str(_("Participation per municipality")),
        description=str(_("Confirmed seats and attendances per programme municipality.")),
        columns=[str(_("Municipality")), str(_("Region")), str(_("Seats")), str(_("Attended"))],
        rows=[
            [
                r["municipality__name"],
                str(regions.get(r["municipality__region"], "")),
                r["seats"],
                r["attended"],
            ]
            for r in rows
        ],
        chart_column=2,
    )


def participation_by_region(*, year: int | None = None) -> Report:
    rows = (
        Registration.objects.filter(
            _year_filter(year, "course_date__start"),
            status__in=SEAT_STATUSES,
            municipality__isnull=False,
        )
        .values("municipality__region")
        .annotate(
            seats=Count("pk"),
            attended=Count("pk", filter=Q(status=RegistrationStatus.ATTENDED)),
            municipalities=Count("municipality", distinct=True),
        )
        .order_by("municipality__region")
    )
    regions = dict(Region.choices)
    return Report(
        key="regionen",
        title=str(_("Participation per region")),
        description=str(
            _("Confirmed seats, attendances and municipalities taking part per region.")
        ),
        columns=[
            str(_("Region")),
            str(_("Seats")),
            str(_("Attended")),
            str(_("Municipalities")),
        ],
        rows=[
            [
                str(regions.get(r["municipality__region"], r["municipality__region"])),
                r["seats"],
                r["attended"],
                r["municipalities"],
            ]
            for r in rows
        ],
        chart_column=1,
    )


def fill_rates(*, year: int | None = None) -> Report:
    dates = course_dates_annotated(
        CourseDate.objects.filter(_year_filter(year, "start")).select_related("course")
    ).order_by("start", "pk")
    rows = []
    for course_date in dates:
        local = timezone.localtime(course_date.start)
        rate = round(100 * course_date.seat_count / course_date.capacity)
        rows.append(
            [
                f"{course_date.course.title} ({date_format(local.date(), 'SHORT_DATE_FORMAT')})",
                course_date.capacity,
                course_date.seat_count,
                rate,
                course_date.waiting_count,
                course_date.get_status_display(),
            ]
        )
    return Report(
        key="auslastung",
        title=str(_("Fill rate and waiting list per date")),
        description=str(_("Seats taken as a share of the capacity (percent), and who waits.")),
        columns=[
            str(_("Date")),
            str(_("Capacity")),
            str(_("Seats taken")),
            str(_("Fill rate (%)")),
            str(_("Waiting list")),
            str(_("Status")),
        ],
        rows=rows,
        chart_column=3,
    )


def certificates_per_module(*, year: int | None = None) -> Report:
    rows = (
        Certificate.objects.filter(_year_filter(year, "issued_at"), status=CertificateStatus.VALID)
        .annotate(year=ExtractYear("issued_at"))
        .values("course_date__course__title", "year")
        .annotate(count=Count("pk"))
        .order_by("-year", "course_date__course__title")
    )
    return Report(
        key="bescheinigungen",
        title=str(_("Certificates per module and year")),
        description=str(_("Certificates of attendance issued, per course and year.")),
        columns=[str(_("Module")), str(_("Year")), str(_("Certificates"))],
        rows=[
            [f"{r['course_date__course__title']} {r['year']}", r["year"], r["count"]] for r in rows
        ],
        chart_column=2,
    )


REPORTS = {
    "kommunen": participation_by_municipality,
    "regionen": participation_by_region,
    "auslastung": fill_rates,
    "bescheinigungen": certificates_per_module,
}


# --- tabular exports ---------------------------------------------------------------------------


def _cell(value):
    """Spreadsheet programs run cells starting with = + - @ as formulas; quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(columns: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    # A BOM so spreadsheet programs read the umlauts as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(columns: list[str], rows: list[list], *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def participant_rows(registrations) -> tuple[list[str], list[list]]:
    regions = dict(Region.choices)
    columns = [
        str(_("Name")),
        str(_("E-mail")),
        str(_("Municipality")),
        str(_("Region")),
        str(_("Status")),
        str(_("Waiting position")),
        str(_("Registered at")),
        str(_("Registered by")),
        str(_("Notes")),
        str(_("Certificate number")),
    ]
    rows = []
    for r in registrations:
        rows.append(
            [
                r.participant.name or r.participant.display_name,
                r.participant.email,
                r.municipality.name if r.municipality else str(_("Landesjugendamt")),
                str(regions.get(r.municipality.region, "")) if r.municipality else "",
                r.get_status_display(),
                getattr(r, "queue_position", None) or "",
                timezone.localtime(r.created_at).strftime("%d.%m.%Y %H:%M"),
                r.registered_by.display_name if r.registered_by else "",
                r.notes,
                r.certificate_number or "",
            ]
        )
    return columns, rows
