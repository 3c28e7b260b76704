"""Staff edit a course's questionnaire in the Wagtail admin: a new one starts as a copy of the
standard questions; members cannot reach it."""

import pytest
from django.urls import reverse

from tests.evaluation.conftest import attendee, held_date
from tests.factories import CourseFactory, StaffFactory, member
from training.evaluation.models import Questionnaire
from training.evaluation.selectors import questionnaire_for

pytestmark = pytest.mark.django_db


def _inline(prefix: str, forms: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(forms)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(forms):
        for key, value in form.items():
            data[f"{prefix}-{index}-{key}"] = value
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-DELETE"] = ""
        data[f"{prefix}-{index}-id"] = ""
    return data


def test_a_new_course_questionnaire_starts_as_a_copy_of_the_standard(client):
    course = CourseFactory(title="Frühe Hilfen kompakt")
    client.force_login(StaffFactory())
    url = reverse("evaluation_questionnaires:add")
    assert client.get(url).status_code == 200
    response = client.post(url, {"course": course.pk, "intro": "", **_inline("questions", [])})
    assert response.status_code == 302, response.content.decode()[:2000]
    own = Questionnaire.objects.get(course=course)
    standard = Questionnaire.objects.get(course__isnull=True)
    assert [(q.key, q.text) for q in own.questions.all()] == [
        (q.key, q.text) for q in standard.questions.all()
    ]
    assert questionnaire_for(course=course) == own
    # Another course still asks the standard questions.
    assert questionnaire_for(course=CourseFactory()) == standard


def test_a_questionnaire_with_its_own_questions(client):
    course_date = held_date()
    client.force_login(StaffFactory())
    questions = [
        {
            "key": "overall",
            "kind": "scale",
            "text": "Insgesamt?",
            "low_label": "",
            "high_label": "",
        },
        {"key": "ideas", "kind": "text", "text": "Ihre Ideen?", "low_label": "", "high_label": ""},
    ]
    response = client.post(
        reverse("evaluation_questionnaires:add"),
        {"course": course_date.course_id, "intro": "", **_inline("questions", questions)},
    )
    assert response.status_code == 302
    person = attendee(course_date)
    client.force_login(person)
    html = client.get(reverse("evaluation:answer", args=[course_date.pk])).content.decode()
    assert "Insgesamt?" in html and "Ihre Ideen?" in html
    assert "Wie zufrieden sind Sie insgesamt" not in html


def test_members_cannot_edit_questionnaires(client):
    client.force_login(member())
    response = client.get(reverse("evaluation_questionnaires:index"))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/konto/login/" in response["Location"] or "/admin/login/" in response["Location"]
