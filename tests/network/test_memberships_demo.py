"""The demo municipalities and logins, the load_demo idempotency, and network.privacy."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate

from core.models import User
from core.selectors import user_is_landesjugendamt_staff
from core.services import account_delete, account_export
from network import demo, privacy
from network.models import Invitation, Membership, MembershipRole, MembershipStatus, Municipality
from network.selectors.memberships import user_is_coordinator_of, user_membership
from tests.factories import InvitationFactory, MembershipFactory, MunicipalityFactory, member

pytestmark = pytest.mark.django_db


def test_the_list_holds_the_nrw_kreisfreie_staedte_and_kreise():
    rows = demo.MUNICIPALITIES
    staedte = [r for r in rows if r[1] == "kreisfreie_stadt"]
    kreise = [r for r in rows if r[1] == "kreis"]
    assert len(staedte) == 22 and len(kreise) == 31
    assert len({r[0] for r in rows}) == 53 and len({r[3] for r in rows}) == 53
    for name, kind, region, key in rows:
        # NRW is Land 05; Regierungsbezirke Düsseldorf (1) and Köln (3) are the LVR's,
        # Münster (5), Detmold (7) and Arnsberg (9) the LWL's.
        assert key.startswith("05"), name
        assert region == ("LVR" if key[2] in "13" else "LWL"), name
        if kind == "kreisfreie_stadt":
            assert len(key) == 8 and key.endswith("000"), name
        else:
            assert len(key) == 5, name
    keys = {name: key for name, _kind, _region, key in rows}
    assert keys["Dortmund"] == "05913000"
    assert keys["Köln"] == "05315000"
    assert keys["Kreis Recklinghausen"] == "05562"
    assert keys["Städteregion Aachen"] == "05334"
    assert "Aachen" not in keys  # part of the Städteregion, not kreisfrei
    assert not any("Hannover" in name for name in keys)


def test_the_kreisangehoerige_staedte_have_their_kreis_in_their_key():
    kreise = {key: name for name, kind, _region, key in demo.MUNICIPALITIES if kind == "kreis"}
    for name, kind, region, key in demo.KREISANGEHOERIGE:
        assert kind == "kreisangehoerige_stadt" and len(key) == 8, name
        assert key[:5] in kreise, name  # the AGS starts with its Kreis's key
        assert region == ("LVR" if key[2] in "13" else "LWL"), name


def _counts():
    return (
        Municipality.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        Membership.objects.filter(status=MembershipStatus.PENDING).count(),
        EmailAddress.objects.count(),
    )


def test_load_is_idempotent_and_shows_progress():
    lines = []
    demo.load(password="geheim-demo-1", log=lines.append)
    first = _counts()
    demo.load(password="geheim-demo-1", log=lines.append)
    assert _counts() == first
    assert first[0] == 63
    assert any(
        "63 municipalities (22 kreisfreie Städte, 31 Kreise, 10 kreisangehörige Städte)" in line
        for line in lines
    )
    assert Municipality.objects.filter(is_demo=True).count() == 63
    assert any("koordination@dortmund.example" in line for line in lines)


def test_the_five_demo_logins():
    demo.load(password="geheim-demo-1", log=lambda _: None)
    dortmund = Municipality.objects.get(slug="dortmund")
    koeln = Municipality.objects.get(slug="koeln")
    for email in [row[0] for row in demo.LOGINS]:
        user = authenticate(email=email, password="geheim-demo-1")
        assert user is not None, email
        assert EmailAddress.objects.get(user=user, email=email).verified
    staff = User.objects.get(email="redaktion@lvr.example")
    assert user_is_landesjugendamt_staff(user=staff) and staff.landesjugendamt == "LVR"
    assert user_is_landesjugendamt_staff(user=User.objects.get(email="fortbildung@lwl.example"))
    assert user_is_coordinator_of(
        user=User.objects.get(email="koordination@dortmund.example"), municipality=dortmund
    )
    fachkraft = User.objects.get(email="fachkraft@dortmund.example")
    assert user_membership(user=fachkraft).municipality == dortmund
    assert user_membership(user=fachkraft).role == MembershipRole.STAFF
    assert user_is_coordinator_of(
        user=User.objects.get(email="koordination@koeln.example"), municipality=koeln
    )
    assert not user_is_landesjugendamt_staff(user=fachkraft)


# --- privacy ------------------------------------------------------------------------------------


def test_export_has_own_memberships_and_invitations_only():
    town = MunicipalityFactory(name="Bochum")
    user = member(town, email="ich@bochum.example")
    MembershipFactory(municipality=town, message="fremd")
    InvitationFactory(municipality=town, email="ich@bochum.example")
    InvitationFactory(municipality=town, email="andere@bochum.example", invited_by=user)
    InvitationFactory(municipality=town, email="dritte@bochum.example")
    data = privacy.export(user)
    assert [m["municipality"] for m in data["memberships"]] == ["Bochum"]
    assert [i["email"] for i in data["invitations_sent"]] == ["andere@bochum.example"]
    assert len(data["invitations_received"]) == 1
    text = json.dumps(data)
    assert "fremd" not in text and "dritte@bochum.example" not in text
    assert "network" in account_export(user=user)


def test_erase_ends_memberships_and_removes_invitations():
    town = MunicipalityFactory()
    user = member(town, email="weg@kommune.example")
    Membership.objects.filter(user=user).update(message="Mein Team: Frühe Hilfen Nord")
    InvitationFactory(municipality=town, email="weg@kommune.example")
    sent = InvitationFactory(municipality=town, email="kollege@kommune.example", invited_by=user)
    account_delete(user=user)
    membership = Membership.objects.get(user=user)
    assert membership.status == MembershipStatus.ENDED and membership.message == ""
    assert not Invitation.objects.filter(email="weg@kommune.example").exists()
    sent.refresh_from_db()
    assert sent.invited_by is None
    assert not Membership.objects.filter(message__contains="Frühe Hilfen Nord").exists()


def test_retention_is_listed():
    assert "network.privacy" in settings.PRIVACY_MODULES
    assert all(len(row) == 2 for row in privacy.RETENTION)
