"""Demo evaluation answers (idempotent): every held date without answers gets three to seven
anonymous ones, so the results pages have something to show. The demo Fachkraft's attended
date keeps its questionnaire open for her, so the demo shows the form too."""

import random

from django.db import transaction

from training.evaluation.models import Answer, AnswerItem
from training.evaluation.selectors import held_dates, questionnaire_for

HELPFUL = [
    "Die Beispiele aus anderen Programmkommunen, vor allem zur Zusammenarbeit mit den Kitas.",
    "Der Austausch in den Kleingruppen und die Checkliste für die Netzwerkanalyse.",
    "Konkrete Ideen, wie wir Familien in der Geburtsklinik erreichen.",
    "",
]
IMPROVE = [
    "Mehr Zeit für Fragen aus der eigenen Praxis.",
    "Die Unterlagen vorab verschicken.",
    "",
    "",
]


def load(*, password: str, log) -> None:
    made = 0
    for course_date in held_dates().select_related("course").order_by("pk"):
        if Answer.objects.filter(course_date=course_date).exists():
            continue
        questions = list(questionnaire_for(course=course_date.course).questions.all())
        rng = random.Random(course_date.pk)  # the same answers on every machine
        with transaction.atomic():
            for _ in range(rng.randint(3, 7)):
                answer = Answer.objects.create(course_date=course_date)
                items = []
                for position, question in enumerate(questions):
                    item = AnswerItem(
                        answer=answer,
                        key=question.key,
                        kind=question.kind,
                        label=question.text,
                        position=position,
                    )
                    if question.is_scale:
                        item.score = rng.choices([2, 3, 4, 5], weights=[1, 3, 6, 5])[0]
                    else:
                        item.text = rng.choice(HELPFUL if question.key == "helpful" else IMPROVE)
                    items.append(item)
                AnswerItem.objects.bulk_create(items)
                made += 1
    log(f"{made} new anonymous evaluation answers")
