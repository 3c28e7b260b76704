"""Personal data held by the evaluation: that a person was invited and that they answered.

The answers themselves hold no personal data: they are stored without the person (see
training.evaluation.models) and stay when an account is deleted, since nothing links them to it.
"""

from django.utils.translation import gettext_lazy as _

from core.models import User
from core.privacy import forget_words
from training.evaluation.models import AnswerItem, EvaluationInvitation, EvaluationReceipt

RETENTION = [
    (
        _("Evaluation of course dates: that you were invited and that you answered"),
        _(
            "As long as the account exists, so that nobody is asked twice and nobody answers "
            "twice; deleted when you delete your account."
        ),
    ),
    (
        _("Your answers to an evaluation"),
        _(
            "Stored without your name or any link to you, so they are not personal data; they "
            "stay in the results when you delete your account."
        ),
    ),
]


def _date(course_date) -> dict:
    return {"course": course_date.course.title, "start": course_date.start.isoformat()}


def export(user: User) -> dict:
    """Only that the person was invited and answered: the answers cannot be found by person."""
    receipts = EvaluationReceipt.objects.filter(user=user).select_related("course_date__course")
    invitations = EvaluationInvitation.objects.filter(user=user).select_related(
        "course_date__course"
    )
    return {
        "evaluation_answered": [_date(r.course_date) for r in receipts],
        "evaluation_invited": [
            {**_date(i.course_date), "sent_at": i.sent_at.isoformat()} for i in invitations
        ],
    }


def erase(user: User) -> None:
    """Receipts and invitations go; the anonymous answers stay."""
    EvaluationReceipt.objects.filter(user=user).delete()
    EvaluationInvitation.objects.filter(user=user).delete()


def forget(*, words) -> None:
    """A free-text answer may name a person (a colleague, a trainer)."""
    forget_words(words=words, model=AnswerItem, fields=["text"])
