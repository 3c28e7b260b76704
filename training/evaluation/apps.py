from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "training.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from django.urls import reverse

        from training.hooks import register_evaluation_results_url

        # The start page's "Review the evaluation" task leads to the date's results.
        register_evaluation_results_url(
            lambda course_date_id: reverse("evaluation:date_results", args=[course_date_id])
        )
