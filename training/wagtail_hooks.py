"""Courses and course dates in the Wagtail admin, where staff also edit the curriculum.

Edits of a course date go through training.services.course_dates.course_date_save, which keeps
the seat rules (no capacity below the seats taken, promotion on more seats, mail on a changed time
or venue).
Cancelling a whole date is a separate staff action on the participant list.
"""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from core.selectors import user_has_staff_power
from training.exceptions import TrainingError
from training.models import Course, CourseDate, Trainer
from training.selectors import (
    courses_user_may_schedule,
    trainers_offered,
    user_may_administer_course_date,
)
from training.services.course_dates import course_date_save


class _CourseDateFormMixin:
    """The pickers offer only what the person may choose: trainers from the trainer list (never
    arbitrary accounts), courses of their own Landesjugendamt (unless granted the other's)."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        instance = form.instance if form.instance.pk else None
        form.fields["trainers"].queryset = trainers_offered(course_date=instance)
        form.fields["course"].queryset = courses_user_may_schedule(
            user=self.request.user, course_date=instance
        )
        return form


class _CourseDateSaveMixin(_CourseDateFormMixin):
    def save_instance(self):
        instance = self.form.save(commit=False)
        course_date_save(course_date=instance, by=self.request.user)
        self.form.save_m2m()
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except TrainingError as error:
            form.add_error(None, str(error))
            self.produced_error_message = str(error)
            return self.form_invalid(form)


class CourseDateCreateView(_CourseDateSaveMixin, generic.CreateView):
    pass


class CourseDateEditView(_CourseDateSaveMixin, generic.EditView):
    def get_object(self, queryset=None):
        course_date = super().get_object(queryset)
        if not user_may_administer_course_date(user=self.request.user, course_date=course_date):
            raise PermissionDenied
        return course_date

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Participants"),
                url=reverse("training:staff_participants", args=[self.object.pk]),
                icon_name="group",
            ),
        ]


class CourseDateDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        course_date = super().get_object(queryset)
        if not user_may_administer_course_date(user=self.request.user, course_date=course_date):
            raise PermissionDenied
        return course_date


class TrainerViewSet(ModelViewSet):
    model = Trainer
    icon = "user"
    menu_label = _("Trainers")
    form_fields = ["name", "organisation", "user", "active"]
    list_display = ["name", "organisation", "active"]
    list_filter = ["active"]
    search_fields = ["name", "organisation"]
    copy_view_enabled = False
    inspect_view_enabled = False


class CourseViewSet(ModelViewSet):
    model = Course
    icon = "doc-full"
    menu_label = _("Courses")
    form_fields = ["kind", "title", "summary", "target_group", "format", "provider", "hours"]
    list_display = ["title", "kind", "format", "provider", "hours"]
    list_filter = ["kind", "format", "provider"]
    search_fields = ["title", "summary"]
    copy_view_enabled = False


class CourseDateViewSet(ModelViewSet):
    model = CourseDate
    icon = "date"
    menu_label = _("Course dates")
    add_view_class = CourseDateCreateView
    edit_view_class = CourseDateEditView
    delete_view_class = CourseDateDeleteView
    form_fields = [
        "course",
        "start",
        "end",
        "venue_name",
        "venue_address",
        "online_url",
        "hours",
        "capacity",
        "max_per_municipality",
        "registration_opens",
        "registration_closes",
        "cancellation_deadline",
        "trainers",
        "information",
    ]
    list_display = [
        "course",
        "start",
        "capacity",
        Column("lifecycle_label", label=_("Status"), accessor="lifecycle_label"),
    ]
    list_filter = ["status", "course"]
    copy_view_enabled = False


class TrainingViewSetGroup(ModelViewSetGroup):
    menu_label = _("Training")
    menu_icon = "date"
    menu_order = 250
    items = (
        CourseViewSet("courses"),
        CourseDateViewSet("course_dates"),
        TrainerViewSet("trainers"),
    )


@hooks.register("register_admin_viewset")
def register_viewset():
    return TrainingViewSetGroup()


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_staff_power(user=request.user)


@hooks.register("register_admin_menu_item")
def register_course_administration_menu_item():
    return _StaffMenuItem(
        _("Course administration"),
        reverse("training:staff_home"),
        icon_name="calendar",
        order=249,
    )
