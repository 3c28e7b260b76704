""" "Meine Termine als Referent/in": a trainer with a login sees the dates they teach and who
takes part (names and municipalities only: no e-mail, no notes)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from training.models import RegistrationStatus
from training.selectors import (
    course_date_participants,
    trainer_course_dates,
    user_is_trainer_account,
    user_is_trainer_of,
)


@login_required
def trainer_dates(request):
    dates = list(trainer_course_dates(request.user))
    if not dates and not user_is_trainer_account(user=request.user):
        raise PermissionDenied
    return render(request, "training/trainer/dates.html", {"dates": dates})


@login_required
def trainer_participants(request, pk: int):
    course_date = get_object_or_404(trainer_course_dates(request.user), pk=pk)
    if not user_is_trainer_of(user=request.user, course_date=course_date):
        raise PermissionDenied  # pragma: no cover - the queryset above already says so
    registrations = [
        {
            "name": r.participant.display_name,
            "municipality": r.municipality.name if r.municipality else "",
            "attended": r.status == RegistrationStatus.ATTENDED,
        }
        for r in course_date_participants(course_date=course_date)
        if r.holds_seat
    ]
    return render(
        request,
        "training/trainer/participants.html",
        {"course_date": course_date, "participants": registrations},
    )
