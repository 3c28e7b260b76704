"""The public list of course dates and a date's page, with its registration form: a member
registers herself, a coordinator her municipality's people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.middleware import MFA_SETUP_NEXT_SESSION_KEY, redirect_to_mfa_setup, staff_needs_mfa
from core.selectors import user_has_staff_power
from network.selectors.memberships import user_is_coordinator, user_is_member, user_membership
from training.calendar import course_date_ical
from training.exceptions import TrainingError
from training.forms import DateFilterForm, RegisterPeopleForm, RegisterSelfForm
from training.models import CourseDate, Registration, RegistrationStatus
from training.selectors import (
    course_date_availability,
    course_date_live_participant_ids,
    course_date_municipality_seats,
    course_dates_annotated,
    course_dates_filtered,
    registrable_people,
    registration_waiting_standing,
    user_live_registration,
    user_may_see_online_link,
    with_standings,
)
from training.services.registration import (
    RegistrationOutcome,
    registration_create,
    registrations_create,
)

PAGE_SIZE = 25


# The list shows seats left, so a rendered list is kept only this long (as the CMS pages' seat
# fragments, cms.cache.SEATS_TTL): every visitor in those seconds gets the same HTML.
CATALOGUE_TTL = 5


def _catalogue(request) -> dict:
    """The filter form and one page of upcoming dates, filtered by module, format, region and
    month."""
    form = DateFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        course = form.cleaned_data.get("course")
        filters = {
            "course_id": course.pk if course else None,
            "format": form.cleaned_data.get("format") or None,
            "region": form.cleaned_data.get("region") or None,
            "month": form.month_tuple(),
        }
    elif form.is_bound:
        filters = {"course_id": -1}  # invalid filter: show nothing rather than everything
    page = Paginator(course_dates_filtered(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, course_date_availability(course_date=d)) for d in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "rows": rows, "query": query.urlencode()}


def date_list(request):
    """Upcoming dates, filterable by module, format, region and month. The same for everyone,
    so the template caches the rendered form and list for CATALOGUE_TTL seconds under the query
    string and language; the lazy catalogue runs its queries only when that cache misses."""
    return render(
        request,
        "training/date_list.html",
        {"catalogue": SimpleLazyObject(lambda: _catalogue(request)), "ttl": CATALOGUE_TTL},
    )


def _register_form(user, course_date: CourseDate | int, data=None):
    """A member registers herself (no choice to make); a coordinator chooses among her
    municipality's people those not yet registered for the date."""
    if not user_is_coordinator(user=user):
        return RegisterSelfForm(data)
    people = registrable_people(user=user)
    registered = course_date_live_participant_ids(course_date=course_date, people=people)
    offered = [person for person in people if person.pk not in registered]
    return RegisterPeopleForm(data, people=people, offered=offered)


def _date_context(request, course_date: CourseDate, form=None) -> dict:
    user = request.user
    registration = user_live_registration(user=user, course_date=course_date)
    can_register = (
        user.is_authenticated and user_is_member(user=user) and not course_date.is_cancelled
    )
    if can_register and form is None:
        form = _register_form(user, course_date)
    municipality_registrations_here = []
    membership = user_membership(user=user) if user.is_authenticated else None
    if membership is not None and user_is_coordinator(user=user):
        municipality_registrations_here = with_standings(
            Registration.objects.filter(
                course_date=course_date,
                municipality=membership.municipality,
                status__in=[
                    RegistrationStatus.CONFIRMED,
                    RegistrationStatus.WAITING,
                    RegistrationStatus.ATTENDED,
                ],
            ).select_related("participant")
        )
    municipality_seats = (
        course_date_municipality_seats(
            course_date=course_date, municipality=membership.municipality
        )
        if membership is not None and can_register
        else None
    )
    municipality_full = (
        municipality_seats is not None and municipality_seats >= course_date.max_per_municipality
    )
    return {
        "course_date": course_date,
        "course": course_date.course,
        "availability": course_date_availability(course_date=course_date),
        "registration": registration,
        "standing": (
            registration_waiting_standing(registration=registration) if registration else None
        ),
        "may_see_online_link": user.is_authenticated
        and user_may_see_online_link(user=user, course_date=course_date),
        "trainers": list(course_date.trainers.all()),
        "form": form,
        "can_register": can_register,
        # A member whose own registration is live has nothing to register; a coordinator may
        # still register colleagues.
        "show_register_form": can_register
        and (isinstance(form, RegisterPeopleForm) or registration is None or form.is_bound),
        "nobody_left": isinstance(form, RegisterPeopleForm)
        and not form.fields["participants"].choices,
        "municipality_full": municipality_full,
        "coordinator_registrations": municipality_registrations_here,
        "is_staff": user_has_staff_power(user=user),
    }


def _get_date(pk: int) -> CourseDate:
    queryset = course_dates_annotated(CourseDate.objects.select_related("course"))
    return get_object_or_404(queryset, pk=pk)


def date_detail(request, pk: int):
    course_date = _get_date(pk)
    return render(request, "training/date_detail.html", _date_context(request, course_date))


def date_ics(request, pk: int):
    course_date = _get_date(pk)
    with_link = request.user.is_authenticated and user_may_see_online_link(
        user=request.user, course_date=course_date
    )
    response = HttpResponse(
        course_date_ical(course_date=course_date, with_online_url=with_link),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="termin-{course_date.pk}.ics"'
    return response


def _outcome_message(registration: Registration) -> str:
    """What became of a registration, as the person who made it is told."""
    name = registration.participant.display_name
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("%(name)s is registered. A confirmation is on its way.") % {"name": name}
    standing = getattr(registration, "standing_when_made", None) or (
        registration_waiting_standing(registration=registration)
    )
    if standing["blocked"]:
        return ngettext(
            "The municipality has taken its %(limit)s seat for this date: %(name)s is on the "
            "waiting list and gets a seat as soon as it becomes free.",
            "The municipality has taken its %(limit)s seats for this date: %(name)s is on the "
            "waiting list and gets a seat as soon as one of them becomes free.",
            standing["limit"],
        ) % {"name": name, "limit": standing["limit"]}
    return _(
        "The date is full: %(name)s is on the waiting list, position %(position)s. "
        "We will write as soon as a seat is free."
    ) % {"name": name, "position": standing["position"]}


def _report(request, registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _outcome_message(registration))
    else:
        messages.warning(request, _outcome_message(registration))


@login_required
@require_POST
def register(request, pk: int):
    # Reads nothing of the date itself: the service reads it under its lock (404 when there is
    # none), and the page's counts (_get_date) only when the form comes back with an error.
    date_url = reverse("training:date_detail", kwargs={"pk": pk})
    if staff_needs_mfa(request):
        # Landesjugendamt staff register others, a staff power: first the second factor, then
        # back to the date (the POST is not repeated).
        response = redirect_to_mfa_setup(request)
        request.session[MFA_SETUP_NEXT_SESSION_KEY] = date_url
        return response
    if not user_is_member(user=request.user):
        raise PermissionDenied
    form = _register_form(request.user, pk, request.POST)
    if form.is_valid():
        notes = form.cleaned_data["notes"]
        try:
            if isinstance(form, RegisterPeopleForm):
                outcomes = registrations_create(
                    course_date=pk,
                    participants=form.participants(),
                    by=request.user,
                    notes=notes,
                )
            else:
                outcomes = [
                    RegistrationOutcome(
                        participant=request.user,
                        registration=registration_create(
                            course_date=pk,
                            participant=request.user,
                            by=request.user,
                            notes=notes,
                        ),
                    )
                ]
        except CourseDate.DoesNotExist as missing:
            raise Http404 from missing
        except TrainingError as error:
            form.add_error(None, str(error))
        else:
            for outcome in outcomes:
                if outcome.registration is not None:
                    _report(request, outcome.registration)
                else:
                    messages.error(
                        request,
                        _("%(name)s is not registered: %(reason)s")
                        % {"name": outcome.participant.display_name, "reason": outcome.error},
                    )
            return redirect(date_url)
    context = _date_context(request, _get_date(pk), form=form)
    # Someone the user may not register (another municipality's staff) is a refusal, not a typo.
    refused = form.has_error("participants", code="invalid_choice")
    return render(request, "training/date_detail.html", context, status=403 if refused else 400)
