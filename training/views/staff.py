"""Landesjugendamt staff pages: participant list with attendance, exports, reports."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import staff_required
from training.exceptions import TrainingError
from training.forms import MoveForm
from training.models import Course, CourseDate, Registration, RegistrationStatus
from training.reports import REPORTS, participant_rows, report_years, to_csv, to_xlsx
from training.selectors import (
    course_date_availability,
    course_date_participants,
    course_dates_annotated,
    user_may_edit_course_date,
)
from training.services.attendance import attendance_mark_many
from training.services.course_dates import course_date_cancel
from training.services.waiting_list import registration_move

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _course_date(pk: int) -> CourseDate:
    return get_object_or_404(
        course_dates_annotated(CourseDate.objects.select_related("course")), pk=pk
    )


@staff_required
def participants(request, pk: int):
    course_date = _course_date(pk)
    if request.method == "POST":
        ids = set()
        for value in request.POST.getlist("attended"):
            if value.isdigit():
                ids.add(int(value))
        try:
            changed = attendance_mark_many(
                course_date=course_date, by=request.user, attended_ids=ids
            )
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Attendance saved (%(count)s changed).") % {"count": len(changed)}
            )
        return redirect("training:staff_participants", pk=pk)
    registrations = list(course_date_participants(course_date=course_date))
    return render(
        request,
        "training/staff/participants.html",
        {
            "course_date": course_date,
            "availability": course_date_availability(course_date=course_date),
            "seats": [r for r in registrations if r.holds_seat],
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "has_begun": timezone.now() >= course_date.start,
            "may_edit": user_may_edit_course_date(user=request.user, course_date=course_date),
        },
    )


def _file_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@staff_required
def participants_export(request, pk: int, fmt: str):
    if fmt not in EXPORT_TYPES:
        raise Http404
    course_date = _course_date(pk)
    columns, rows = participant_rows(course_date_participants(course_date=course_date))
    name = f"teilnehmende-{course_date.pk}-{timezone.localtime(course_date.start):%Y-%m-%d}"
    if fmt == "csv":
        return _file_response(to_csv(columns, rows), fmt, name)
    return _file_response(to_xlsx(columns, rows, title=_("Participants")), fmt, name)


@staff_required
@require_POST
def date_cancel(request, pk: int):
    course_date = _course_date(pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please confirm that the whole date is to be cancelled."))
        return redirect("training:staff_participants", pk=pk)
    try:
        course_date_cancel(course_date=course_date, by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The date has been cancelled and everybody has been told."))
    return redirect("training:staff_participants", pk=pk)


@staff_required
@require_POST
def registration_move_view(request, pk: int):
    registration = get_object_or_404(Registration, pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a position of 1 or more."))
    else:
        try:
            registration_move(
                registration=registration, by=request.user, position=form.cleaned_data["position"]
            )
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The waiting list has been reordered."))
    return redirect("training:staff_participants", pk=registration.course_date_id)


def _year(request) -> int | None:
    value = request.GET.get("jahr", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


def _course(request) -> Course | None:
    value = request.GET.get("kurs", "")
    return Course.objects.filter(pk=int(value)).first() if value.isdigit() else None


@staff_required
def reports(request):
    year, course = _year(request), _course(request)
    course_id = course.pk if course else None
    built = [make(year=year, course_id=course_id) for make in REPORTS.values()]
    query = {"jahr": year or "", "kurs": course_id or ""}
    return render(
        request,
        "training/staff/reports.html",
        {
            "reports": [(report, report.chart()) for report in built],
            "year": year,
            "course": course,
            "years": report_years(),
            "query": urlencode({k: v for k, v in query.items() if v}),
        },
    )


@staff_required
def report_export(request, report: str, fmt: str):
    if report not in REPORTS or fmt not in EXPORT_TYPES:
        raise Http404
    course = _course(request)
    built = REPORTS[report](year=_year(request), course_id=course.pk if course else None)
    if fmt == "csv":
        return _file_response(to_csv(built.columns, built.rows), fmt, f"bericht-{report}")
    return _file_response(
        to_xlsx(built.columns, built.rows, title=built.title), fmt, f"bericht-{report}"
    )
