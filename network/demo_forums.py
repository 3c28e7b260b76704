"""Demo forums, practice examples, mention handles and notifications (idempotent).

Rows are written directly (not through the services) so that loading the demo sends no e-mail
and pushes no live event; the Markdown is rendered with the same renderer the services use.
"""

from datetime import timedelta

from django.utils import timezone

from core.markdown import render_markdown
from core.models import User
from network.models import (
    CategoryWatch,
    ExampleAudience,
    ExampleStatus,
    ForumCategory,
    ForumModerator,
    MentionHandle,
    Municipality,
    Notification,
    NotificationKind,
    NotificationSettings,
    Post,
    PostReport,
    PracticeExample,
    PracticeExampleBlock,
    PracticeExamplePhase,
    Topic,
    TopicWatch,
    WatchLevel,
)

CATEGORIES = [
    # (slug, name, description, visibility, hold first posts)
    ("fruehe-hilfen", "Frühe Hilfen",
     "Erster Baustein der Präventionskette: Lotsendienste, Willkommensbesuche, Netzwerke Frühe Hilfen.",  # noqa: E501
     "members", True),
    ("familiengrundschulzentren", "Familiengrundschulzentren",
     "Grundschulen als Orte für Familien: Aufbau, Kooperation, Finanzierung.", "members", True),
    ("datenbasis-und-monitoring", "Datenbasis und Monitoring",
     "Sozialräumliche Daten, Sozialberichterstattung, Wirkungsorientierung.", "members", False),
    ("beteiligung", "Beteiligung",
     "Wie Kinder, Jugendliche und Familien an der Präventionskette mitwirken.", "members", False),
    ("netzwerkarbeit-und-koordination", "Netzwerkarbeit und Koordination",
     "Austausch der Koordinationen: Steuerung, Gremien, Zusammenarbeit mit freien Trägern.",
     "coordinators", False),
    ("finanzierung-und-foerderung", "Finanzierung und Förderung",
     "Landesmittel, Eigenanteile, Verwendungsnachweise – nur für Koordinationen und "
     "Landesjugendämter.", "coordinators", False),
    ("praxisbeispiele", "Praxisbeispiele",
     "Diskussionen zu den veröffentlichten Praxisbeispielen.", "members", False),
]  # fmt: skip

HANDLES = {
    "koordination@dortmund.example": "dana-demir",
    "fachkraft@dortmund.example": "felix-fischer",
    "koordination@koeln.example": "katrin-kaya",
    "redaktion@lvr.example": "rita-lvr",
    "fortbildung@lwl.example": "frank-lwl",
}

TOPICS = [
    # (category slug, title, [(author e-mail, body), ...])
    ("fruehe-hilfen", "Babylotsen: Wie erreicht ihr Familien schon in der Geburtsklinik?", [
        ("koordination@koeln.example",
         "Wir möchten 2025 einen Lotsendienst in zwei Geburtskliniken aufbauen. Wie habt ihr die "
         "Kliniken gewonnen, und wie ist der Datenschutz beim Erstgespräch geregelt?"),
        ("koordination@dortmund.example",
         "In Dortmund sitzen die Lotsinnen seit 2019 auf der Wochenstation. Entscheidend war eine "
         "**Kooperationsvereinbarung** mit der Klinikleitung und eine schriftliche Einwilligung der "  # noqa: E501
         "Eltern vor dem Gespräch. Ich schicke gern unsere Vorlage.\n\n@katrin-kaya – melden Sie "
         "sich einfach."),
        ("fachkraft@dortmund.example",
         "Ergänzung aus der Praxis: Die meisten Familien erreichen wir am zweiten Tag nach der "
         "Geburt. Ein kurzer Flyer in mehreren Sprachen hilft sehr."),
        ("koordination@koeln.example",
         "Vielen Dank, das hilft uns sehr! Die Vorlage nehme ich gern."),
    ]),
    ("fruehe-hilfen", "Willkommensbesuche nach der Geburt – freiwillig und trotzdem gut angenommen?", [  # noqa: E501
        ("fachkraft@dortmund.example",
         "Wie hoch ist bei euch die Quote der angenommenen Willkommensbesuche? Wir liegen bei etwa "
         "60 Prozent und fragen uns, was wir verbessern können."),
        ("koordination@koeln.example",
         "Bei uns hat die Ankündigung per Brief mit einem festen Terminvorschlag die Quote deutlich "  # noqa: E501
         "erhöht."),
    ]),
    ("familiengrundschulzentren", "Raumfrage im Familiengrundschulzentrum", [
        ("koordination@koeln.example",
         "In Chorweiler fehlt uns ein fester Raum für das Elterncafé. Wie habt ihr das mit der "
         "Schulträgerin gelöst?"),
        ("koordination@dortmund.example",
         "Wir nutzen vormittags den Raum der offenen Ganztagsschule – mit einer schriftlichen "
         "Nutzungsvereinbarung."),
    ]),
    ("datenbasis-und-monitoring", "Sozialraumdaten kleinräumig auswerten", [
        ("koordination@dortmund.example",
         "Welche Indikatoren nutzt ihr für die Auswahl der Stadtteile? Bei uns: SGB-II-Quote der "
         "unter 15-Jährigen, Schuleingangsuntersuchung, Sprachförderbedarf in der Kita."),
    ]),
    ("beteiligung", "Jugendliche an der Präventionskette beteiligen", [
        ("koordination@koeln.example",
         "Hat jemand Erfahrung mit einem Jugendforum, das die Angebote im Stadtteil mitplant?"),
    ]),
    ("netzwerkarbeit-und-koordination", "Steuerungsgruppe: Wer sitzt bei euch am Tisch?", [
        ("koordination@dortmund.example",
         "Bei uns: Jugendamt, Gesundheitsamt, Schulverwaltung, Jobcenter und zwei freie Träger. "
         "Wie oft trefft ihr euch?"),
        ("koordination@koeln.example",
         "Viermal im Jahr, dazwischen eine kleine Arbeitsgruppe."),
    ]),
    ("finanzierung-und-foerderung", "Verwendungsnachweis 2024: Fragen zum Eigenanteil", [
        ("koordination@koeln.example",
         "Wie weist ihr den kommunalen Eigenanteil bei Personalstellen nach, die nur teilweise "
         "für kinderstark arbeiten?"),
        ("redaktion@lvr.example",
         "Eine anteilige Zuordnung mit Stellenbeschreibung genügt. Wir stellen eine Arbeitshilfe "
         "in den Kursbereich."),
    ]),
]  # fmt: skip

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


def _post(topic: Topic, author: User, body: str, when) -> Post:
    topic.last_number += 1
    post = Post.objects.create(
        topic=topic,
        number=topic.last_number,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=when,
    )
    topic.post_count += 1
    topic.last_activity_at = when
    topic.save(update_fields=["last_number", "post_count", "last_activity_at"])
    return post


def load(*, password: str, log) -> None:
    for position, (slug, name, description, visibility, hold) in enumerate(CATEGORIES):
        ForumCategory.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "visibility": visibility,
                "position": position * 10,
                "hold_first_posts": hold,
            },
        )
    log(f"{ForumCategory.objects.count()} forum categories")

    for email, handle in HANDLES.items():
        user = _user(email)
        if user:
            MentionHandle.objects.update_or_create(user=user, defaults={"handle": handle})

    now = timezone.now()
    created = 0
    for index, (slug, title, posts) in enumerate(TOPICS):
        category = ForumCategory.objects.get(slug=slug)
        if Topic.objects.filter(category=category, title=title).exists():
            continue
        first_author = _user(posts[0][0])
        if first_author is None:
            continue
        start = now - timedelta(days=30 - index * 3, hours=index)
        topic = Topic.objects.create(
            category=category,
            title=title,
            author=first_author,
            created_at=start,
            last_activity_at=start,
        )
        TopicWatch.objects.get_or_create(
            topic=topic, user=first_author, defaults={"level": WatchLevel.WATCHING}
        )
        for number, (email, body) in enumerate(posts):
            author = _user(email)
            if author:
                _post(topic, author, body, start + timedelta(hours=5 * number))
        created += 1
    log(f"{created} forum topics created ({Topic.objects.count()} in all)")

    # The Lotsendienst topic: the Köln coordinator marked the best answer, and a reply
    # notified her and mentioned her.
    lotsen = Topic.objects.filter(title__startswith="Babylotsen: Wie").first()
    katrin = _user("koordination@koeln.example")
    if lotsen and katrin:
        best = lotsen.posts.filter(number=2).first()
        if best and lotsen.best_answer_id is None:
            lotsen.best_answer = best
            lotsen.save(update_fields=["best_answer"])
        if best and not Notification.objects.filter(user=katrin, post=best).exists():
            Notification.objects.create(
                user=katrin,
                kind=NotificationKind.MENTION,
                actor=best.author,
                topic=lotsen,
                post=best,
                text=lotsen.title[:300],
                url=f"/netzwerk/beitrag/{best.pk}/",
            )

    felix = _user("fachkraft@dortmund.example")
    if felix:
        NotificationSettings.objects.get_or_create(user=felix, defaults={"email_mode": "digest"})
        category = ForumCategory.objects.get(slug="fruehe-hilfen")
        CategoryWatch.objects.get_or_create(
            user=felix, category=category, defaults={"level": WatchLevel.WATCHING}
        )

    # An appointed moderator of the Frühe Hilfen forum, and one open report for the queue.
    mara = _user("fruehehilfen@koeln.example")
    if mara:
        ForumModerator.objects.get_or_create(
            user=mara, category=ForumCategory.objects.get(slug="fruehe-hilfen")
        )
    willkommen = Topic.objects.filter(title__startswith="Willkommensbesuche").first()
    if willkommen and felix:
        post = willkommen.posts.filter(number=2).first()
        if post and not PostReport.objects.filter(post=post).exists():
            PostReport.objects.create(
                post=post,
                reporter=felix,
                reason="Bitte prüfen: Enthält der Beitrag Angaben, die auf einzelne Familien "
                "schließen lassen?",
            )

    reviewer = _user("redaktion@lvr.example")
    discussion_category = ForumCategory.objects.get(slug="praxisbeispiele")
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
        topic = Topic.objects.create(
            category=discussion_category,
            title=example.title,
            author=author,
            created_at=published,
            last_activity_at=published,
        )
        _post(
            topic,
            author,
            f"Diskussion zum Praxisbeispiel „{example.title}“ aus {municipality.name}.\n\n"
            f"{example.summary}\n\n[Zum Praxisbeispiel](/netzwerk/praxisbeispiele/{example.pk}/)",
            published,
        )
        example.discussion = topic
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
