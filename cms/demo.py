"""Demo curriculum (idempotent): home page, the six modules of the qualification programme with
their courses and material at each access level, news and a few standard pages, and the pages in
Leichter Sprache and Deutscher Gebärdensprache (cms.demo_offers).

The courses are created here (get_or_create on the module's title, which is the course title);
training.demo runs afterwards and adds the dates to these courses.
"""

import datetime

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from fpdf import FPDF
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, Site

from cms import demo_offers
from cms.models import (
    CurriculumIndexPage,
    HomePage,
    ModulePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from cms.selectors import PROTECTED_COLLECTION_NAME
from core.models import User
from training.models import Course

HOME_INTRO = (
    "<p>Das Lernnetzwerk der Programmkommunen von „kinderstark – NRW schafft Chancen“: "
    "Fortbildungen der Landesjugendämter, Material und Austausch für den Aufbau kommunaler "
    "Präventionsketten gegen Kinder- und Jugendarmut.</p>"
)
PROGRAMME_TEXT = (
    "<p>Mit dem Landesprogramm „kinderstark – NRW schafft Chancen“ werden Kinder und Jugendliche "
    "– vor allem aus vulnerablen Familien – besser vor den Folgen von Armut geschützt und ihre "
    "Möglichkeiten auf einen Aufstieg durch Bildung weiter verbessert. Die Landesregierung "
    "unterstützt Städte und Kreise mit eigenem Jugendamt beim Aufbau kommunaler "
    "Präventionsketten.</p>"
    "<p>Die Programmkommunen nehmen an einem umfangreichen Fortbildungs- und "
    "Qualifizierungsprogramm teil, das die Landesjugendämter LVR und LWL durchführen. Sie bilden "
    "ein Lernnetzwerk und lernen durch interkommunalen Austausch voneinander.</p>"
)

# Hours of instruction of each duration the modules name (a day is 6 hours, an online unit 3),
# so the course's hours match the dates training.demo schedules for it.
DURATION_HOURS = {
    "2 Tage à 6 Stunden": 12,
    "1 Tag à 6 Stunden": 6,
    "1 Präsenztag und 2 Online-Einheiten": 12,
    "1 Präsenztag und 1 Online-Einheit": 9,
    "3 Online-Einheiten à 3 Stunden": 9,
}

# (number, title, slug, provider, format, duration, target group, summary, goals, body text)
MODULES = [
    (
        1,
        "Grundlagen kommunaler Präventionsketten",
        "grundlagen-praeventionsketten",
        "LVR",
        "in_person",
        "2 Tage à 6 Stunden",
        "Koordinationen Präventionskette, Leitungen der Jugendämter",
        "Was eine kommunale Präventionskette ist, wie sie das örtliche Hilfe- und "
        "Unterstützungssystem passgenau an den Bedarfen von Kindern, Jugendlichen und Familien "
        "ausrichtet und welche Strukturen eine Kommune dafür schafft.",
        [
            "Ziele und Leitbild kommunaler Präventionsketten erläutern",
            "die eigene Ausgangslage mit einer Bestandsaufnahme beschreiben",
            "Steuerungsstrukturen und Verantwortlichkeiten festlegen",
        ],
        "Präventionsketten verbinden die Angebote von der Schwangerschaft bis zum Berufseinstieg. "
        "Das Modul klärt Begriffe, stellt Beispiele aus Programmkommunen vor und hilft, eine "
        "Strategie für die eigene Stadt oder den eigenen Kreis zu entwickeln.",
    ),
    (
        2,
        "Sozialräumliche Datenbasis und Monitoring",
        "datenbasis-monitoring",
        "LWL",
        "blended",
        "1 Präsenztag und 2 Online-Einheiten",
        "Jugendhilfeplanung, Sozialplanung, Koordinationen Präventionskette",
        "Wie eine gute – auch sozialräumliche – Datengrundlage entsteht, welche Indikatoren "
        "Armutslagen von Kindern sichtbar machen und wie ein Monitoring die Steuerung der "
        "Präventionskette unterstützt.",
        [
            "geeignete Indikatoren für Kinderarmut auf Ebene der Sozialräume auswählen",
            "vorhandene Daten der Kommune zusammenführen und datenschutzgerecht nutzen",
            "ein Monitoring mit Berichtsroutine aufbauen",
        ],
        "Um Bedarfe zu kennen, braucht es Daten: amtliche Statistik, Schuleingangsuntersuchungen, "
        "Daten der Jugendhilfe. Das Modul zeigt, wie sie kleinräumig ausgewertet und mit dem "
        "Wissen der Fachkräfte verbunden werden.",
    ),
    (
        3,
        "Beteiligung von Kindern, Jugendlichen und Familien",
        "beteiligung",
        "LVR",
        "in_person",
        "2 Tage à 6 Stunden",
        "Fachkräfte der Kinder- und Jugendhilfe, Koordinationen Präventionskette",
        "Wie Kinder, Jugendliche und Familien an der Gestaltung der Angebote beteiligt werden – "
        "mit Methoden, die auch Familien in belasteten Lebenslagen erreichen.",
        [
            "Stufen und Formen der Beteiligung unterscheiden",
            "aufsuchende und niedrigschwellige Beteiligungsmethoden anwenden",
            "Ergebnisse der Beteiligung in die Planung zurückführen",
        ],
        "Die Beteiligung der Adressatinnen und Adressaten ist neben Daten und Fachkräftewissen "
        "die dritte Quelle, um Bedarfe zu erkennen. Das Modul erprobt Methoden von der "
        "Stadtteilbegehung bis zum Familienrat.",
    ),
    (
        4,
        "Frühe Hilfen als erster Baustein",
        "fruehe-hilfen",
        "LWL",
        "in_person",
        "1 Tag à 6 Stunden",
        "Fachkräfte Frühe Hilfen, Lotsendienste, Gesundheitswesen",
        "Die Frühen Hilfen sind der erste Baustein kommunaler Präventionsketten. Das Modul zeigt, "
        "wie Familien rund um die Geburt erreicht werden – auch über Lotsendienste in "
        "Geburtskliniken, gynäkologischen und Kinderarztpraxen.",
        [
            "Angebote der Frühen Hilfen im Netzwerk verorten",
            "Zugänge über das Gesundheitswesen gestalten",
            "Übergänge von den Frühen Hilfen in die Kita vorbereiten",
        ],
        "Sozialpädagogische Fachkräfte in Geburtskliniken und Praxen bringen Familien früh mit "
        "Unterstützung in Kontakt. Das Modul verbindet Grundlagen mit Erfahrungen aus den "
        "Programmkommunen.",
    ),
    (
        5,
        "Netzwerkmanagement und Koordination",
        "netzwerkmanagement",
        "LVR",
        "online",
        "3 Online-Einheiten à 3 Stunden",
        "Koordinationen Präventionskette",
        "Wie die Koordination einer Präventionskette Akteure verschiedener Rechtskreise "
        "zusammenbringt, Netzwerke moderiert und Vereinbarungen verbindlich macht.",
        [
            "Netzwerkpartner und ihre Interessen analysieren",
            "Netzwerktreffen wirksam planen und moderieren",
            "Kooperationsvereinbarungen entwickeln",
        ],
        "Jugendhilfe, Schule, Gesundheitswesen, Jobcenter und Freie Träger arbeiten in der "
        "Präventionskette zusammen. Das Modul gibt der Koordination Werkzeuge für diese Rolle.",
    ),
    (
        6,
        "Übergänge gestalten – Kita, Familiengrundschulzentren, Schule–Beruf",
        "uebergaenge",
        "LWL",
        "blended",
        "1 Präsenztag und 1 Online-Einheit",
        "Fachkräfte aus Kita, Schule, Familiengrundschulzentren und Übergang Schule–Beruf",
        "Übergänge sind kritische Punkte der Bildungsbiografie. Das Modul zeigt, wie Kita, "
        "Familiengrundschulzentren, Familienbüros und der Übergang Schule–Beruf so verbunden "
        "werden, dass kein Kind verloren geht.",
        [
            "kritische Übergänge in der eigenen Kommune identifizieren",
            "Familiengrundschulzentren und Familienbüros als Brücken nutzen",
            "Übergangsmanagement Schule–Beruf in die Präventionskette einbinden",
        ],
        "An jedem Übergang – in die Kita, in die Grundschule, in die weiterführende Schule, in "
        "Ausbildung und Beruf – brauchen Kinder und Familien verlässliche Begleitung.",
    ),
]

NEWS = [
    (datetime.date(2026, 11, 2), "Neue Termine im Fortbildungsprogramm 2027",
     "Die Landesjugendämter haben die Termine für das erste Halbjahr 2027 veröffentlicht.",
     "Ab sofort können sich Fachkräfte der Programmkommunen für die Module des "
     "Fortbildungsprogramms 2027 anmelden. Die Koordinationen melden auch ihre Teams an."),
    (datetime.date(2026, 10, 14), "Lernnetzwerktreffen in Münster: Präventionsketten im Kreis",
     "Rund 80 Fachkräfte tauschten sich über Präventionsketten in Kreisen aus.",
     "Beim Lernnetzwerktreffen standen die besonderen Herausforderungen kreisangehöriger "
     "Städte und Gemeinden im Mittelpunkt."),
    (datetime.date(2026, 9, 1), "Praxisbeispiele jetzt im Lernnetzwerk teilen",
     "Programmkommunen können ihre Praxisbeispiele im Lernnetzwerk veröffentlichen.",
     "Was wirkt in der Präventionskette? Koordinationen und Fachkräfte teilen ab sofort "
     "strukturierte Praxisbeispiele mit dem ganzen Netzwerk."),
]  # fmt: skip

STANDARD_PAGES = [
    ("Über das Programm", "ueber-das-programm",
     "Das Landesprogramm „kinderstark – NRW schafft Chancen“ unterstützt Kommunen beim Aufbau "
     "kommunaler Präventionsketten gegen Kinder- und Jugendarmut.",
     "Die Landesregierung unterstützt Kommunen beim Aufbau kommunaler Präventionsketten mit "
     "14,2 Mio. Euro im Jahr. Kommunen mit einem hohen Anteil armer Kinder und Jugendlicher "
     "erhalten einen höheren Anteil an den Fördermitteln."),
    ("Kontakt", "kontakt",
     "Ihre Ansprechpersonen in den Landesjugendämtern LVR und LWL.",
     "Fragen zum Fortbildungsprogramm richten Sie an das Landesjugendamt Ihrer Region: das LVR-"
     "Landesjugendamt Rheinland oder das LWL-Landesjugendamt Westfalen-Lippe."),
]  # fmt: skip


def _latin1(text: str) -> str:
    # The PDF core fonts know Latin-1 only: umlauts yes, typographic quotes and dashes no.
    for fancy, plain in (("„", '"'), ("“", '"'), ("–", "-"), ("…", "...")):
        text = text.replace(fancy, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def _pdf(title: str, lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_title(_latin1(title))
    pdf.set_lang("de")
    pdf.add_page()
    pdf.set_font("helvetica", size=16)
    pdf.multi_cell(0, 10, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 7, _latin1(line) or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _document(*, title: str, filename: str, content: bytes, collection: Collection):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title, collection=collection)
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
    return document


def _paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def load(*, password: str, log) -> None:
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(title="kinderstark – NRW schafft Chancen", slug="start")
        )
        log("home page created")
    home.intro = HOME_INTRO
    home.programme_text = PROGRAMME_TEXT
    home.seo_title = "kinderstark – NRW schafft Chancen: Lernnetzwerk und Fortbildung"
    home.search_description = (
        "Curriculum, Fortbildungstermine und Lernnetzwerk der Programmkommunen von "
        "„kinderstark – NRW schafft Chancen“."
    )
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "kinderstark",
        },
    )
    for page in root.get_children().exclude(pk=home.pk):
        if page.specific_class is Page:
            page.delete()
            log("Wagtail's welcome page removed")

    curriculum = CurriculumIndexPage.objects.first()
    if curriculum is None:
        curriculum = home.add_child(
            instance=CurriculumIndexPage(
                title="Curriculum",
                slug="curriculum",
                intro="<p>Die Module des Fortbildungs- und Qualifizierungsprogramms der "
                "Landesjugendämter für die Programmkommunen.</p>",
                search_description="Die Module des Fortbildungsprogramms von „kinderstark“.",
            )
        )
        log("curriculum index created")

    protected = Collection.objects.filter(name=PROTECTED_COLLECTION_NAME).first()
    if protected is None:
        protected = Collection.get_first_root_node().add_child(name=PROTECTED_COLLECTION_NAME)
    public_collection = Collection.get_first_root_node()

    modules = []
    for number, title, slug, provider, fmt, duration, target, summary, goals, text in MODULES:
        course, _ = Course.objects.get_or_create(
            title=title,
            defaults={
                "kind": "fortbildungsmodul",
                "summary": summary,
                "target_group": target,
                "format": "hybrid" if fmt == "blended" else fmt,
                "provider": provider,
                "hours": DURATION_HOURS[duration],
            },
        )
        if course.hours != DURATION_HOURS[duration]:  # demo data of an older release
            course.hours = DURATION_HOURS[duration]
            course.save(update_fields=["hours"])
        public_doc = _document(
            title=f"Modulbeschreibung {number}: {title}",
            filename=f"modul-{number}-beschreibung.pdf",
            content=_pdf(f"Modul {number}: {title}", [summary, "", *goals]),
            collection=public_collection,
        )
        members_doc = _document(
            title=f"Arbeitshilfe Modul {number} (für Mitglieder)",
            filename=f"modul-{number}-arbeitshilfe.pdf",
            content=_pdf(
                f"Arbeitshilfe – {title}", ["Checkliste für die Programmkommunen.", *goals]
            ),
            collection=protected,
        )
        participants_doc = _document(
            title=f"Teilnehmendenmaterial Modul {number}",
            filename=f"modul-{number}-teilnehmende.txt",
            content=(
                f"Teilnehmendenmaterial – Modul {number}: {title}\n\n"
                "Folien, Übungen und Literatur für die Teilnehmenden der Kurstermine.\n"
            ).encode(),
            collection=protected,
        )
        page = ModulePage.objects.filter(slug=slug).first()
        if page is None:
            page = curriculum.add_child(
                instance=ModulePage(title=title, slug=slug, number=number, summary=summary)
            )
            log(f"module {number} created")
        page.number = number
        page.summary = summary
        page.search_description = summary[:155]
        page.target_group = target
        page.format = fmt
        page.duration = duration
        page.course = course
        page.learning_goals = "<ul>" + "".join(f"<li>{goal}</li>" for goal in goals) + "</ul>"
        page.body = [
            {"type": "heading", "value": {"text": "Worum es geht", "level": "h2"}},
            _paragraph(text),
            {
                "type": "info_box",
                "value": {
                    "title": "Anmeldung",
                    "text": "<p>Die Koordination Ihrer Kommune meldet Sie an – oder Sie melden "
                    "sich selbst über die Kurstermine an.</p>",
                },
            },
            {
                "type": "document_list",
                "value": {"heading": "Zum Herunterladen", "documents": [public_doc.pk]},
            },
            {
                "type": "accordion",
                "value": {
                    "heading": "Häufige Fragen",
                    "items": [
                        {
                            "question": "Wer kann teilnehmen?",
                            "answer": f"<p>{target} aus den Programmkommunen.</p>",
                        },
                        {
                            "question": "Erhalte ich eine Teilnahmebescheinigung?",
                            "answer": "<p>Ja, nach der Teilnahme an allen Einheiten.</p>",
                        },
                    ],
                },
            },
        ]
        materials = [
            (public_doc, "public", "Ziele, Inhalte und Ablauf des Moduls"),
            (members_doc, "members", "Checkliste zur Vorbereitung in der Kommune"),
            (participants_doc, "participants", "Folien und Übungen aus dem Kurs"),
        ]
        # Loaded again, the module keeps its material rows: replaced ones would fail the
        # reference-index tasks Wagtail queued for them, if the worker had not run yet.
        if [(m.document_id, m.access, m.description) for m in page.materials.all()] != [
            (document.pk, access, description) for document, access, description in materials
        ]:
            page.materials = [_material(*material) for material in materials]
        page.save_revision().publish()
        modules.append(page)
    for module in modules:
        # Fresh from the database: the page in hand holds its materials as they were before the
        # publish gave them ids, and a revision of it would replace them with new rows (the
        # reference-index tasks Wagtail queued for the old rows would then fail in the worker).
        page = ModulePage.objects.get(pk=module.pk)
        page.related_modules = [other for other in modules if abs(other.number - page.number) == 1]
        page.save_revision().publish()
    log(f"{len(modules)} modules with courses and material")

    news_index = NewsIndexPage.objects.first()
    if news_index is None:
        news_index = home.add_child(
            instance=NewsIndexPage(
                title="Aktuelles",
                slug="aktuelles",
                search_description="Neuigkeiten aus dem Programm und dem Lernnetzwerk.",
            )
        )
    for date, title, teaser, text in NEWS:
        if not NewsPage.objects.filter(title=title).exists():
            news_index.add_child(
                instance=NewsPage(title=title, date=date, teaser=teaser, body=[_paragraph(text)])
            )
    log(f"{NewsPage.objects.count()} news items")

    for title, slug, intro, text in STANDARD_PAGES:
        if not StandardPage.objects.filter(slug=slug).exists():
            home.add_child(
                instance=StandardPage(title=title, slug=slug, intro=intro, body=[_paragraph(text)])
            )
    log(f"{StandardPage.objects.count()} standard pages")

    demo_offers.load(home=home, log=log)

    # The header's and footer's navigation lists the home page's children shown in menus.
    menu = [curriculum, news_index, *StandardPage.objects.child_of(home).filter(
        slug__in=[slug for _title, slug, _intro, _text in STANDARD_PAGES]
    )]  # fmt: skip
    for page in menu:
        if not page.show_in_menus:
            page.show_in_menus = True
            page.save_revision().publish()
    log(f"{len(menu)} pages in the navigation")

    _editor_groups(log)
    call_command("update_index", verbosity=0)
    log("search index updated")


def _material(document, access: str, description: str):
    from cms.models import ModuleMaterial

    return ModuleMaterial(document=document, access=access, description=description)


def _editor_groups(log) -> None:
    """The demo editor drafts and submits; the demo course manager approves and publishes."""
    pairs = [("redaktion@lvr.example", "Redaktion"), ("fortbildung@lwl.example", "Freigabe")]
    for email, group_name in pairs:
        user = User.objects.filter(email=email).first()
        group = Group.objects.filter(name=group_name).first()
        if user and group:
            user.groups.add(group)
            log(f"{email} in group {group_name}")
