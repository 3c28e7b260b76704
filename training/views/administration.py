"""The course administration's start page for Landesjugendamt staff: their Landesjugendamt's
dates, upcoming and past, with fill rate, waiting list, status and what is left to do."""

from django.core.paginator import Paginator
from django.shortcuts import render

from core.decorators import staff_required
from training.forms import StaffDateFilterForm
from training.selectors import (
    course_date_open_tasks,
    course_date_years,
    staff_course_dates,
    user_administered_providers,
)

PAGE_SIZE = 25


def _filters(form: StaffDateFilterForm, user) -> dict:
    own = user.landesjugendamt or ""
    if not form.is_bound or not form.is_valid():
        return {"provider": own, "period": "upcoming"}
    data = form.cleaned_data
    provider = data.get("provider") or own
    course = data.get("course")
    return {
        "provider": "" if provider == "all" else provider,
        "course_id": course.pk if course else None,
        "format": data.get("format") or "",
        "lifecycle": data.get("status") or "",
        "period": data.get("period") or "upcoming",
        "year": data.get("year"),
    }


@staff_required
def home(request):
    form = StaffDateFilterForm(request.GET or None, years=course_date_years())
    filters = _filters(form, request.user)
    if not form.is_bound:
        form = StaffDateFilterForm(
            initial={"provider": filters["provider"] or "all", "period": "upcoming"},
            years=course_date_years(),
        )
    page = Paginator(staff_course_dates(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    administered = user_administered_providers(user=request.user)
    rows = []
    for course_date in page.object_list:
        # The other Landesjugendamt's dates are listed for planning, but only those the person
        # administers lead to their participant page and have tasks.
        own = course_date.course.provider in administered
        fill = (
            round(100 * course_date.seat_count / course_date.capacity)
            if course_date.capacity
            else 0
        )
        rows.append(
            {
                "date": course_date,
                "fill": fill,
                "administered": own,
                "tasks": course_date_open_tasks(course_date=course_date) if own else [],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/staff/home.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )
