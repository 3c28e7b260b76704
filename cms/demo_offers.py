"""Demo pages in Leichter Sprache and Deutscher Gebärdensprache (BITV NRW § 4), idempotent.

The three pages in Leichter Sprache say what the site offers, how to find one's way on it and what
the accessibility statement says, by the rules the editors' hint in the admin lists. They are
marked as not checked by readers of the target group yet: nobody of the target group has read
them. The page in Gebärdensprache shows a placeholder clip (cms/demo_media, made once with ffmpeg
and kept in the repository) with its caption track and transcript, clearly marked as a stand-in
for the operator's real videos.
"""

from pathlib import Path

from django.core.files.base import ContentFile
from wagtailmedia import get_media_model

from cms.models import EasyLanguagePage, ReaderCheck, SignLanguagePage

DEMO_MEDIA = Path(__file__).resolve().parent / "demo_media"
CLIP = "gebaerdensprache-platzhalter.webm"
CAPTIONS = "gebaerdensprache-platzhalter.vtt"
MEDIA_TITLE = "Platzhalter – Gebärdensprach-Video folgt"
MEDIA_TRANSCRIPT = (
    "Platzhalter.\n\n"
    "Dieses Video ist ein Platzhalter. Es zeigt noch keine Gebärdensprache, sondern eine Karte "
    "mit dem Text „Platzhalter – Gebärdensprach-Video folgt“.\n\n"
    "Der Betreiber ersetzt es durch Videos in Deutscher Gebärdensprache. Bis dahin stehen die "
    "Inhalte auf den Seiten in Leichter Sprache."
)

EASY_SLUG = "leichte-sprache"
SIGN_SLUG = "gebaerdensprache"
SIGN_TITLE = "Informationen in Deutscher Gebärdensprache"


def _heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def _text(*lines: str) -> dict:
    return {"type": "text", "value": "\n".join(lines)}


def _word(word: str, *lines: str) -> dict:
    return {"type": "hard_word", "value": {"word": word, "explanation": "\n".join(lines)}}


def _links(heading: str, *links: tuple[str, object]) -> dict:
    items = []
    for text, target in links:
        if isinstance(target, str):
            items.append({"text": text, "page": None, "url": target})
        else:
            items.append({"text": text, "page": target.pk, "url": ""})
    return {"type": "links", "value": {"heading": heading, "links": items}}


ABOUT = [
    _heading("Worum geht es hier?"),
    _text(
        "Diese Internet-Seite heißt: Lern-Netzwerk kinderstark.",
        "Die Seite gehört zu einem Programm vom Land Nordrhein-Westfalen.",
        "Das Programm heißt: kinderstark – NRW schafft Chancen.",
        "N-R-W ist die Abkürzung für Nordrhein-Westfalen.",
    ),
    _heading("Was will das Programm?"),
    _text(
        "Manche Kinder wachsen in Armut auf.",
        "Armut heißt hier: Die Familie hat wenig Geld.",
        "Das Programm will diesen Kindern helfen.",
        "Alle Kinder sollen gute Chancen haben.",
        "Zum Beispiel in der Schule.",
        "Und später im Beruf.",
    ),
    _text(
        "Dafür machen Städte und Kreise eine Präventions-Kette.",
    ),
    _word(
        "Präventions-Kette",
        "Eine Stadt hat viele Angebote für Familien.",
        "Zum Beispiel: Hilfe nach der Geburt.",
        "Oder: die Kita und die Schule.",
        "Oder: Hilfe auf dem Weg in den Beruf.",
        "Die Angebote sollen gut zusammen-passen.",
        "So wie die Glieder von einer Kette.",
        "Dann bekommen Kinder früh Hilfe.",
        "Und nicht erst, wenn es große Probleme gibt.",
    ),
    _heading("Für wen ist diese Seite?"),
    _text(
        "Die Seite ist für Fach-Leute.",
        "Fach-Leute arbeiten zum Beispiel im Jugend-Amt.",
        "Oder in einer Kita.",
        "Sie arbeiten in Städten und Kreisen in Nordrhein-Westfalen.",
        "Diese Städte und Kreise machen beim Programm mit.",
        "",
        "Die 2 Landes-Jugend-Ämter machen diese Seite.",
    ),
    _word(
        "Landes-Jugend-Amt",
        "Ein Landes-Jugend-Amt hilft den Jugend-Ämtern in den Städten und Kreisen.",
        "In Nordrhein-Westfalen gibt es 2 Landes-Jugend-Ämter.",
        "1 Landes-Jugend-Amt ist für das Rhein-Land.",
        "1 Landes-Jugend-Amt ist für Westfalen-Lippe.",
    ),
    _heading("Was gibt es auf der Seite?"),
    _text(
        "Es gibt Fort-Bildungen für Fach-Leute.",
        "Fort-Bildung heißt: Man lernt etwas Neues für die Arbeit.",
        "Sie können sich für eine Fort-Bildung anmelden.",
        "",
        "Es gibt Texte und Material zu den Fort-Bildungen.",
        "",
        "Es gibt Neuigkeiten aus dem Programm.",
        "",
        "Es gibt Beispiele aus den Städten und Kreisen.",
        "Die Beispiele zeigen: So hilft eine Stadt den Familien.",
        "",
        "Es gibt ein Netz-Werk.",
        "Netz-Werk heißt hier: Die Fach-Leute sprechen miteinander.",
        "Und sie lernen voneinander.",
        "Dafür gibt es Foren und eine Pinn-Wand im Internet.",
        "Dafür brauchen Sie ein Konto.",
    ),
    _heading("Wichtig für Familien"),
    _text(
        "Auf dieser Seite gibt es keine Beratung für Familien.",
        "Brauchen Sie als Familie Hilfe?",
        "Dann fragen Sie das Jugend-Amt in Ihrer Stadt.",
        "Oder das Jugend-Amt in Ihrem Kreis.",
    ),
]

NAVIGATION = [
    _heading("Oben auf jeder Seite"),
    _text(
        "Oben auf jeder Seite ist ein blauer Streifen.",
        "Dort ist das Menü.",
        "Menü heißt: eine Liste mit Links.",
        "Ein Link bringt Sie auf eine andere Seite.",
    ),
    _text(
        "Im Menü stehen zum Beispiel diese Links:",
        "Curriculum: Dort steht, was man in den Fort-Bildungen lernt.",
        "Fortbildungen: Dort stehen die Termine.",
        "Netzwerk: Dort sind die Beispiele und der Austausch.",
        "Suche: Dort können Sie nach einem Wort suchen.",
    ),
    _word(
        "Curriculum",
        "Das Wort kommt aus der Sprache Latein.",
        "Es heißt: der Plan für das Lernen.",
    ),
    _heading("Leichte Sprache und Gebärden-Sprache"),
    _text(
        "Oben auf jeder Seite sind 2 Links mit einem Bild.",
        "Der Link „Leichte Sprache“ bringt Sie zu diesen Seiten.",
        "Der Link „Gebärdensprache“ bringt Sie zu Videos.",
        "In den Videos erklären wir die Seite in Deutscher Gebärden-Sprache.",
    ),
    _heading("Mit der Tastatur"),
    _text(
        "Sie können die Seite auch ohne Maus benutzen.",
        "Drücken Sie die Taste Tab.",
        "Dann springen Sie zum nächsten Link.",
        "Drücken Sie die Taste Enter.",
        "Dann öffnen Sie den Link.",
        "",
        "Ganz am Anfang von jeder Seite ist ein Link.",
        "Der Link heißt: Zum Inhalt springen.",
        "Damit kommen Sie gleich zum Text der Seite.",
    ),
    _heading("Anmelden"),
    _text(
        "Manche Teile der Seite sind nur für Fach-Leute aus dem Programm.",
        "Dafür brauchen Sie ein Konto.",
        "Ein Konto heißt: Sie haben Ihre E-Mail-Adresse und ein Pass-Wort für die Seite.",
        "Oben rechts steht: Anmelden.",
        "Dort melden Sie sich an.",
        "Haben Sie noch kein Konto?",
        "Dann wählen Sie: Registrieren.",
    ),
    _heading("Eine andere Sprache"),
    _text(
        "Oben rechts steht: English.",
        "Damit ist die Seite auf Englisch.",
        "Die Seiten in Leichter Sprache gibt es nur auf Deutsch.",
    ),
    _heading("Unten auf jeder Seite"),
    _text(
        "Ganz unten auf jeder Seite sind noch mehr Links.",
        "Datenschutz-Erklärung: So gehen wir mit Ihren Daten um.",
        "Impressum: Wer die Seite macht.",
        "Erklärung zur Barriere-Freiheit: Was auf der Seite noch nicht barriere-frei ist.",
    ),
]

ACCESSIBILITY = [
    _heading("Was ist Barriere-Freiheit?"),
    _text(
        "Eine Barriere ist ein Hindernis.",
        "Alle Menschen sollen diese Seite gut benutzen können.",
        "Auch Menschen mit Behinderung.",
        "Zum Beispiel Menschen, die nicht gut sehen.",
        "Oder Menschen, die nicht gut hören.",
        "Oder Menschen, die schwere Texte nicht gut verstehen.",
        "Das heißt: Die Seite ist barriere-frei.",
    ),
    _heading("Das Gesetz"),
    _text(
        "In Nordrhein-Westfalen gibt es ein Gesetz.",
        "Das Gesetz sagt:",
        "Internet-Seiten vom Land müssen barriere-frei sein.",
        "Darum gibt es eine Erklärung zur Barriere-Freiheit.",
        "Dort steht: So barriere-frei ist diese Seite.",
    ),
    _heading("Ist diese Seite barriere-frei?"),
    _text(
        "Die Seite ist zum großen Teil barriere-frei.",
        "Aber nicht ganz.",
        "Das sind die Barrieren:",
    ),
    _text(
        "Manche Dateien zum Herunter-Laden sind nicht barriere-frei.",
        "Zum Beispiel manche Dateien mit Material für die Fort-Bildungen.",
        "Sie brauchen eine Datei barriere-frei?",
        "Dann schreiben Sie uns.",
        "",
        "Auf der Pinn-Wand kommen neue Nachrichten sofort.",
        "Schnelle Gespräche sind dort schwer zu verfolgen.",
        "In den Foren gibt es die gleichen Themen.",
        "Dort haben Sie mehr Zeit.",
        "",
        "Die Redaktion schreibt die Texte in einem eigenen Bereich.",
        "Diesen Bereich haben wir noch nicht ganz geprüft.",
    ),
    _word(
        "Redaktion",
        "Die Redaktion sind die Menschen, die die Texte für diese Seite schreiben.",
    ),
    _heading("Sie finden eine Barriere?"),
    _text(
        "Sie haben ein Problem mit dieser Seite?",
        "Dann schreiben Sie uns eine E-Mail.",
        "Die E-Mail-Adresse ist: barrierefreiheit@kinderstark.example",
        "Sie bekommen innerhalb von 6 Wochen eine Antwort.",
    ),
    _heading("Sie sind mit der Antwort nicht zufrieden?"),
    _text(
        "Dann wenden Sie sich an die Ombuds-Stelle.",
        "Das kostet kein Geld.",
        "Sie brauchen dafür keinen Anwalt.",
    ),
    _word(
        "Ombuds-Stelle",
        "Die Ombuds-Stelle gehört zum Land Nordrhein-Westfalen.",
        "Sie hilft, wenn es Streit um Barriere-Freiheit gibt.",
        "Sie ist in Düsseldorf.",
        "Die Adresse steht in der Erklärung zur Barriere-Freiheit.",
    ),
    _links(
        "Hier lesen Sie mehr",
        (
            "E-Mail an barrierefreiheit@kinderstark.example",
            "mailto:barrierefreiheit@kinderstark.example",
        ),
        ("Die ganze Erklärung zur Barriere-Freiheit (in schwerer Sprache)", "/barrierefreiheit/"),
        ("Die Adresse von der Ombuds-Stelle", "/barrierefreiheit/#enforcement"),
    ),
]


def _easy_page(parent, *, slug: str, title: str, body: list, log) -> EasyLanguagePage:
    page = EasyLanguagePage.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(
            instance=EasyLanguagePage(
                title=title, slug=slug, body=body, reader_check=ReaderCheck.OPEN
            )
        )
        log(f"page in Leichter Sprache „{title}“ created")
    page.title = title
    page.body = body
    page.search_description = f"{title} – in Leichter Sprache."
    # Honest about the demo: nobody of the target group has read these texts.
    page.reader_check = ReaderCheck.OPEN
    page.reader_check_note = (
        "Demo-Text: noch nicht von Prüferinnen und Prüfern der Zielgruppe geprüft."
    )
    page.save_revision().publish()
    return page


def _placeholder_media():
    Media = get_media_model()
    media = Media.objects.filter(title=MEDIA_TITLE).first()
    if media is None:
        media = Media(title=MEDIA_TITLE, type="video", duration=4, width=320, height=180)
        media.file.save(CLIP, ContentFile((DEMO_MEDIA / CLIP).read_bytes()), save=False)
    media.captions = (DEMO_MEDIA / CAPTIONS).read_text(encoding="utf-8")
    media.transcript = MEDIA_TRANSCRIPT
    media.full_clean()
    media.save()
    return media


def load(*, home, log) -> None:
    about = _easy_page(
        home, slug=EASY_SLUG, title="Das ist das Lernnetzwerk kinderstark", body=ABOUT, log=log
    )
    navigation = _easy_page(
        about, slug="zurechtfinden", title="So finden Sie sich zurecht", body=NAVIGATION, log=log
    )
    accessibility = _easy_page(
        about,
        slug="barrierefreiheit",
        title="Barrierefreiheit: das Wichtigste",
        body=ACCESSIBILITY,
        log=log,
    )

    media = _placeholder_media()
    videos = [
        ("Das ist das Lernnetzwerk kinderstark", "Was es auf dieser Seite gibt."),
        ("So finden Sie sich zurecht", "Wie Sie sich auf dieser Seite bewegen."),
        ("Barrierefreiheit: das Wichtigste", "Was die Erklärung zur Barrierefreiheit sagt."),
    ]
    body = [
        _text(
            "Platzhalter: Die Videos auf dieser Seite zeigen noch keine Gebärdensprache.",
            "Der Betreiber ersetzt sie durch Videos in Deutscher Gebärdensprache.",
        ),
        *(
            {
                "type": "video",
                "value": {"heading": heading, "video": media.pk, "description": description},
            }
            for heading, description in videos
        ),
        _links(
            "Mehr in Leichter Sprache",
            (about.title, about),
            (navigation.title, navigation),
            (accessibility.title, accessibility),
        ),
    ]
    sign = SignLanguagePage.objects.child_of(home).filter(slug=SIGN_SLUG).first()
    if sign is None:
        sign = home.add_child(
            instance=SignLanguagePage(title=SIGN_TITLE, slug=SIGN_SLUG, body=body)
        )
        log("page in Deutscher Gebärdensprache created")
    sign.title = SIGN_TITLE
    sign.intro = (
        "Hier erklären wir das Lernnetzwerk kinderstark in Deutscher Gebärdensprache (DGS). "
        "Jedes Video hat Untertitel und darunter den Text zum Nachlesen."
    )
    sign.body = body
    sign.search_description = "Videos in Deutscher Gebärdensprache über das Lernnetzwerk."
    sign.save_revision().publish()
    log("pages in Leichter Sprache and Deutscher Gebärdensprache with the placeholder video")
