"""Demo data of the network: the real NRW kreisfreie Städte and Kreise, the five demo logins of
DESIGN.md with their memberships, a few more members and one open request (idempotent)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import User
from network.cache import municipalities_changed
from network.models import (
    Membership,
    MembershipRole,
    MembershipStatus,
    Municipality,
    MunicipalityKind,
    Region,
)
from network.services.municipality_import import slug_for

STADT = MunicipalityKind.KREISFREIE_STADT
KREIS = MunicipalityKind.KREIS
GEMEINDE = MunicipalityKind.KREISANGEHOERIGE_STADT

# The 22 kreisfreie Städte and 31 Kreise of Nordrhein-Westfalen (public facts): name, kind,
# Landesjugendamt region, Amtlicher Gemeindeschlüssel (8 digits) for a kreisfreie Stadt and the
# five-digit Kreisschlüssel for a Kreis. The Regierungsbezirke Düsseldorf (051..) and Köln
# (053..) belong to the LVR, Münster (055..), Detmold (057..) and Arnsberg (059..) to the LWL.
MUNICIPALITIES = [
    # Regierungsbezirk Düsseldorf – LVR
    ("Düsseldorf", STADT, Region.LVR, "05111000"),
    ("Duisburg", STADT, Region.LVR, "05112000"),
    ("Essen", STADT, Region.LVR, "05113000"),
    ("Krefeld", STADT, Region.LVR, "05114000"),
    ("Mönchengladbach", STADT, Region.LVR, "05116000"),
    ("Mülheim an der Ruhr", STADT, Region.LVR, "05117000"),
    ("Oberhausen", STADT, Region.LVR, "05119000"),
    ("Remscheid", STADT, Region.LVR, "05120000"),
    ("Solingen", STADT, Region.LVR, "05122000"),
    ("Wuppertal", STADT, Region.LVR, "05124000"),
    ("Kreis Kleve", KREIS, Region.LVR, "05154"),
    ("Kreis Mettmann", KREIS, Region.LVR, "05158"),
    ("Rhein-Kreis Neuss", KREIS, Region.LVR, "05162"),
    ("Kreis Viersen", KREIS, Region.LVR, "05166"),
    ("Kreis Wesel", KREIS, Region.LVR, "05170"),
    # Regierungsbezirk Köln – LVR
    ("Bonn", STADT, Region.LVR, "05314000"),
    ("Köln", STADT, Region.LVR, "05315000"),
    ("Leverkusen", STADT, Region.LVR, "05316000"),
    ("Städteregion Aachen", KREIS, Region.LVR, "05334"),
    ("Kreis Düren", KREIS, Region.LVR, "05358"),
    ("Rhein-Erft-Kreis", KREIS, Region.LVR, "05362"),
    ("Kreis Euskirchen", KREIS, Region.LVR, "05366"),
    ("Kreis Heinsberg", KREIS, Region.LVR, "05370"),
    ("Oberbergischer Kreis", KREIS, Region.LVR, "05374"),
    ("Rheinisch-Bergischer Kreis", KREIS, Region.LVR, "05378"),
    ("Rhein-Sieg-Kreis", KREIS, Region.LVR, "05382"),
    # Regierungsbezirk Münster – LWL
    ("Bottrop", STADT, Region.LWL, "05512000"),
    ("Gelsenkirchen", STADT, Region.LWL, "05513000"),
    ("Münster", STADT, Region.LWL, "05515000"),
    ("Kreis Borken", KREIS, Region.LWL, "05554"),
    ("Kreis Coesfeld", KREIS, Region.LWL, "05558"),
    ("Kreis Recklinghausen", KREIS, Region.LWL, "05562"),
    ("Kreis Steinfurt", KREIS, Region.LWL, "05566"),
    ("Kreis Warendorf", KREIS, Region.LWL, "05570"),
    # Regierungsbezirk Detmold – LWL
    ("Bielefeld", STADT, Region.LWL, "05711000"),
    ("Kreis Gütersloh", KREIS, Region.LWL, "05754"),
    ("Kreis Herford", KREIS, Region.LWL, "05758"),
    ("Kreis Höxter", KREIS, Region.LWL, "05762"),
    ("Kreis Lippe", KREIS, Region.LWL, "05766"),
    ("Kreis Minden-Lübbecke", KREIS, Region.LWL, "05770"),
    ("Kreis Paderborn", KREIS, Region.LWL, "05774"),
    # Regierungsbezirk Arnsberg – LWL
    ("Bochum", STADT, Region.LWL, "05911000"),
    ("Dortmund", STADT, Region.LWL, "05913000"),
    ("Hagen", STADT, Region.LWL, "05914000"),
    ("Hamm", STADT, Region.LWL, "05915000"),
    ("Herne", STADT, Region.LWL, "05916000"),
    ("Ennepe-Ruhr-Kreis", KREIS, Region.LWL, "05954"),
    ("Hochsauerlandkreis", KREIS, Region.LWL, "05958"),
    ("Märkischer Kreis", KREIS, Region.LWL, "05962"),
    ("Kreis Olpe", KREIS, Region.LWL, "05966"),
    ("Kreis Siegen-Wittgenstein", KREIS, Region.LWL, "05970"),
    ("Kreis Soest", KREIS, Region.LWL, "05974"),
    ("Kreis Unna", KREIS, Region.LWL, "05978"),
]

# Some of the kreisangehörige Städte with a youth office of their own (their eight-digit AGS);
# the whole list of NRW's 186 youth offices comes from the Landesjugendämter by import.
KREISANGEHOERIGE = [
    ("Neuss", GEMEINDE, Region.LVR, "05162024"),
    ("Ratingen", GEMEINDE, Region.LVR, "05158028"),
    ("Moers", GEMEINDE, Region.LVR, "05170024"),
    ("Bergisch Gladbach", GEMEINDE, Region.LVR, "05378004"),
    ("Kerpen", GEMEINDE, Region.LVR, "05362032"),
    ("Recklinghausen", GEMEINDE, Region.LWL, "05562032"),
    ("Gütersloh", GEMEINDE, Region.LWL, "05754008"),
    ("Paderborn", GEMEINDE, Region.LWL, "05774032"),
    ("Iserlohn", GEMEINDE, Region.LWL, "05962024"),
    ("Lünen", GEMEINDE, Region.LWL, "05978024"),
]
# Of those, the demo's programme municipalities; the others are youth offices outside it.
KREISANGEHOERIGE_IN_PROGRAMME = {"Neuss", "Recklinghausen", "Paderborn"}

# Programme cohort and year joined: DEMO VALUES, not the programme's real records. Three cohorts
# (2017, 2020, 2022) spread over the list, Dortmund and Köln in the first.
DEMO_COHORTS = {1: 2017, 2: 2020, 3: 2022}


def demo_cohort(index: int, name: str, kind: str = STADT) -> int | None:
    if name in ("Dortmund", "Köln"):
        return 1
    if kind == GEMEINDE and name not in KREISANGEHOERIGE_IN_PROGRAMME:
        return None
    return index % 3 + 1


LOGINS = [
    # (email, name, function, landesjugendamt, staff group, municipality slug, role)
    ("redaktion@lvr.example", "Rita Redaktion", "Redaktion Fortbildungsprogramm", "LVR", True,
     None, None),
    ("fortbildung@lwl.example", "Frank Fortbildung", "Fortbildungsmanagement", "LWL", True,
     None, None),
    ("koordination@dortmund.example", "Dana Demir", "Koordination Präventionskette", "", False,
     "dortmund", MembershipRole.COORDINATOR),
    ("fachkraft@dortmund.example", "Felix Fischer", "Fachkraft Frühe Hilfen", "", False,
     "dortmund", MembershipRole.STAFF),
    ("koordination@koeln.example", "Katrin Kaya", "Koordination Präventionskette", "", False,
     "koeln", MembershipRole.COORDINATOR),
]  # fmt: skip

# More people, without a usable password (they cannot log in): members to fill the member lists
# and one open request for Dortmund's coordinator to decide.
# (email, name, function, municipality slug, role, status, message)
PEOPLE = [
    ("familienbuero@dortmund.example", "Jonas Becker", "Familienbüro Nordstadt", "dortmund",
     MembershipRole.STAFF, MembershipStatus.APPROVED, ""),
    ("lotsendienst@dortmund.example", "Aylin Yıldız", "Lotsendienst Geburtsklinik", "dortmund",
     MembershipRole.STAFF, MembershipStatus.PENDING,
     "Ich arbeite im Lotsendienst am Klinikum Nord und würde gern am Lernnetzwerk teilnehmen."),
    ("fruehehilfen@koeln.example", "Mara Schulte", "Fachkraft Frühe Hilfen", "koeln",
     MembershipRole.STAFF, MembershipStatus.APPROVED, ""),
    ("fgz@koeln.example", "Tobias Wagner", "Familiengrundschulzentrum Chorweiler", "koeln",
     MembershipRole.STAFF, MembershipStatus.APPROVED, ""),
]  # fmt: skip


def _ensure_membership(user, slug, role, status, message="") -> None:
    municipality = Municipality.objects.get(slug=slug)
    live = Membership.objects.filter(
        user=user, status__in=[MembershipStatus.PENDING, MembershipStatus.APPROVED]
    ).first()
    if live is None:
        live = Membership(user=user)
    live.municipality = municipality
    live.role = role
    live.status = status
    live.message = message
    live.decided_at = timezone.now() if status == MembershipStatus.APPROVED else None
    live.save()


def load(*, password: str, log) -> None:
    for index, (name, kind, region, key) in enumerate(MUNICIPALITIES + KREISANGEHOERIGE):
        cohort = demo_cohort(index, name, kind)
        Municipality.objects.update_or_create(
            municipality_key=key,
            defaults={
                "name": name,
                "slug": slug_for(name),
                "kind": kind,
                "region": region,
                "cohort": cohort,
                "joined_year": DEMO_COHORTS.get(cohort),
                "active": True,
                "is_demo": True,
            },
        )
    municipalities_changed()
    towns = Municipality.objects.filter(kind=STADT).count()
    kreise = Municipality.objects.filter(kind=KREIS).count()
    gemeinden = Municipality.objects.filter(kind=GEMEINDE).count()
    total = Municipality.objects.count()
    log(
        f"{total} municipalities ({towns} kreisfreie Städte, {kreise} Kreise, "
        f"{gemeinden} kreisangehörige Städte)"
    )

    staff_group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    for email, name, function, lja, is_staff, slug, role in LOGINS:
        user, created = User.objects.get_or_create(email=email)
        user.name = name
        user.function = function
        user.landesjugendamt = lja
        user.is_staff = is_staff
        user.is_active = True
        user.show_email_to_members = True
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if is_staff:
            user.groups.add(staff_group)
        if slug:
            _ensure_membership(user, slug, role, MembershipStatus.APPROVED)
        log(f"login {email} ({'new' if created else 'updated'})")

    for email, name, function, slug, role, status, message in PEOPLE:
        user, created = User.objects.get_or_create(email=email)
        user.name = name
        user.function = function
        if created:
            user.set_unusable_password()
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        _ensure_membership(user, slug, role, status, message)
    log(
        f"{Membership.objects.filter(status=MembershipStatus.APPROVED).count()} approved "
        f"memberships, {Membership.objects.filter(status=MembershipStatus.PENDING).count()} "
        "open request(s)"
    )
