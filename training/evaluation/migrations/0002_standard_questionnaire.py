"""The programme's standard questionnaire (German, as the Landesjugendämter ask it), and the
staff's permissions to edit questionnaires in the Wagtail admin."""

from django.db import migrations

from network.staff_group import grant_to_staff_group, revoke_from_staff_group

STANDARD_QUESTIONS = [
    # (key, kind, text, label of 1, label of 5)
    (
        "overall",
        "scale",
        "Wie zufrieden sind Sie insgesamt mit der Veranstaltung?",
        "sehr unzufrieden",
        "sehr zufrieden",
    ),
    (
        "daily_work",
        "scale",
        "Wie nützlich ist das Gelernte für Ihre tägliche Arbeit?",
        "gar nicht nützlich",
        "sehr nützlich",
    ),
    (
        "trainers",
        "scale",
        "Wie bewerten Sie die Referentinnen und Referenten?",
        "sehr schlecht",
        "sehr gut",
    ),
    (
        "organisation",
        "scale",
        "Wie bewerten Sie die Organisation (Anmeldung, Ort oder Online-Zugang, Ablauf)?",
        "sehr schlecht",
        "sehr gut",
    ),
    ("helpful", "text", "Was war besonders hilfreich?", "", ""),
    ("improve", "text", "Was sollten wir verbessern?", "", ""),
]

STAFF_PERMISSIONS = [
    "evaluation.view_questionnaire",
    "evaluation.add_questionnaire",
    "evaluation.change_questionnaire",
]


def forwards(apps, schema_editor):
    Questionnaire = apps.get_model("evaluation", "Questionnaire")
    Question = apps.get_model("evaluation", "Question")
    if not Questionnaire.objects.filter(course__isnull=True).exists():
        standard = Questionnaire.objects.create(
            course=None,
            intro="Ihre Rückmeldung hilft uns, die Fortbildungen von kinderstark weiterzuentwickeln.",
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=standard,
                sort_order=position,
                key=key,
                kind=kind,
                text=text,
                low_label=low,
                high_label=high,
            )
            for position, (key, kind, text, low, high) in enumerate(STANDARD_QUESTIONS)
        )
    grant_to_staff_group(apps, STAFF_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_from_staff_group(apps, STAFF_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0002_staff_group"),
        ("evaluation", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
