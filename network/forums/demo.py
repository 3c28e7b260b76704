"""Demo forums, mention handles, notifications and moderation (idempotent).

Rows are written directly (not through the services) so that loading the demo sends no e-mail
and pushes no live event; the Markdown is rendered with the same renderer the services use.
"""

from datetime import timedelta

from django.utils import timezone

from core.markdown import render_markdown
from core.models import User
from network.forums.models import (
    CategoryWatch,
    ForumCategory,
    ForumModerator,
    MentionHandle,
    Notification,
    NotificationKind,
    NotificationSettings,
    Post,
    PostReport,
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
