"""Courses and course dates in the Wagtail admin, where staff also edit the curriculum.

Edits of a course date go through training.services.course_dates.course_date_save, which keeps
the seat rules (no capacity below the seats taken, promotion on more seats, mail on a changed time
or venue).
Cancelling a whole date is a separate staff action on the participant list.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from training.exceptions import TrainingError
from training.models import Course, CourseDate
from training.services.course_dates import course_date_save


class _CourseDateSaveMixin:
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
    pass


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
        "trainer_names",
        "information",
    ]
    list_display = ["course", "start", "capacity", "status"]
    list_filter = ["status", "course"]
    copy_view_enabled = False


class TrainingViewSetGroup(ModelViewSetGroup):
    menu_label = _("Training")
    menu_icon = "date"
    menu_order = 250
    items = (CourseViewSet("courses"), CourseDateViewSet("course_dates"))


@hooks.register("register_admin_viewset")
def register_viewset():
    return TrainingViewSetGroup()
