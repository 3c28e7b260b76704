"""Writes of the evaluation: answering, inviting, and a course's own questionnaire."""

import re
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.mail import Mail, enqueue_mails
from core.models import User
from training.evaluation import exceptions
from training.evaluation.models import (
    SCALE_MAX,
    SCALE_MIN,
    TEXT_MAX_LENGTH,
    Answer,
    AnswerItem,
    EvaluationInvitation,
    EvaluationReceipt,
    Question,
    Questionnaire,
)
from training.evaluation.selectors import evaluation_check, invitations_due, questionnaire_for
from training.models import Course, CourseDate

# A free text is shown as plain text, escaped; markup in it is refused rather than shown as
# code, so nobody's answer reads as a broken page.
MARKUP = re.compile(r"</?[a-zA-Z!?]")


def text_has_markup(text: str) -> bool:
    return bool(MARKUP.search(text))


def answer_submit(
    *,
    course_date: CourseDate,
    user: User,
    scores: dict[str, int],
    texts: dict[str, str],
    now: datetime | None = None,
) -> Answer:
    """Store one anonymous answer of an attendee of a held date, and separately that the person
    answered, in one transaction: once per person and date (the receipt's unique constraint
    refuses a replay, also a concurrent one). Every scale question needs a value from 1 to 5;
    free texts are optional, at most TEXT_MAX_LENGTH characters, without markup."""
    evaluation_check(course_date=course_date, user=user, now=now)
    questions: list[Question] = list(questionnaire_for(course=course_date.course).questions.all())
    items = []
    for position, question in enumerate(questions):
        if question.is_scale:
            value = scores.get(question.key)
            if not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX:
                raise exceptions.InvalidAnswer
            items.append(
                AnswerItem(
                    key=question.key,
                    kind=question.kind,
                    label=question.text,
                    position=position,
                    score=value,
                )
            )
        else:
            text = (texts.get(question.key) or "").strip()
            if len(text) > TEXT_MAX_LENGTH or text_has_markup(text):
                raise exceptions.InvalidAnswer
            items.append(
                AnswerItem(
                    key=question.key,
                    kind=question.kind,
                    label=question.text,
                    position=position,
                    text=text,
                )
            )
    with transaction.atomic():
        try:
            with transaction.atomic():
                EvaluationReceipt.objects.create(course_date=course_date, user=user)
        except IntegrityError:
            raise exceptions.AlreadyAnswered from None
        answer = Answer.objects.create(course_date=course_date)
        for item in items:
            item.answer = answer
        AnswerItem.objects.bulk_create(items)
    return answer


def invitation_mail(*, course_date: CourseDate, user: User) -> Mail:
    path = reverse("evaluation:answer", kwargs={"pk": course_date.pk})
    return Mail(
        template="evaluation/mail/invitation",
        to=[user.email],
        context={
            "course_date": course_date,
            "course": course_date.course,
            "participant": user,
            "answer_url": f"{settings.SITE_URL}{path}",
        },
        key=f"evaluation-invitation-{course_date.pk}-{user.pk}",
    )


def invitations_send(*, now: datetime | None = None) -> int:
    """Invite each attendee of a recently held date to the questionnaire, once: the invitation
    row (unique per person and date) and the mail are written in one transaction, and the mail
    carries a key of its own, so overlapping runs send one mail."""
    now = now or timezone.now()
    sent = 0
    for registration in invitations_due(now=now):
        with transaction.atomic():
            _, created = EvaluationInvitation.objects.get_or_create(
                course_date=registration.course_date,
                user=registration.participant,
                defaults={"sent_at": now},
            )
            if created:
                enqueue_mails(
                    [
                        invitation_mail(
                            course_date=registration.course_date, user=registration.participant
                        )
                    ]
                )
                sent += 1
    return sent


def questionnaire_copy_for_course(*, course: Course) -> Questionnaire:
    """The course's own questionnaire, made as a copy of the standard one if it has none."""
    with transaction.atomic():
        existing = Questionnaire.objects.filter(course=course).first()
        if existing is not None:
            return existing
        standard = questionnaire_for(course=course)
        copy = Questionnaire.objects.create(course=course, intro=standard.intro)
        questions_copy(source=standard, target=copy)
        return copy


def questions_copy(*, source: Questionnaire, target: Questionnaire) -> None:
    Question.objects.bulk_create(
        Question(
            questionnaire=target,
            sort_order=question.sort_order,
            key=question.key,
            kind=question.kind,
            text=question.text,
            low_label=question.low_label,
            high_label=question.high_label,
        )
        for question in source.questions.all()
    )
