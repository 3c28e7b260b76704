"""Landesjugendamt staff pages: participant list with attendance, exports, reports."""

from datetime import date
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.decorators import staff_required
from training.exceptions import TrainingError
from training.forms import MoveForm
from training.models import (
    Certificate,
    Course,
    CourseDate,
    CourseFormat,
    Registration,
    RegistrationStatus,
)
from training.reports import REPORTS, participant_rows, report_years, to_csv, to_xlsx
from training.selectors import (
    administered_q,
    course_date_attendance,
    course_date_attendance_version,
    course_date_availability,
    course_date_certificates,
    course_date_days,
    course_date_participants,
    course_dates_annotated,
    user_may_administer_course_date,
)
from training.services.attendance import attendance_record
from training.services.certificates import certificate_reissue, certificate_revoke
from training.services.course_dates import course_date_cancel
from training.services.waiting_list import registration_move
from training.signature_list import signature_list_pdf_bytes
from training.views.certificates import certificate_response

BERLIN = ZoneInfo("Europe/Berlin")

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _course_date(request, pk: int) -> CourseDate:
    """The date, if the person administers it (user_administered_providers); else 404, so the
    other Landesjugendamt's ids say nothing."""
    queryset = CourseDate.objects.filter(administered_q(user=request.user))
    return get_object_or_404(course_dates_annotated(queryset.select_related("course")), pk=pk)


def _present_marks(values: list[str]) -> set[tuple[int, date]] | None:
    """Checkbox values "<registration id>:<YYYY-MM-DD>"; None when one is malformed."""
    marks = set()
    for value in values:
        pk, _sep, day = value.partition(":")
        try:
            marks.add((int(pk), date.fromisoformat(day)))
        except ValueError:
            return None
    return marks


@staff_required
def participants(request, pk: int):
    course_date = _course_date(request, pk)
    if request.method == "POST":
        everybody = request.POST.get("action") == "all"
        present = None if everybody else _present_marks(request.POST.getlist("present"))
        if not everybody and present is None:
            messages.error(request, _("The attendance form was not filled in correctly."))
            return redirect("training:staff_participants", pk=pk)
        try:
            result = attendance_record(
                course_date=course_date,
                by=request.user,
                present=present,
                version=request.POST.get("version", ""),
            )
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Attendance saved: %(changed)s changed, %(issued)s certificates issued, "
                    "%(revoked)s revoked."
                )
                % {
                    "changed": len(result.changed),
                    "issued": len(result.issued),
                    "revoked": len(result.revoked),
                },
            )
        return redirect("training:staff_participants", pk=pk)
    registrations = list(course_date_participants(course_date=course_date))
    days = course_date_days(course_date=course_date)
    today = timezone.localdate(timezone.now(), timezone=BERLIN)
    marks = course_date_attendance(course_date=course_date)
    certificates = course_date_certificates(course_date=course_date)
    seats = []
    for registration in registrations:
        if not registration.holds_seat:
            continue
        recorded = marks.get(registration.pk, {})
        registration.days = [
            {"day": day, "present": recorded.get(day), "open": day <= today} for day in days
        ]
        registration.certificate = certificates.get(registration.pk)
        seats.append(registration)
    return render(
        request,
        "training/staff/participants.html",
        {
            "course_date": course_date,
            "availability": course_date_availability(course_date=course_date),
            "seats": seats,
            "waiting": [r for r in registrations if r.status == RegistrationStatus.WAITING],
            "has_begun": timezone.now() >= course_date.start,
            "may_edit": user_may_administer_course_date(user=request.user, course_date=course_date),
            "days": days,
            "version": course_date_attendance_version(course_date=course_date),
            "signature_list": course_date.course.format != CourseFormat.ONLINE,
        },
    )


@staff_required
def signature_list(request, pk: int):
    """The Unterschriftenliste to print before an in-person (or hybrid) date."""
    course_date = _course_date(request, pk)
    if course_date.course.format == CourseFormat.ONLINE:
        raise Http404
    content = signature_list_pdf_bytes(course_date=course_date)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"unterschriftenliste-{course_date.pk}-{timezone.localtime(course_date.start):%Y-%m-%d}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _certificate(request, pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.filter(
            administered_q(user=request.user, prefix="course_date__")
        ).select_related("registration__participant", "course_date__course", "issued_by"),
        pk=pk,
    )


@staff_required
def certificate_download(request, pk: int):
    certificate = _certificate(request, pk)
    if not certificate.is_valid or certificate.registration is None:
        raise Http404
    return certificate_response(certificate)


@staff_required
@require_POST
def certificate_reissue_view(request, pk: int):
    certificate = _certificate(request, pk)
    try:
        successor = certificate_reissue(certificate=certificate, by=request.user)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Certificate %(old)s has been replaced by %(new)s and the participant told.")
            % {"old": certificate.number, "new": successor.number},
        )
    return redirect("training:staff_participants", pk=certificate.course_date_id)


@staff_required
@require_POST
def certificate_revoke_view(request, pk: int):
    certificate = _certificate(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Please confirm that the certificate is to be revoked."))
    else:
        try:
            certificate_revoke(certificate=certificate, by=request.user)
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Certificate %(number)s has been revoked.") % {"number": certificate.number},
            )
    return redirect("training:staff_participants", pk=certificate.course_date_id)


def _file_response(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@staff_required
def participants_export(request, pk: int, fmt: str):
    if fmt not in EXPORT_TYPES:
        raise Http404
    course_date = _course_date(request, pk)
    columns, rows = participant_rows(course_date_participants(course_date=course_date))
    name = f"teilnehmende-{course_date.pk}-{timezone.localtime(course_date.start):%Y-%m-%d}"
    if fmt == "csv":
        return _file_response(to_csv(columns, rows), fmt, name)
    return _file_response(to_xlsx(columns, rows, title=_("Participants")), fmt, name)


@staff_required
@require_POST
def date_cancel(request, pk: int):
    course_date = _course_date(request, pk)
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
    registration = get_object_or_404(
        Registration.objects.filter(
            administered_q(user=request.user, prefix="course_date__")
        ).select_related("course_date__course"),
        pk=pk,
    )
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
