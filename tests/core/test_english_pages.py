"""English pages read English (issue 12): with the demo data, each role's pages — public pages,
member pages, the board, the forum, training, the account — are served in English and scanned
for German words that the interface itself says. What people wrote (pages, posts, messages,
course titles, municipality names: the demo content) is German and stays so; it is read from
the database and allowed, as are the programme's own terms."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

from core.models import User

WORD = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß'’-]*[A-Za-zÄÖÜäöüß]")
EMAIL = re.compile(r"\S+@\S+")
# Common German words, whatever the catalogues hold (a msgid can itself be German).
FUNCTION_WORDS = {
    "und",
    "oder",
    "nicht",
    "mit",
    "für",
    "von",
    "bei",
    "auf",
    "aus",
    "nach",
    "über",
    "unter",
    "zum",
    "zur",
    "dem",
    "den",
    "des",
    "ein",
    "eine",
    "einen",
    "einem",
    "einer",
    "ist",
    "sind",
    "wird",
    "werden",
    "wurde",
    "kann",
    "können",
    "bitte",
    "ihre",
    "ihr",
    "sie",
    "hier",
    "alle",
    "keine",
    "kein",
    "noch",
    "jetzt",
    "bis",
    "seit",
    "ohne",
    "gegen",
    "durch",
    "zwischen",
    "jahre",
    "jahr",
    "dateien",
    "jeweils",
    "höchstens",
}
# Words that read the same in English, or that English text on this site uses on purpose.
ENGLISH = {
    "am",
    "an",
    "in",
    "so",
    "also",
    "war",
    "will",
    "hat",
    "kind",
    "see",
    "handy",
    "fast",
    "gift",
    "rat",
    "bad",
    "mist",
    "rock",
    "die",
    "man",
    "top",
    "tag",
    "start",
    "status",
    "name",
    "test",
    "team",
    "region",
    "material",
    "forum",
    "portal",
    "format",
    "online",
    "hybrid",
    "normal",
    "details",
    "position",
    "person",
    "text",
    "moderation",
    "curriculum",
}
# The programme's own terms (DESIGN.md) and the language switch, which names German in German.
PROGRAMME_TERMS = {
    "deutsch",
    "kinderstark",
    "lernnetzwerk",
    "landesjugendamt",
    "landesjugendämter",
    "programmkommunen",
    "präventionskette",
    "präventionsketten",
    "koordination",
    "fachkraft",
    "fachkräfte",
    "frühe",
    "hilfen",
    "kita",
    "familiengrundschulzentrum",
    "familiengrundschulzentren",
    "familienbüro",
    "familienbüros",
    "lotsendienst",
    "aufsuchende",
    "übergang",
    "schule–beruf",
    "praxisbeispiele",
    "fortbildungsmodul",
    "fortbildungsmodule",
    "lernnetzwerktreffen",
    "fachtag",
    "fachtage",
    "online-austausch",
    "kreis",
    "kreisfreie",
    "kreisangehörige",
    "stadt",
    "jugendamt",
    "chancen",
    "schafft",
    # addresses of the authorities named on the legal pages
    "kavalleriestraße",
    "fürstenwall",
}
SKIP = (
    "/static/",
    "/media/",
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/i18n/",
    "/konto/logout/",
)


def _po_words(path: Path) -> tuple[set[str], set[str]]:
    """The words of the msgids and of the msgstrs of one catalogue, lower case."""
    ids, strs = set(), set()
    target = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            target, line = ids, line.split(" ", 1)[1]
        elif line.startswith("msgstr"):
            target, line = strs, line.split(" ", 1)[1]
        elif not line.startswith('"'):
            target = None
            continue
        if target is not None:
            target.update(w.lower() for w in WORD.findall(line))
    return ids, strs


def german_vocabulary() -> set[str]:
    """The words our German translations use that no English msgid uses, and common German
    words: what an English page should not show."""
    english, german = set(), set()
    base = Path(settings.BASE_DIR)
    # The apps' catalogues and those of the apps inside them (network/forums, training/evaluation).
    catalogues = [
        *base.glob("*/locale/de/LC_MESSAGES/django.po"),
        *base.glob("*/*/locale/de/LC_MESSAGES/django.po"),
    ]
    for path in catalogues:
        ids, strs = _po_words(path)
        english |= ids
        german |= strs
    return (german - english) | FUNCTION_WORDS


def content_words() -> set[str]:
    """Every word stored in the database: what editors and members wrote (and demo data)."""
    words = set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            or f.get_internal_type() == "StreamField"
        ]
        if not fields or model._meta.app_label in ("sessions", "contenttypes"):
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value:
                    text = (
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
                    words.update(w.lower() for w in WORD.findall(text))
    return words


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class _Text(HTMLParser):
    """What a person reads or hears: text, and the labels, titles and alternatives.

    Text inside an element marked lang="de" is German on purpose and announced as such (the
    offers in Leichter Sprache and Gebärdensprache, which exist in German only): skipped."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0
        self.open: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag not in VOID and tag != "html":
            german = values.get("lang") == "de"
            self.open.append((tag, german))
            if german:
                self.hidden += 1
        if tag in ("script", "style", "template"):
            self.hidden += 1
        if self.hidden:
            return
        for name in ("aria-label", "title", "placeholder", "alt"):
            if values.get(name):
                self.parts.append(values[name])
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1
        # Close up to the matching element (HTML lets some end tags be left out).
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                for _tag, german in self.open[index:]:
                    self.hidden -= german
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    # The board's strings for its script come as JSON: people read them too.
    for blob in re.findall(
        r'<script id="board-strings" type="application/json">(.*?)</script>', html
    ):
        parser.parts.extend(str(v) for v in json.loads(blob).values())
    return EMAIL.sub(" ", " ".join(parser.parts))


def crawl(client, starts: list[str], limit: int) -> dict[str, str]:
    """url -> text of the English pages reachable by links from `starts` (GET only)."""
    seen, queue, texts = set(), list(starts), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        assert '<html lang="en">' in html, url
        texts[url] = page_text(html)
        for href in re.findall(r'href="(/[^"#?]*)', html):
            if href.startswith(SKIP) or re.search(r"\.(pdf|ics|csv|xlsx|txt|zip)$", href):
                continue
            if href not in seen:
                queue.append(href)
    return texts


ROLES = {
    None: ["/", "/curriculum/", "/aktuelles/", "/fortbildung/", "/datenschutz/"],
    "fachkraft@dortmund.example": [
        "/mein-bereich/",
        "/board/",
        "/board/lernnetzwerk-nrw/",
        "/netzwerk/foren/",
        "/netzwerk/foren/netzwerkarbeit-und-koordination/neu/",
        "/netzwerk/praxisbeispiele/neu/",
        "/fortbildung/meine/",
        "/profil/",
        "/konto/email/",
        "/",
    ],
    "koordination@dortmund.example": [
        "/netzwerk/kommune/",
        "/fortbildung/kommune/",
        "/netzwerk/praxisbeispiele/",
        "/",
    ],
    "redaktion@lvr.example": ["/board/", "/netzwerk/foren/", "/"],
    "fortbildung@lwl.example": ["/fortbildung/verwaltung/", "/fortbildung/", "/"],
}


@pytest.mark.django_db
def test_english_pages_say_nothing_in_german(client):
    call_command("load_demo", verbosity=0)
    german = german_vocabulary()
    allowed = ENGLISH | PROGRAMME_TERMS | content_words()
    found: dict[str, set[str]] = {}
    pages = 0
    for email, starts in ROLES.items():
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        for url, text in crawl(client, starts, limit=45).items():
            pages += 1
            words = {
                w
                for w in WORD.findall(text)
                if (w.lower() in german or re.search("[äöüßÄÖÜ]", w)) and w.lower() not in allowed
            }
            if words:
                found[f"{email or 'public'} {url}"] = words
    assert pages > 100
    assert found == {}
