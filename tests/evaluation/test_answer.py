"""Answering a date's questionnaire: once per attendee, after the date, anonymously; every bad
input gets a German message and changes nothing."""

from datetime import timedelta

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tests.evaluation.conftest import GOOD, attendee, held_date
from tests.factories import CourseDateFactory, member
from training.evaluation import exceptions
from training.evaluation.models import (
    Answer,
    AnswerItem,
    EvaluationReceipt,
    Question,
    QuestionKind,
)
from training.evaluation.services import answer_submit, questionnaire_copy_for_course
from training.models import CourseDateStatus, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def _url(course_date) -> str:
    return reverse("evaluation:answer", kwargs={"pk": course_date.pk})


def _nothing_stored():
    assert Answer.objects.count() == 0
    assert AnswerItem.objects.count() == 0
    assert EvaluationReceipt.objects.count() == 0


def test_attendee_answers_once_and_the_answer_holds_no_person(client, held):
    person = attendee(held)
    client.force_login(person)
    page = client.get(_url(held))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<legend>Wie zufrieden sind Sie insgesamt mit der Veranstaltung?</legend>" in html
    assert "Was war besonders hilfreich?" in html and "Was sollten wir verbessern?" in html
    response = client.post(_url(held), GOOD, follow=True)
    assert "Vielen Dank! Ihre Antworten sind ohne Ihren Namen gespeichert." in (
        response.content.decode()
    )
    answer = Answer.objects.get()
    assert answer.course_date == held
    scores = dict(answer.items.filter(kind="scale").values_list("key", "score"))
    assert scores == {"overall": 5, "daily_work": 4, "trainers": 5, "organisation": 3}
    assert answer.items.get(key="helpful").text == "Die Beispiele aus Dortmund."
    assert EvaluationReceipt.objects.filter(course_date=held, user=person).count() == 1

    # A replay (the form sent again, a back button) changes nothing and says why.
    again = client.post(_url(held), {**GOOD, "overall": "1"})
    assert "Sie haben diesen Termin bereits bewertet" in again.content.decode()
    assert Answer.objects.count() == 1
    assert AnswerItem.objects.filter(key="overall").get().score == 5
    # The page itself now says thank you instead of showing the form.
    assert "bereits bewertet" in client.get(_url(held)).content.decode()


def test_a_replay_through_the_service_is_refused(held):
    person = attendee(held)
    scores = {"overall": 4, "daily_work": 4, "trainers": 4, "organisation": 4}
    answer_submit(course_date=held, user=person, scores=scores, texts={})
    with pytest.raises(exceptions.AlreadyAnswered):
        answer_submit(course_date=held, user=person, scores=scores, texts={})
    assert Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda d: (
                Registration.objects.create(
                    course_date=d, participant=member(), status=RegistrationStatus.CONFIRMED
                ).participant
            ),
            "Nur wer an diesem Termin teilgenommen hat, kann ihn bewerten.",
        ),
        (lambda d: member(), "Nur wer an diesem Termin teilgenommen hat, kann ihn bewerten."),
    ],
    ids=["registered-not-attended", "stranger"],
)
def test_someone_who_did_not_attend_is_refused(client, held, make, message):
    client.force_login(make(held))
    for response in (client.get(_url(held)), client.post(_url(held), GOOD)):
        assert response.status_code == 403
        assert message in response.content.decode()
    _nothing_stored()


def test_a_date_not_yet_held_cannot_be_evaluated(client):
    running = CourseDateFactory(
        start=timezone.now() - timedelta(hours=1), end=timezone.now() + timedelta(hours=2)
    )
    client.force_login(attendee(running))
    response = client.post(_url(running), GOOD)
    assert response.status_code == 403
    assert "erst bewerten, wenn er stattgefunden hat" in response.content.decode()
    _nothing_stored()


def test_a_cancelled_date_cannot_be_evaluated(client, held):
    person = attendee(held)
    held.status = CourseDateStatus.CANCELLED
    held.save()
    client.force_login(person)
    response = client.post(_url(held), GOOD)
    assert response.status_code == 403
    assert "abgesagt" in response.content.decode()
    _nothing_stored()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"overall": "9"}, "overall", "Bitte wählen Sie einen Wert von 1 bis 5."),
        ({"overall": "0"}, "overall", "Bitte wählen Sie einen Wert von 1 bis 5."),
        ({"overall": "gut"}, "overall", "Bitte wählen Sie einen Wert von 1 bis 5."),
        ({"trainers": ""}, "trainers", "Bitte wählen Sie einen Wert von 1 bis 5."),
        ({"improve": "x" * 2001}, "improve", "Bitte schreiben Sie höchstens 2000 Zeichen"),
        (
            {"helpful": "Toll <script>alert(1)</script>"},
            "helpful",
            "Bitte schreiben Sie reinen Text ohne HTML-Code",
        ),
    ],
    ids=["too-high", "too-low", "not-a-number", "missing", "too-long", "script"],
)
def test_bad_input_gets_a_german_message_and_changes_nothing(client, held, change, field, message):
    client.force_login(attendee(held))
    response = client.post(_url(held), {**GOOD, **change})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert "Bitte prüfen Sie Ihre Antworten: Es wurde noch nichts gespeichert." in html
    assert "<script>alert(1)</script>" not in html
    _nothing_stored()


def test_the_service_refuses_bad_values_itself(held):
    person = attendee(held)
    for scores, texts in (
        ({"overall": 6, "daily_work": 4, "trainers": 4, "organisation": 4}, {}),
        ({"overall": 4, "daily_work": 4, "trainers": 4}, {}),
        ({"overall": 4, "daily_work": 4, "trainers": 4, "organisation": 4}, {"helpful": "<b>"}),
    ):
        with pytest.raises(exceptions.InvalidAnswer):
            answer_submit(course_date=held, user=person, scores=scores, texts=texts)
    _nothing_stored()


def test_a_course_with_its_own_questionnaire_asks_its_questions(client):
    course_date = held_date()
    own = questionnaire_copy_for_course(course=course_date.course)
    assert [q.key for q in own.questions.all()] == [
        "overall",
        "daily_work",
        "trainers",
        "organisation",
        "helpful",
        "improve",
    ]
    own.questions.filter(key="organisation").delete()
    Question.objects.create(
        questionnaire=own, key="venue", kind=QuestionKind.SCALE, text="Wie war der Tagungsort?"
    )
    client.force_login(attendee(course_date))
    assert "Wie war der Tagungsort?" in client.get(_url(course_date)).content.decode()
    data = {**GOOD, "venue": "2"}
    del data["organisation"]
    client.post(_url(course_date), data)
    assert set(AnswerItem.objects.values_list("key", flat=True)) == {
        "overall",
        "daily_work",
        "trainers",
        "venue",
        "helpful",
        "improve",
    }


def test_no_field_or_order_links_an_answer_to_a_person(held):
    """The schema is the guarantee: no relation from an answer or its items to a user or a
    registration, no time, random keys; the receipt holds no time either."""
    for model, allowed in ((Answer, {"course_date"}), (AnswerItem, {"answer"})):
        relations = {f.name for f in model._meta.concrete_fields if f.is_relation}
        assert relations == allowed, model
        assert isinstance(model._meta.pk, models.UUIDField), model
        assert not [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField | models.DateTimeField | models.TimeField)
        ], model
        assert not model._meta.ordering
    receipt_fields = EvaluationReceipt._meta.concrete_fields
    assert not [f for f in receipt_fields if isinstance(f, models.DateField | models.DateTimeField)]
    assert {f.name for f in receipt_fields} == {"id", "course_date", "user"}

    # Receipts are made in answering order; the answers' keys are not in any order of time.
    people = [attendee(held) for _ in range(12)]
    scores = {"overall": 3, "daily_work": 3, "trainers": 3, "organisation": 3}
    made = []
    for person in people:
        made.append(answer_submit(course_date=held, user=person, scores=scores, texts={}).pk)
    by_key = list(Answer.objects.order_by("pk").values_list("pk", flat=True))
    assert by_key != made  # 1 in 12! that a random order matches the order of answering


def test_my_courses_asks_for_the_held_dates_attended_and_not_yet_answered(client, held):
    """ "My courses" links each held date the person attended and has not answered, and no
    other: not a date ahead, not a cancelled one, not one answered already."""
    person = attendee(held)
    ahead = CourseDateFactory(start=timezone.now() + timedelta(days=3))
    attendee(ahead, person)
    cancelled = held_date(status=CourseDateStatus.CANCELLED)
    attendee(cancelled, person)
    other = held_date()
    attendee(other)  # someone else's
    client.force_login(person)
    html = client.get(reverse("training:my_training")).content.decode()
    assert "Ihre Meinung, bitte" in html
    assert _url(held) in html
    for date in (ahead, cancelled, other):
        assert _url(date) not in html
    answer_submit(
        course_date=held,
        user=person,
        scores={"overall": 5, "daily_work": 4, "trainers": 5, "organisation": 3},
        texts={"helpful": "", "improve": ""},
    )
    html = client.get(reverse("training:my_training")).content.decode()
    assert _url(held) not in html and "Ihre Meinung, bitte" not in html
