"""Reads of the evaluation: who may answer, who may see results, and the results themselves."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import bar_chart
from core.models import User
from core.selectors import user_has_staff_power
from training.evaluation import exceptions
from training.evaluation.models import (
    MIN_ANSWERS,
    SCALE_MAX,
    SCALE_MIN,
    Answer,
    AnswerItem,
    EvaluationInvitation,
    EvaluationReceipt,
    QuestionKind,
    Questionnaire,
)
from training.models import CourseDate, CourseDateStatus, Registration, RegistrationStatus
from training.selectors import (
    administered_q,
    trainer_of_q,
    user_is_trainer_of,
    user_may_administer_course_date,
)

# Dates that ended longer ago than this get no invitation any more (a first deployment must not
# mail every attendee of past years).
INVITATION_WINDOW = timedelta(days=30)


def held_dates(*, now: datetime | None = None) -> QuerySet[CourseDate]:
    """The dates that have taken place (training's life cycle: held or closed)."""
    return CourseDate.objects.ended(now=now)


def questionnaire_for(*, course) -> Questionnaire:
    """The course's own questionnaire, else the programme's standard one; questions in order."""
    found = (
        Questionnaire.objects.filter(Q(course=course) | Q(course__isnull=True))
        .prefetch_related("questions")
        .order_by("course_id")  # NULLs last on PostgreSQL and first on SQLite: sorted below
    )
    by_course = {q.course_id: q for q in found}
    questionnaire = by_course.get(course.pk) or by_course.get(None)
    if questionnaire is None:
        raise exceptions.EvaluationError
    return questionnaire


def evaluation_check(*, course_date: CourseDate, user: User, now: datetime | None = None) -> None:
    """Raise the reason the person may not answer the date's questionnaire, if there is one:
    the date was cancelled or has not ended, the person did not attend, or has answered."""
    if course_date.status == CourseDateStatus.CANCELLED:
        raise exceptions.DateCancelled
    if not course_date.has_ended(now):
        raise exceptions.NotHeldYet
    if not Registration.objects.filter(
        course_date=course_date, participant=user, status=RegistrationStatus.ATTENDED
    ).exists():
        raise exceptions.NotAttended
    if EvaluationReceipt.objects.filter(course_date=course_date, user=user).exists():
        raise exceptions.AlreadyAnswered


def user_may_see_results(*, user: User | AnonymousUser, course_date: CourseDate) -> bool:
    """The staff who administer the date (training's rule, user_administered_providers) and
    the date's trainers."""
    return user_may_administer_course_date(
        user=user, course_date=course_date
    ) or user_is_trainer_of(user=user, course_date=course_date)


def user_may_see_all_results(*, user: User | AnonymousUser) -> bool:
    """Results across dates (module, provider, year): Landesjugendamt staff only, over the
    dates they administer (visible_result_dates)."""
    return user_has_staff_power(user=user)


def visible_result_dates(*, user: User | AnonymousUser, now: datetime | None = None):
    """The held dates whose results the person may see: those of the Landesjugendämter they
    administer, and those they teach. The one scope of every results page and export."""
    if not user.is_authenticated:
        return CourseDate.objects.none()
    return held_dates(now=now).filter(administered_q(user=user) | trainer_of_q(user=user))


def invitations_due(*, now: datetime | None = None) -> QuerySet[Registration]:
    """Attendees of dates held within the invitation window who were neither invited nor have
    answered."""
    now = now or timezone.now()
    invited = EvaluationInvitation.objects.filter(
        course_date=OuterRef("course_date"), user=OuterRef("participant")
    )
    answered = EvaluationReceipt.objects.filter(
        course_date=OuterRef("course_date"), user=OuterRef("participant")
    )
    return (
        Registration.objects.filter(
            status=RegistrationStatus.ATTENDED,
            participant__is_active=True,
            course_date__in=held_dates(now=now).filter(end__gte=now - INVITATION_WINDOW),
        )
        .exclude(Exists(invited))
        .exclude(Exists(answered))
        .select_related("course_date__course", "participant")
        .order_by("course_date_id", "pk")
    )


def dates_awaiting_answer(*, user: User, now: datetime | None = None) -> QuerySet[CourseDate]:
    """The held dates the person attended and has not evaluated yet."""
    answered = EvaluationReceipt.objects.filter(course_date=OuterRef("pk"), user=user)
    return (
        held_dates(now=now)
        .filter(registrations__participant=user, registrations__status=RegistrationStatus.ATTENDED)
        .exclude(Exists(answered))
        .select_related("course")
        .order_by("-start")
    )


def dates_awaiting_answer_among(
    *, user: User, registrations: list[Registration], now: datetime | None = None
) -> list[CourseDate]:
    """dates_awaiting_answer, for a page that has the person's registrations (with their dates
    and courses) already: the held dates among them that the person attended, less those
    answered, newest first. One small query, and none for someone who attended nothing."""
    now = now or timezone.now()
    attended = [
        r.course_date
        for r in registrations
        if r.participant_id == user.pk
        and r.status == RegistrationStatus.ATTENDED
        and r.course_date.has_ended(now)
    ]
    if not attended:
        return []
    answered = set(
        EvaluationReceipt.objects.filter(
            user=user, course_date_id__in=[d.pk for d in attended]
        ).values_list("course_date_id", flat=True)
    )
    return sorted(
        (d for d in attended if d.pk not in answered), key=lambda d: d.start, reverse=True
    )


# --- results ---------------------------------------------------------------------------------


@dataclass
class ScaleResult:
    key: str
    label: str
    position: int
    n: int = 0
    counts: dict[int, int] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.n >= MIN_ANSWERS

    @property
    def average(self) -> float | None:
        if not self.n:
            return None
        return sum(value * count for value, count in self.counts.items()) / self.n

    @property
    def distribution(self) -> list[dict]:
        """One row per scale value, best first: value, count, share in percent."""
        return [
            {
                "value": value,
                "count": self.counts.get(value, 0),
                "percent": round(100 * self.counts.get(value, 0) / self.n) if self.n else 0,
            }
            for value in range(SCALE_MAX, SCALE_MIN - 1, -1)
        ]

    @property
    def chart(self) -> dict:
        """The distribution as the platform's one bar chart (core.charts): answers per value."""
        hints = {SCALE_MAX: _("best"), SCALE_MIN: _("worst")}
        return bar_chart(
            (
                f"{row['value']} ({hints[row['value']]})"
                if row["value"] in hints
                else row["value"],
                row["count"],
            )
            for row in self.distribution
        )


@dataclass
class TextResult:
    key: str
    label: str
    position: int
    n: int = 0
    texts: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.n >= MIN_ANSWERS


@dataclass
class Results:
    """The results of a set of answers. Only dates with at least MIN_ANSWERS answers count, also
    in a module's, provider's or year's results: otherwise the difference between two
    aggregates would show a single person's answer."""

    answers: int  # answers of the dates that count
    dates_counted: int
    answers_withheld: int  # answers of dates below the threshold
    dates_withheld: int
    scales: list[ScaleResult]
    texts: list[TextResult]
    minimum: int = MIN_ANSWERS

    @property
    def shown(self) -> bool:
        return self.answers >= MIN_ANSWERS

    @property
    def total(self) -> int:
        """Every answer in scope, for the "too few answers" notice."""
        return self.answers + self.answers_withheld


def evaluation_results(*, answers: QuerySet[Answer]) -> Results:
    """Averages and distributions of the scale questions and the free texts, grouped by
    question key, over the given answers. Three queries, whatever their number."""
    per_date = list(answers.values("course_date").annotate(n=Count("pk")).order_by())
    counted = [row["course_date"] for row in per_date if row["n"] >= MIN_ANSWERS]
    total_counted = sum(row["n"] for row in per_date if row["n"] >= MIN_ANSWERS)
    withheld = [row["n"] for row in per_date if row["n"] < MIN_ANSWERS]
    items = AnswerItem.objects.filter(answer__course_date__in=counted)
    scales: dict[str, ScaleResult] = {}
    texts: dict[str, TextResult] = {}
    if counted:
        for row in (
            items.filter(kind=QuestionKind.SCALE, score__isnull=False)
            .values("key", "score")
            .annotate(n=Count("pk"), label=Max("label"), position=Min("position"))
            .order_by()
        ):
            result = scales.setdefault(
                row["key"], ScaleResult(row["key"], row["label"], row["position"])
            )
            result.counts[row["score"]] = row["n"]
            result.n += row["n"]
            result.position = min(result.position, row["position"])
        for row in (
            items.filter(kind=QuestionKind.TEXT)
            .values_list("key", "label", "position", "text")
            .order_by("key", "text")
        ):
            key, label, position, text = row
            result = texts.setdefault(key, TextResult(key, label, position))
            result.n += 1
            result.position = min(result.position, position)
            if text.strip():
                result.texts.append(text)
    return Results(
        answers=total_counted,
        dates_counted=len(counted),
        answers_withheld=sum(withheld),
        dates_withheld=len(withheld),
        scales=sorted(scales.values(), key=lambda r: (r.position, r.key)),
        texts=sorted(texts.values(), key=lambda r: (r.position, r.key)),
    )


def answers_in_scope(
    *,
    course_date: CourseDate | None = None,
    course_id: int | None = None,
    provider: str | None = None,
    year: int | None = None,
    dates: QuerySet[CourseDate] | None = None,
) -> QuerySet[Answer]:
    """The answers of one date, or of the held dates of a module, provider and/or year."""
    answers = Answer.objects.all()
    if course_date is not None:
        return answers.filter(course_date=course_date)
    if dates is not None:
        answers = answers.filter(course_date__in=dates)
    if course_id:
        answers = answers.filter(course_date__course_id=course_id)
    if provider:
        answers = answers.filter(course_date__course__provider=provider)
    if year:
        answers = answers.filter(course_date__start__year=year)
    return answers


def result_dates(
    *,
    user: User,
    course_id: int | None = None,
    provider: str | None = None,
    year: int | None = None,
    now: datetime | None = None,
) -> QuerySet[CourseDate]:
    """The held dates whose results the person may see (visible_result_dates), with the number
    of answers and of attendees, newest first."""
    dates = visible_result_dates(user=user, now=now)
    if course_id:
        dates = dates.filter(course_id=course_id)
    if provider:
        dates = dates.filter(course__provider=provider)
    if year:
        dates = dates.filter(start__year=year)

    def count(queryset):
        return Coalesce(
            Subquery(
                queryset.values("course_date").annotate(c=Count("pk")).values("c").order_by()[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        dates.select_related("course")
        .annotate(
            answer_count=count(Answer.objects.filter(course_date=OuterRef("pk"))),
            attended_count=count(
                Registration.objects.filter(
                    course_date=OuterRef("pk"), status=RegistrationStatus.ATTENDED
                )
            ),
        )
        .order_by("-start", "-pk")
    )


def result_years(*, user: User) -> list[int]:
    dates = visible_result_dates(user=user)
    return sorted({d.year for d in dates.dates("start", "year")}, reverse=True)
