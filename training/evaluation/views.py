"""The questionnaire for attendees, and the results for Landesjugendamt staff and trainers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.decorators import staff_required
from core.middleware import redirect_to_mfa_setup, staff_needs_mfa
from core.selectors import user_is_landesjugendamt_staff
from training.evaluation import exceptions
from training.evaluation.export import results_xlsx
from training.evaluation.forms import AnswerForm
from training.evaluation.selectors import (
    answers_in_scope,
    evaluation_check,
    evaluation_results,
    questionnaire_for,
    result_dates,
    result_years,
    user_may_see_all_results,
    user_may_see_results,
    visible_result_dates,
)
from training.evaluation.services import answer_submit
from training.models import Course, CourseDate, Provider
from training.selectors import user_administered_providers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATES_PER_PAGE = 50


def _course_date(pk: int) -> CourseDate:
    return get_object_or_404(CourseDate.objects.select_related("course"), pk=pk)


@login_required
def answer(request, pk: int):
    """The questionnaire of a held date, for those who attended it and have not answered."""
    course_date = _course_date(pk)
    try:
        evaluation_check(course_date=course_date, user=request.user)
    except exceptions.AlreadyAnswered as error:
        return render(
            request, "evaluation/unavailable.html", {"course_date": course_date, "reason": error}
        )
    except exceptions.EvaluationError as error:
        return render(
            request,
            "evaluation/unavailable.html",
            {"course_date": course_date, "reason": error},
            status=403,
        )
    questionnaire = questionnaire_for(course=course_date.course)
    form = AnswerForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            answer_submit(
                course_date=course_date,
                user=request.user,
                scores=form.scores(),
                texts=form.texts(),
            )
        except exceptions.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Thank you! Your answers have been saved without your name."),
            )
            return redirect("training:my_training")
    return render(
        request,
        "evaluation/answer.html",
        {"course_date": course_date, "questionnaire": questionnaire, "form": form},
    )


def _refuse(request, course_date: CourseDate | None = None):
    """Staff without their second factor are sent to set it up; everybody else is refused."""
    if user_is_landesjugendamt_staff(user=request.user) and staff_needs_mfa(request):
        return redirect_to_mfa_setup(request)
    raise PermissionDenied


@login_required
def date_results(request, pk: int):
    course_date = _course_date(pk)
    if not user_may_see_results(user=request.user, course_date=course_date):
        return _refuse(request)
    results = evaluation_results(answers=answers_in_scope(course_date=course_date))
    return render(
        request,
        "evaluation/date_results.html",
        {"course_date": course_date, "results": results},
    )


def _date_title(course_date: CourseDate) -> str:
    local = timezone.localtime(course_date.start)
    return f"{course_date.course.title}, {local:%d.%m.%Y}"


@login_required
def date_results_xlsx(request, pk: int):
    course_date = _course_date(pk)
    if not user_may_see_results(user=request.user, course_date=course_date):
        return _refuse(request)
    results = evaluation_results(answers=answers_in_scope(course_date=course_date))
    content = results_xlsx(results, title=_date_title(course_date))
    name = f"evaluation-{course_date.pk}-{timezone.localtime(course_date.start):%Y-%m-%d}"
    return _xlsx_response(content, name)


def _xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


class ResultFilter(forms.Form):
    jahr = forms.TypedChoiceField(label=gettext_lazy("Year"), required=False, coerce=int)
    anbieter = forms.ChoiceField(label=gettext_lazy("Provider"), required=False)
    kurs = forms.TypedChoiceField(label=gettext_lazy("Course"), required=False, coerce=int)

    def __init__(
        self,
        *args,
        years: list[int],
        courses: list[tuple[int, str]],
        providers: frozenset[str],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["jahr"].choices = [("", _("all years"))] + [(y, str(y)) for y in years]
        # Staff choose among the Landesjugendämter whose dates they administer.
        offered = [(value, label) for value, label in Provider.choices if value in providers]
        self.fields["anbieter"].choices = [("", _("all providers")), *offered]
        self.fields["kurs"].choices = [("", _("all courses")), *courses]

    def scope(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "year": self.cleaned_data["jahr"] or None,
            "provider": self.cleaned_data["anbieter"] or None,
            "course_id": self.cleaned_data["kurs"] or None,
        }


def _filter(request) -> ResultFilter:
    courses = list(
        Course.objects.filter(dates__end__lte=timezone.now())
        .distinct()
        .order_by("title")
        .values_list("pk", "title")
    )
    return ResultFilter(
        request.GET,
        years=result_years(user=request.user),
        courses=courses,
        providers=user_administered_providers(user=request.user),
    )


def _scope_title(scope: dict, courses: dict[int, str]) -> str:
    parts = []
    if scope.get("course_id"):
        parts.append(courses.get(scope["course_id"], ""))
    if scope.get("provider"):
        parts.append(scope["provider"])
    if scope.get("year"):
        parts.append(str(scope["year"]))
    return " · ".join(parts) if parts else _("All dates")


@login_required
def results_index(request):
    """The held dates whose results the person may see, with the number of answers; for staff
    also the results of all of them, of a module, a provider or a year."""
    staff = user_may_see_all_results(user=request.user)
    if not staff:
        if user_is_landesjugendamt_staff(user=request.user):
            return _refuse(request)
        if not result_dates(user=request.user).exists():
            raise PermissionDenied
    form = _filter(request)
    scope = form.scope()
    dates = result_dates(user=request.user, **scope)
    page = Paginator(dates, DATES_PER_PAGE).get_page(request.GET.get("seite"))
    results = (
        evaluation_results(
            answers=answers_in_scope(dates=visible_result_dates(user=request.user), **scope)
        )
        if staff
        else None
    )
    courses = dict(form.fields["kurs"].choices[1:])
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "evaluation/index.html",
        {
            "form": form,
            "page": page,
            "results": results,
            "scope_title": _scope_title(scope, courses),
            "query": query.urlencode(),
            "staff": staff,
        },
    )


@staff_required
def results_index_xlsx(request):
    form = _filter(request)
    scope = form.scope()
    courses = dict(form.fields["kurs"].choices[1:])
    answers = answers_in_scope(dates=visible_result_dates(user=request.user), **scope)
    results = evaluation_results(answers=answers)
    title = _("Evaluation: %(scope)s") % {"scope": _scope_title(scope, courses)}
    return _xlsx_response(results_xlsx(results, title=title), "evaluation")
