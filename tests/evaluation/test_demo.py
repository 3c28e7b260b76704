"""The demo's evaluation answers: every held date gets at least three, once."""

import pytest

from tests.evaluation.conftest import held_date
from tests.factories import CourseDateFactory
from training.evaluation import demo
from training.evaluation.models import Answer
from training.evaluation.selectors import answers_in_scope, evaluation_results

pytestmark = pytest.mark.django_db


def test_held_demo_dates_get_enough_answers_to_show_results():
    dates = [held_date(), held_date()]
    upcoming = CourseDateFactory()
    demo.load(password="x", log=lambda message: None)
    for course_date in dates:
        results = evaluation_results(answers=answers_in_scope(course_date=course_date))
        assert results.shown and results.answers >= 3
        assert {s.key for s in results.scales} == {
            "overall",
            "daily_work",
            "trainers",
            "organisation",
        }
    assert not Answer.objects.filter(course_date=upcoming).exists()
    count = Answer.objects.count()
    demo.load(password="x", log=lambda message: None)
    assert Answer.objects.count() == count
