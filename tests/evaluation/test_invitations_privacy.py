"""Invitations as a background job (once per person), and the person's data: the download
holds only that they were invited and answered; deleting the account keeps the answers."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.services import account_delete, account_export
from tests.evaluation.conftest import attendee, held_date
from tests.factories import CourseDateFactory, UserFactory, member
from training.evaluation.models import (
    Answer,
    AnswerItem,
    EvaluationInvitation,
    EvaluationReceipt,
)
from training.evaluation.services import answer_submit, invitations_send
from training.models import CourseDateStatus, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_attendees_are_invited_once_by_the_job(django_capture_on_commit_callbacks):
    course_date = held_date()
    first, second = attendee(course_date), attendee(course_date)
    Registration.objects.create(
        course_date=course_date, participant=member(), status=RegistrationStatus.CONFIRMED
    )
    cancelled = held_date(status=CourseDateStatus.CANCELLED)
    attendee(cancelled)
    old_start = timezone.now() - timedelta(days=45)
    attendee(CourseDateFactory(start=old_start, end=old_start + timedelta(hours=3)))
    upcoming = CourseDateFactory()
    attendee(upcoming)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_evaluation_invitations", stdout=out)
    assert "2 evaluation invitation(s) sent." in out.getvalue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    message = mail.outbox[0]
    assert "Wie war es? Evaluation" in message.subject
    assert f"/fortbildung/evaluation/termine/{course_date.pk}/" in message.body
    assert "ohne Ihren Namen gespeichert" in message.body

    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send() == 0
        call_command("send_evaluation_invitations", stdout=StringIO())
    assert len(mail.outbox) == 2
    assert EvaluationInvitation.objects.count() == 2


def test_someone_who_answered_already_is_not_invited(django_capture_on_commit_callbacks):
    course_date = held_date()
    person = attendee(course_date)
    answer_submit(
        course_date=course_date,
        user=person,
        scores={"overall": 4, "daily_work": 4, "trainers": 4, "organisation": 4},
        texts={},
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_send() == 0
    assert mail.outbox == []


def test_download_holds_only_that_the_person_answered_and_deletion_keeps_answers(
    django_capture_on_commit_callbacks,
):
    course_date = held_date()
    person = UserFactory(name="Zyprian Quastenflosser")
    attendee(course_date, person)
    others = [attendee(course_date) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        invitations_send()
    scores = {"overall": 2, "daily_work": 4, "trainers": 4, "organisation": 4}
    answer_submit(
        course_date=course_date,
        user=person,
        scores=scores,
        texts={"helpful": "Die Vorträge", "improve": "Mehr Pausen"},
    )
    for other in others:
        answer_submit(
            course_date=course_date,
            user=other,
            scores=scores,
            texts={"helpful": "Frau Zyprian Quastenflosser hat gut mitgemacht"},
        )

    data = account_export(user=person)["evaluation"]
    assert data["evaluation_answered"] == [
        {"course": course_date.course.title, "start": course_date.start.isoformat()}
    ]
    assert len(data["evaluation_invited"]) == 1
    flat = str(data)
    assert "Mehr Pausen" not in flat and "Die Vorträge" not in flat and "'score'" not in flat

    account_delete(user=person)
    assert not EvaluationReceipt.objects.filter(user=person).exists()
    assert not EvaluationInvitation.objects.filter(user=person).exists()
    assert Answer.objects.count() == 3
    assert AnswerItem.objects.filter(text="Mehr Pausen").exists()
    # A free text naming the person no longer does.
    assert not AnswerItem.objects.filter(text__contains="Quastenflosser").exists()


def test_the_privacy_notice_lists_the_evaluation(client):
    html = client.get("/datenschutz/").content.decode()
    assert "Evaluation von Kursterminen: dass Sie eingeladen wurden und dass Sie geantwortet" in (
        html
    )
    assert "bleiben in den Ergebnissen, wenn Sie Ihr Konto löschen" in html
