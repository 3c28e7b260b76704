"""Demo board: the network and region rooms with a few messages (idempotent by nonce)."""

from core.markdown import render_markdown
from core.models import User
from events.models import Message
from events.services import room_ensure_defaults, room_for_slug

MESSAGES = [
    # (room slug, author e-mail, nonce, text)
    ("lernnetzwerk-nrw", "redaktion@lvr.example", "demo-1",
     "Willkommen im Live-Board des Lernnetzwerks! Hier können Sie sich in Echtzeit austauschen."),
    ("lernnetzwerk-nrw", "koordination@dortmund.example", "demo-2",
     "Hallo zusammen – wir bauen gerade unsere **Lotsendienste in Geburtskliniken** aus. "
     "Hat jemand Erfahrungen mit der Finanzierung?"),
    ("lernnetzwerk-nrw", "koordination@koeln.example", "demo-3",
     "Ja, in Köln haben wir das über die *Frühen Hilfen* angestoßen. Gern mehr beim nächsten "
     "Netzwerktreffen."),
    ("westfalen-lippe", "fachkraft@dortmund.example", "demo-4",
     "Gibt es in Westfalen-Lippe schon Erfahrungen mit Familiengrundschulzentren?"),
    ("rheinland", "koordination@koeln.example", "demo-5",
     "Erinnerung: Das Regionaltreffen Rheinland findet im nächsten Monat statt."),
]  # fmt: skip


def load(*, password: str, log) -> None:
    room_ensure_defaults()
    created = 0
    for slug, email, nonce, text in MESSAGES:
        author = User.objects.filter(email=email).first()
        room = room_for_slug(slug=slug)
        if author is None or room is None:
            continue
        _, made = Message.objects.get_or_create(
            room=room,
            author=author,
            nonce=nonce,
            defaults={
                "body": text,
                "body_html": render_markdown(text),
                "author_municipality": _municipality(author),
            },
        )
        created += made
    log(f"board: 3 rooms, {created} new messages")


def _municipality(user) -> str:
    from network.selectors.memberships import user_membership

    membership = user_membership(user=user)
    if membership is not None:
        return membership.municipality.name
    return user.get_landesjugendamt_display() if user.landesjugendamt else ""
