"""The evaluation of course dates: questionnaires, anonymous answers, and who was asked and who
answered.

Anonymity is a property of the schema, not of good manners in the code: an Answer and its items
hold no participant, no registration and no timestamp; their keys are random UUIDs, so neither id
order nor time joins them to the EvaluationReceipt that records that a person answered (which
itself holds no time). Receipt and answer are written in one transaction
(training.evaluation.services.answer_submit).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

SCALE_MIN = 1
SCALE_MAX = 5
# Results of fewer answers than this are not shown anywhere (page, XLSX, aggregates).
MIN_ANSWERS = 3
TEXT_MAX_LENGTH = 2000


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("scale 1–5")
    TEXT = "text", _("free text")


class Questionnaire(ClusterableModel):
    """The questions of a course's evaluation. The one without a course is the programme's
    standard questionnaire; a course's own starts as a copy of it."""

    course = models.OneToOneField(
        "training.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_questionnaire",
        verbose_name=_("course"),
        help_text=_("Empty: the programme's standard questionnaire, used by every other course."),
    )
    intro = models.TextField(
        _("introduction"),
        max_length=1000,
        blank=True,
        help_text=_("Shown above the questions."),
    )

    panels = [
        FieldPanel("course"),
        FieldPanel("intro"),
        InlinePanel(
            "questions",
            label=_("Questions"),
            help_text=_("Leave empty to start from a copy of the standard questions."),
        ),
    ]

    class Meta:
        verbose_name = _("evaluation questionnaire")
        verbose_name_plural = _("evaluation questionnaires")
        constraints = [
            # One questionnaire per course (the one-to-one), and one standard one.
            models.UniqueConstraint(
                Coalesce("course", Value(0)), name="one_standard_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        if self.course_id is None:
            return str(_("Standard questionnaire"))
        return str(self.course)


class Question(Orderable):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    # Answers are grouped by this key across courses (the standard questions keep theirs in every
    # copy), so a module's or a year's results add up the same question.
    key = models.SlugField(
        _("key"),
        max_length=40,
        help_text=_(
            "The same key on several questionnaires counts as the same question in the results."
        ),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.SCALE
    )
    text = models.CharField(_("question"), max_length=300)
    low_label = models.CharField(
        _("label of 1"), max_length=60, blank=True, help_text=_("Scales only, e.g. “very poor”.")
    )
    high_label = models.CharField(
        _("label of 5"), max_length=60, blank=True, help_text=_("Scales only, e.g. “very good”.")
    )

    panels = [
        FieldPanel("key"),
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("low_label"),
        FieldPanel("high_label"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="question_key_unique_per_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_scale(self) -> bool:
        return self.kind == QuestionKind.SCALE


class Answer(models.Model):
    """One person's anonymous answer to a date's questionnaire. No person, no time, a random key:
    see the module's docstring before adding a field."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course_date = models.ForeignKey(
        "training.CourseDate", on_delete=models.CASCADE, related_name="evaluation_answers"
    )

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")

    def __str__(self) -> str:
        return str(self.id)


class AnswerItem(models.Model):
    """The answer to one question, with the question as it was asked (key, kind, text), so later
    edits of the questionnaire do not change what was answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=8, choices=QuestionKind.choices)
    label = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("evaluation answer item")
        verbose_name_plural = _("evaluation answer items")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCALE_MIN, score__lte=SCALE_MAX),
                name="answer_item_score_in_scale",
            ),
            models.UniqueConstraint(fields=["answer", "key"], name="answer_item_once_per_key"),
        ]
        indexes = [models.Index(fields=["key", "score"], name="answer_item_key_score")]

    def __str__(self) -> str:
        return self.key


class EvaluationInvitation(models.Model):
    """That a person was invited to evaluate a date: the job sends the mail once per person."""

    course_date = models.ForeignKey(
        "training.CourseDate", on_delete=models.CASCADE, related_name="evaluation_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_invitations"
    )
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["course_date", "user"], name="one_evaluation_invitation_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_date}"


class EvaluationReceipt(models.Model):
    """That a person answered a date's questionnaire, and nothing else: no time, no answer."""

    course_date = models.ForeignKey(
        "training.CourseDate", on_delete=models.CASCADE, related_name="evaluation_receipts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_receipts"
    )

    class Meta:
        verbose_name = _("evaluation receipt")
        verbose_name_plural = _("evaluation receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["course_date", "user"], name="one_evaluation_answer_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_date}"
