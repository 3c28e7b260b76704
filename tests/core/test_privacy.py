"""DSGVO self-service: download my data (only mine), delete my account (nothing personal left
anywhere in the database, what others need stays readable as „ehemaliges Mitglied“)."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import Client
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from core.models import User
from core.services import account_delete, account_export, account_retention
from network.models import Invitation, Membership
from tests.core.helpers import find_anywhere, give_totp, login, main_html, page_title
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NAME = "Zyprian Quastenflosser"
EMAIL = "zyprian.quast@dortmund.example"


@pytest.fixture
def person():
    """Someone with data in every place the platform keeps some."""
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund")
    user = UserFactory(email=EMAIL, name=NAME, function="Koordination Präventionskette")
    MembershipFactory(user=user, municipality=dortmund, message=f"Hallo, hier ist {NAME}.")
    Invitation.objects.create(
        municipality=dortmund,
        email="kollegin@dortmund.example",
        invited_by=user,
        expires_at=timezone.now() + timedelta(days=7),
    )
    Invitation.objects.create(
        municipality=dortmund,
        email=EMAIL,
        invited_by=UserFactory(),
        expires_at=timezone.now() + timedelta(days=7),
    )
    second = EmailAddress.objects.create(user=user, email="zyprian.privat@mail.example")
    EmailConfirmation.create(second)
    give_totp(user)
    # What staff did to the account is logged with the person's name.
    staff = StaffFactory()
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[user], action_flag=CHANGE, change_message="name"
    )
    log(instance=user, action="wagtail.edit", user=staff)
    return user


def test_export_holds_my_data_and_nobody_elses(person):
    other = UserFactory(email="andere@koeln.example", name="Olga Anders")
    MembershipFactory(user=other, municipality=MunicipalityFactory(name="Köln", slug="koeln"))

    data = account_export(user=person)
    text = json.dumps(data, ensure_ascii=False)
    assert data["core"]["account"]["email"] == EMAIL
    assert data["core"]["account"]["name"] == NAME
    assert {a["email"] for a in data["core"]["email_addresses"]} == {
        EMAIL,
        "zyprian.privat@mail.example",
    }
    assert {f["type"] for f in data["core"]["second_factors"]} == {"totp", "recovery_codes"}
    assert data["network"]["memberships"][0]["municipality"] == "Dortmund"
    assert "andere@koeln.example" not in text
    assert "Olga Anders" not in text
    assert "Köln" not in text
    # No secrets in the export: the second factor is named, not given away.
    assert "secret" not in text and "password" not in text


def test_download_is_a_json_attachment(client, person):
    client.force_login(person)
    response = client.get("/profil/meine-daten/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="kinderstark-meine-daten-'
    )
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = json.loads(response.content)
    assert body["data"]["core"]["account"]["email"] == EMAIL


def test_the_database_search_finds_the_person_before_deletion(client, person):
    login(client, person)  # stage of the login with the second factor: a session row
    hits = find_anywhere([EMAIL, NAME])
    tables = {hit.split(".", 1)[0] + "." + hit.split(".")[1].split(" ")[0] for hit in hits}
    assert "core.User" in tables
    assert "account.EmailAddress" in tables
    assert "admin.LogEntry" in tables
    assert "wagtailcore.ModelLogEntry" in tables
    assert "sessions.Session" in tables
    assert "network.Membership" in tables
    assert "network.Invitation" in tables


def test_deletion_leaves_no_personal_data_anywhere(client, person):
    other = UserFactory(name="Olga Anders")
    # Something the person wrote that others still read: a page they own.
    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Unser Netzwerktreffen", owner=person))

    browser = Client()
    browser.force_login(person)
    login(client, person)
    assert find_anywhere([EMAIL, NAME])

    account_delete(user=person)

    assert find_anywhere([EMAIL, NAME, "zyprian.privat@mail.example"]) == []
    person.refresh_from_db()
    assert person.erased_at is not None
    assert not person.is_active
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exclude(status="ended").exists()
    # The other sessions of the person are gone: the browser is logged out.
    assert "_auth_user_id" not in browser.session or browser.get("/profil/").status_code == 302
    # What they wrote stays, under „ehemaliges Mitglied“.
    page.refresh_from_db()
    rendered = Template("{{ page.title }} – {{ page.owner }}").render(Context({"page": page}))
    assert rendered == "Unser Netzwerktreffen – ehemaliges Mitglied"
    # Nobody else was touched.
    other.refresh_from_db()
    assert other.name == "Olga Anders" and other.is_active


def test_delete_page_asks_for_the_password(client, person):
    client.force_login(person)
    response = client.get("/profil/konto-loeschen/")
    html = main_html(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<label for="id_password">Ihr Passwort:</label>' in html
    assert 'method="post"' in html
    assert User.objects.get(pk=person.pk).erased_at is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("falsch-falsch", "Das Passwort ist nicht richtig. Ihr Konto wurde nicht gelöscht."),
        ("", "Bitte geben Sie Ihr Passwort ein."),
    ],
)
def test_wrong_password_deletes_nothing(client, person, password, message):
    client.force_login(person)
    response = client.post("/profil/konto-loeschen/", {"password": password})
    assert response.status_code == 400
    html = main_html(response)
    assert message in html
    assert 'aria-invalid="true"' in html and 'id="id_password_error"' in html
    person.refresh_from_db()
    assert person.erased_at is None and person.email == EMAIL
    assert client.get("/profil/").status_code == 200  # still logged in


def test_delete_needs_a_csrf_token(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    response = client.post("/profil/konto-loeschen/", {"password": PASSWORD})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.erased_at is None


def test_delete_with_the_password_logs_out_and_says_so(client, person):
    client.force_login(person)
    response = client.post("/profil/konto-loeschen/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/konto-geloescht/"
    page = client.get(response["Location"])
    assert page_title(page) == "Ihr Konto wurde gelöscht – kinderstark Lernnetzwerk"
    assert "Sie wurden abgemeldet" in main_html(page)
    person.refresh_from_db()
    assert person.erased_at is not None
    assert "_auth_user_id" not in client.session
    assert client.get("/profil/").status_code == 302
    # The deleted person cannot log in again, with the old address or the placeholder.
    assert login(client, person).status_code == 200
    assert "_auth_user_id" not in client.session


def test_retention_table_lists_every_app():
    rows = account_retention()
    assert len(rows) >= 5
    assert all(len(row) == 2 for row in rows)


def test_anonymous_people_cannot_download_or_delete(client, person):
    for url in ("/profil/meine-daten/", "/profil/konto-loeschen/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    response = client.post("/profil/konto-loeschen/", {"password": PASSWORD})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is None


def test_log_entry_content_type_is_the_user():
    # Guards the erase rule for admin logs: it matches on the user's content type.
    assert ContentType.objects.get_for_model(User).model == "user"
