"""Staff reports: participation, fill rates, waiting lists, certificates — the numbers the
Landesjugendämter report on every year — plus the tabular exports (CSV, XLSX)."""

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.charts import bar_chart
from network.models import Municipality, Region
from training.models import (
    SEAT_STATUSES,
    Certificate,
    CertificateStatus,
    CourseDate,
    CourseDateStatus,
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
    # Per row, the address its first cell links to (its dates, or its municipality).
    links: list[str] = field(default_factory=list)
    # The column whose value heads a group of rows (the region), if any.
    group_column: int | None = None

    def table(self) -> list[dict]:
        """Rows as the template shows them: cells, link, and the group they open, if any."""
        shown = []
        previous = object()
        for index, row in enumerate(self.rows):
            group = row[self.group_column] if self.group_column is not None else None
            shown.append(
                {
                    "cells": row,
                    "link": self.links[index] if index < len(self.links) else "",
                    "group": group if group != previous else None,
                }
            )
            previous = group
        return shown

    def chart(self, *, width: int = 640) -> dict:
        """The report's bar chart (core.charts, the one the evaluation draws too)."""
        return bar_chart(
            ((row[self.label_column], row[self.chart_column]) for row in self.rows), width=width
        )


def _year_filter(year: int | None, field: str) -> Q:
    return Q(**{f"{field}__year": year}) if year else Q()


def report_years() -> list[int]:
    """The years that have course dates, newest first: the only ones the filter offers."""
    return [day.year for day in CourseDate.objects.order_by().dates("start", "year", order="DESC")]


def participation_by_municipality(
    *, year: int | None = None, course_id: int | None = None
) -> Report:
    """Every programme municipality, with zeros where nobody took part, grouped by region."""
    seats_q = Q(training_registrations__status__in=SEAT_STATUSES) & _year_filter(
        year, "training_registrations__course_date__start"
    )
    rows = (
        Municipality.objects.filter(cohort__isnull=False)
        .annotate(
            seats=Count("training_registrations", filter=seats_q),
            attended=Count(
                "training_registrations",
                filter=seats_q & Q(training_registrations__status=RegistrationStatus.ATTENDED),
            ),
        )
        .order_by("region", "name")
        .values("name", "slug", "region", "seats", "attended")
    )
    regions = dict(Region.choices)
    matrix = reverse("training:staff_matrix")
    return Report(
        key="kommunen",
        title=str(_("Participation per municipality")),
        description=str(
            _("Confirmed seats and attendances of every programme municipality, by region.")
        ),
        columns=[str(_("Municipality")), str(_("Region")), str(_("Seats")), str(_("Attended"))],
        rows=[
            [r["name"], str(regions.get(r["region"], "")), r["seats"], r["attended"]] for r in rows
        ],
        links=[f"{matrix}?kommune={r['slug']}" for r in rows],
        chart_column=2,
        group_column=1,
    )


def participation_by_region(*, year: int | None = None, course_id: int | None = None) -> Report:
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


def participation_by_module(*, year: int | None = None, course_id: int | None = None) -> Report:
    """Per course (module) and year: dates held or planned, seats and attendances."""
    rows = (
        CourseDate.objects.filter(_year_filter(year, "start"))
        .exclude(status=CourseDateStatus.CANCELLED)
        .annotate(year=ExtractYear("start"))
        .values("course_id", "course__title", "year")
        .annotate(
            dates=Count("pk", distinct=True),
            seats=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
            attended=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED)
            ),
        )
        .order_by("-year", "course__title")
    )
    base = reverse("training:staff_reports")
    return Report(
        key="module",
        title=str(_("Participation per module and year")),
        description=str(_("Dates, confirmed seats and attendances per course and year.")),
        columns=[
            str(_("Module")),
            str(_("Year")),
            str(_("Dates")),
            str(_("Seats")),
            str(_("Attended")),
        ],
        rows=[
            [f"{r['course__title']} {r['year']}", r["year"], r["dates"], r["seats"], r["attended"]]
            for r in rows
        ],
        links=[f"{base}?jahr={r['year']}&kurs={r['course_id']}#h-auslastung" for r in rows],
        chart_column=4,
    )


def fill_rates(*, year: int | None = None, course_id: int | None = None) -> Report:
    queryset = CourseDate.objects.filter(_year_filter(year, "start")).select_related("course")
    if course_id:
        queryset = queryset.filter(course_id=course_id)
    dates = course_dates_annotated(queryset).with_lifecycle().order_by("start", "pk")
    rows, links = [], []
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
                str(course_date.lifecycle_label),
            ]
        )
        links.append(reverse("training:staff_participants", args=[course_date.pk]))
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
        links=links,
        chart_column=3,
    )


def certificates_per_module(*, year: int | None = None, course_id: int | None = None) -> Report:
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
    "module": participation_by_module,
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


# --- which staff still lack which module ------------------------------------------------------


class ModuleState:
    DONE = "done"
    BOOKED = "booked"
    MISSING = "missing"


MODULE_STATE_LABELS = {
    ModuleState.DONE: _("attended"),
    ModuleState.BOOKED: _("registered"),
    ModuleState.MISSING: _("missing"),
}


@dataclass
class MatrixRow:
    name: str
    function: str
    municipality: str
    cells: list[str]  # one ModuleState per module

    @property
    def missing(self) -> int:
        return self.cells.count(ModuleState.MISSING)


@dataclass
class ModuleMatrix:
    modules: list
    rows: list[MatrixRow]

    def export_rows(self) -> tuple[list[str], list[list]]:
        columns = [
            str(_("Municipality")),
            str(_("Name")),
            str(_("Function")),
            *[module.title for module in self.modules],
            str(_("Modules missing")),
        ]
        labels = {key: str(label) for key, label in MODULE_STATE_LABELS.items()}
        return columns, [
            [
                row.municipality,
                row.name,
                row.function,
                *[labels[cell] for cell in row.cells],
                row.missing,
            ]
            for row in self.rows
        ]


def module_matrix(*, municipalities, only_missing: bool = False) -> ModuleMatrix:
    """For each approved member of these municipalities, each Fortbildungsmodul: attended
    (a date of it marked attended), registered (a seat or a waiting place) or missing.
    Three queries, however many people, modules and registrations."""
    from network.models import Membership, MembershipStatus
    from training.models import LIVE_STATUSES, Course, CourseKind

    modules = list(Course.objects.filter(kind=CourseKind.FORTBILDUNGSMODUL).order_by("title"))
    memberships = list(
        Membership.objects.filter(
            status=MembershipStatus.APPROVED,
            municipality__in=municipalities,
            user__is_active=True,
        )
        .select_related("user", "municipality")
        .order_by("municipality__name", "user__name", "user__email")
    )
    states: dict[tuple[int, int], str] = {}
    for participant, course, status in Registration.objects.filter(
        participant__in=[m.user_id for m in memberships],
        course_date__course__in=modules,
        status__in=LIVE_STATUSES,
    ).values_list("participant_id", "course_date__course_id", "status"):
        if status == RegistrationStatus.ATTENDED:
            states[participant, course] = ModuleState.DONE
        else:
            states.setdefault((participant, course), ModuleState.BOOKED)
    rows = []
    for membership in memberships:
        user = membership.user
        row = MatrixRow(
            name=user.name or user.display_name,
            function=user.function,
            municipality=membership.municipality.name,
            cells=[states.get((user.pk, m.pk), ModuleState.MISSING) for m in modules],
        )
        if not only_missing or row.missing:
            rows.append(row)
    return ModuleMatrix(modules=modules, rows=rows)
