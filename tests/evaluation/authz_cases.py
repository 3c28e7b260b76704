"""Evaluation URLs in the authorisation table: only attendees answer, only staff and the date's
trainers see results, only staff see results across dates."""

from datetime import timedelta

from django.utils import timezone

from tests.authz import AuthzCase, World
from tests.factories import CourseDateFactory
from training.evaluation.models import Answer, EvaluationReceipt
from training.models import Registration, RegistrationStatus


def _held(world: World):
    """A date held yesterday that Dortmund's Fachkraft attended."""

    def make(w: World):
        start = timezone.now() - timedelta(days=1, hours=4)
        course_date = CourseDateFactory(start=start, end=start + timedelta(hours=3))
        Registration.objects.create(
            course_date=course_date,
            participant=w.dortmund_staff,
            municipality=w.dortmund,
            status=RegistrationStatus.ATTENDED,
            attendance_marked_at=timezone.now(),
        )
        return course_date

    return world.get("evaluation_held", make)


def _nothing_answered(world: World) -> None:
    assert not Answer.objects.filter(course_date=_held(world)).exists()
    assert not EvaluationReceipt.objects.exists()


ANSWER = {
    "overall": "5",
    "daily_work": "5",
    "trainers": "5",
    "organisation": "5",
    "helpful": "",
    "improve": "",
}

CASES = [
    AuthzCase(
        "evaluation_answer_form",
        lambda w: f"/fortbildung/evaluation/termine/{_held(w).pk}/",
        other_municipality=True,
        allowed="dortmund_staff",
        refused_to=("dortmund_coordinator", "lja_staff"),
    ),
    AuthzCase(
        "evaluation_answer_post",
        lambda w: f"/fortbildung/evaluation/termine/{_held(w).pk}/",
        method="post",
        data=ANSWER,
        other_municipality=True,
        refused_to=("dortmund_coordinator", "koeln_staff", "lja_staff"),
        unchanged=_nothing_answered,
    ),
    AuthzCase(
        "evaluation_date_results",
        lambda w: f"/fortbildung/evaluation/termine/{_held(w).pk}/ergebnisse/",
        other_municipality=True,
        allowed="lja_staff",
        refused_to=("dortmund_staff", "dortmund_coordinator", "koeln_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "evaluation_date_results_xlsx",
        lambda w: f"/fortbildung/evaluation/termine/{_held(w).pk}/ergebnisse.xlsx",
        other_municipality=True,
        allowed="lja_staff",
        refused_to=("dortmund_staff", "dortmund_coordinator", "koeln_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "evaluation_results_index",
        lambda w: "/fortbildung/evaluation/",
        other_municipality=True,
        allowed="lja_staff",
        refused_to=("dortmund_staff", "dortmund_coordinator", "koeln_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "evaluation_results_xlsx",
        lambda w: "/fortbildung/evaluation/ergebnisse.xlsx",
        other_municipality=True,
        allowed="lja_staff",
        refused_to=("dortmund_staff", "dortmund_coordinator", "koeln_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "evaluation_questionnaires_admin",
        lambda w: "/admin/evaluation_questionnaires/",
        allowed="lja_staff",
        refused_to=("dortmund_staff", "dortmund_coordinator"),
        staff_power=True,
    ),
]


# LVR's staff see the results of LVR's dates only; LWL's date (taught by Dortmund's Fachkraft)
# is for LWL's staff and its trainer.
def _lwl_held(world: World):
    def make(w: World):
        from training.models import Trainer

        start = timezone.now() - timedelta(days=1, hours=4)
        course_date = CourseDateFactory(
            course__provider="LWL", start=start, end=start + timedelta(hours=3)
        )
        course_date.trainers.add(Trainer.objects.create(name="Referent LWL", user=w.dortmund_staff))
        return course_date

    return world.get("evaluation_lwl_held", make)


CASES += [
    AuthzCase(
        "evaluation_date_results_of_the_other_provider",
        lambda w: f"/fortbildung/evaluation/termine/{_lwl_held(w).pk}/ergebnisse/",
        allowed="lwl_staff",
        refused_to=("lja_staff", "koeln_staff", "dortmund_coordinator"),
        staff_power=True,
    ),
    AuthzCase(
        "evaluation_date_results_xlsx_of_the_other_provider",
        lambda w: f"/fortbildung/evaluation/termine/{_lwl_held(w).pk}/ergebnisse.xlsx",
        allowed="dortmund_staff",  # its trainer
        refused_to=("lja_staff", "koeln_staff", "dortmund_coordinator"),
        staff_power=True,
    ),
]
