"""Demo municipalities, the five demo logins and their memberships (idempotent)."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from core.models import User
from network.models import Membership, MembershipRole, MembershipStatus, Municipality

# (name, slug, kind, region, key, cohort, joined)
MUNICIPALITIES = [
    ("Dortmund", "dortmund", "kreisfreie_stadt", "LWL", "05913000", 1, 2017),
    ("Köln", "koeln", "kreisfreie_stadt", "LVR", "05315000", 1, 2017),
]

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


def load(*, password: str, log) -> None:
    for name, slug, kind, region, key, cohort, joined in MUNICIPALITIES:
        Municipality.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "region": region,
                "municipality_key": key,
                "cohort": cohort,
                "joined_year": joined,
                "active": True,
            },
        )
    log(f"{Municipality.objects.count()} municipalities")

    staff_group, _ = Group.objects.get_or_create(name=settings.STAFF_GROUP_NAME)
    for email, name, function, lja, is_staff, slug, role in LOGINS:
        user, created = User.objects.get_or_create(email=email)
        user.name = name
        user.function = function
        user.landesjugendamt = lja
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if is_staff:
            user.groups.add(staff_group)
        if slug:
            Membership.objects.update_or_create(
                user=user,
                status=MembershipStatus.APPROVED,
                defaults={
                    "municipality": Municipality.objects.get(slug=slug),
                    "role": role,
                    "decided_at": timezone.now(),
                },
            )
        log(f"login {email} ({'new' if created else 'updated'})")
