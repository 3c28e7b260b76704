"""Demo practice examples: published ones with their discussion topic, and one waiting for
review (idempotent).

Rows are written directly (the discussion topic through the forums' service, which sends no
e-mail for it) so the examples get their demo dates; the Markdown is rendered with the same
renderer the services use.
"""

from datetime import timedelta

from django.utils import timezone

from core.markdown import render_markdown
from core.models import User
from network.forums.services.topics import discussion_open
from network.models import Municipality
from network.practice.cache import examples_changed
from network.practice.models import (
    ExampleAudience,
    ExampleStatus,
    PracticeExample,
    PracticeExampleBlock,
    PracticeExamplePhase,
)

EXAMPLES = [
    {
        "title": "Babylotsen im Klinikum Dortmund",
        "municipality": "dortmund",
        "author": "koordination@dortmund.example",
        "summary": "Lotsinnen sprechen Familien direkt nach der Geburt auf der Wochenstation an "
        "und vermitteln passgenaue Hilfen.",
        "target_groups": "Familien mit Neugeborenen, besonders in belasteten Lebenslagen",
        "what_was_done": "- zwei Lotsinnen (Sozialpädagoginnen) auf den Wochenstationen\n"
        "- kurzer Screening-Bogen mit Einwilligung\n- Vermittlung in Frühe Hilfen, Familienbüro, "
        "Hebammenhilfe",
        "success_factors": "Kooperationsvereinbarung mit der Klinikleitung, feste Präsenz auf "
        "Station, kurze Wege ins Netzwerk Frühe Hilfen.",
        "resources": "1,5 Stellen, finanziert aus Landesmitteln kinderstark und kommunalem "
        "Eigenanteil.",
        "blocks": ["lotsendienst", "fruehe-hilfen"],
        "phases": ["schwangerschaft", "0-3"],
        "audience": ExampleAudience.PUBLIC,
        "contact": "koordination@dortmund.example",
    },
    {
        "title": "Familiengrundschulzentrum Chorweiler",
        "municipality": "koeln",
        "author": "koordination@koeln.example",
        "summary": "Eine Grundschule öffnet sich für Familien: Elterncafé, Beratung und "
        "Bildungsangebote unter einem Dach.",
        "target_groups": "Familien mit Kindern im Grundschulalter im Stadtteil",
        "what_was_done": "Elterncafé zweimal wöchentlich, Sprechstunden von Erziehungsberatung "
        "und Familienbüro in der Schule, Ferienangebote.",
        "success_factors": "Schulleitung und Träger der OGS ziehen an einem Strang; eine feste "
        "Koordinatorin vor Ort.",
        "resources": "Eine Vollzeitstelle Koordination, Sachmittel für das Elterncafé.",
        "blocks": ["familiengrundschulzentrum", "beteiligung"],
        "phases": ["6-10"],
        "audience": ExampleAudience.MEMBERS,
        "contact": None,
    },
    {
        "title": "Familienbüro im Stadtteilzentrum Nordstadt",
        "municipality": "dortmund",
        "author": "koordination@dortmund.example",
        "summary": "Ein niedrigschwelliger Anlaufpunkt für alle Fragen rund um Familie – ohne "
        "Termin, mehrsprachig.",
        "target_groups": "Familien im Stadtteil, Neuzugewanderte",
        "what_was_done": "Offene Sprechstunde an vier Tagen, Unterstützung bei Anträgen "
        "(Bildung und Teilhabe, Kinderzuschlag), Vermittlung in Kita.",
        "success_factors": "Lage im Stadtteilzentrum, Sprachmittlung, enge Verbindung zur Kita-"
        "Platzvergabe.",
        "resources": "Zwei Teilzeitstellen, Räume der Stadt.",
        "blocks": ["familienbuero", "kita"],
        "phases": ["0-3", "3-6", "6-10"],
        "audience": ExampleAudience.MEMBERS,
        "contact": "fachkraft@dortmund.example",
    },
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def load(*, password: str, log) -> None:
    now = timezone.now()
    reviewer = _user("redaktion@lvr.example")
    added = 0
    for data in EXAMPLES:
        author = _user(data["author"])
        municipality = Municipality.objects.filter(slug=data["municipality"]).first()
        if author is None or municipality is None:
            continue
        if PracticeExample.objects.filter(title=data["title"]).exists():
            continue
        published = now - timedelta(days=20 - added * 5)
        # Demo contacts are the demo accounts themselves, shown as if they had agreed.
        contact = _user(data["contact"]) if data["contact"] else None
        example = PracticeExample.objects.create(
            title=data["title"],
            municipality=municipality,
            author=author,
            summary=data["summary"],
            target_groups=data["target_groups"],
            what_was_done=data["what_was_done"],
            what_was_done_html=render_markdown(data["what_was_done"]),
            success_factors=data["success_factors"],
            success_factors_html=render_markdown(data["success_factors"]),
            resources=data["resources"],
            resources_html=render_markdown(data["resources"]),
            contact=contact,
            contact_asked_at=published if contact else None,
            contact_consent_at=published if contact else None,
            status=ExampleStatus.PUBLISHED,
            audience=data["audience"],
            reviewed_by=reviewer,
            submitted_at=published - timedelta(days=2),
            published_at=published,
        )
        PracticeExampleBlock.objects.bulk_create(
            [PracticeExampleBlock(example=example, block=b) for b in data["blocks"]]
        )
        PracticeExamplePhase.objects.bulk_create(
            [PracticeExamplePhase(example=example, phase=p) for p in data["phases"]]
        )
        example.discussion = discussion_open(
            slug="praxisbeispiele",
            name="Praxisbeispiele",
            description="Diskussionen zu den veröffentlichten Praxisbeispielen.",
            position=90,
            title=example.title,
            author=author,
            body=f"Diskussion zum Praxisbeispiel „{example.title}“ aus {municipality.name}.\n\n"
            f"{example.summary}\n\n[Zum Praxisbeispiel](/netzwerk/praxisbeispiele/{example.pk}/)",
            at=published,
        )
        example.save(update_fields=["discussion"])
        added += 1
    # One draft waiting for review, for the staff's queue.
    dana = _user("koordination@dortmund.example")
    dortmund = Municipality.objects.filter(slug="dortmund").first()
    title = "Übergang Schule–Beruf: Ausbildungslotsen an Gesamtschulen"
    if dana and dortmund and not PracticeExample.objects.filter(title=title).exists():
        text = "Ausbildungslotsen begleiten Jugendliche ab Klasse 8 bis in die Ausbildung."
        example = PracticeExample.objects.create(
            title=title,
            municipality=dortmund,
            author=dana,
            summary=text,
            target_groups="Jugendliche ab 14 Jahren an drei Gesamtschulen",
            what_was_done=text,
            what_was_done_html=render_markdown(text),
            success_factors="Verbindliche Kooperation mit Jobcenter und Kammern.",
            success_factors_html=render_markdown(
                "Verbindliche Kooperation mit Jobcenter und Kammern."
            ),
            status=ExampleStatus.SUBMITTED,
            submitted_at=now - timedelta(days=1),
        )
        PracticeExampleBlock.objects.create(example=example, block="uebergang-schule-beruf")
        PracticeExamplePhase.objects.create(example=example, phase="10-16")
        PracticeExamplePhase.objects.create(example=example, phase="16-27")
    log(f"{PracticeExample.objects.count()} practice examples")
    examples_changed()
