"""The questionnaires in the Wagtail admin (staff edit a course's questions there), and a menu
item leading to the results."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from core.selectors import user_has_staff_power
from training.evaluation.models import Questionnaire
from training.evaluation.services import questions_copy


class QuestionnaireCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        if not instance.questions.exists():
            standard = (
                Questionnaire.objects.filter(course__isnull=True)
                .exclude(pk=instance.pk)
                .prefetch_related("questions")
                .first()
            )
            if standard is not None:
                questions_copy(source=standard, target=instance)
        return instance


class QuestionnaireViewSet(ModelViewSet):
    model = Questionnaire
    icon = "form"
    menu_label = _("Evaluation questionnaires")
    add_to_admin_menu = False
    add_view_class = QuestionnaireCreateView
    list_display = ["__str__", "course"]
    search_fields = ["course__title"]
    copy_view_enabled = False


questionnaire_viewset = QuestionnaireViewSet("evaluation_questionnaires")


@hooks.register("register_admin_viewset")
def register_viewset():
    return questionnaire_viewset


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_staff_power(user=request.user)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return StaffMenuItem(
        _("Evaluation results"), reverse("evaluation:index"), icon_name="table", order=260
    )


@hooks.register("register_admin_menu_item")
def register_questionnaires_menu_item():
    return StaffMenuItem(
        _("Evaluation questionnaires"),
        reverse("evaluation_questionnaires:index"),
        icon_name="form",
        order=261,
    )
