"""Demo board: the network and region rooms with a few messages (idempotent by nonce)."""

from core.models import User
from events.models import Message
from events.services import message_store, room_ensure_defaults, room_for_slug

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
        if Message.objects.filter(room=room, author=author, nonce=nonce).exists():
            continue
        message_store(room=room, author=author, nonce=nonce, body=text)
        created += 1
    log(f"board: 3 rooms, {created} new messages")
