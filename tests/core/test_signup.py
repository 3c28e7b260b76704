"""Sign-up by e-mail with name and consent; verification before the first login; bad input."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from core.models import User
from tests.core.helpers import main_html
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Erika Mustermann",
    "email": "erika@dortmund.example",
    "password1": "ein-gutes-passwort-42",
    "password2": "ein-gutes-passwort-42",
    "privacy_consent": "on",
}


def signup(client, **changes):
    data = {**GOOD, **changes}
    return client.post("/konto/signup/", {k: v for k, v in data.items() if v is not None})


def test_signup_page_asks_for_name_email_password_and_consent(client):
    response = client.get("/konto/signup/")
    html = main_html(response)
    assert response.status_code == 200
    for field in ("id_name", "id_email", "id_password1", "id_password2", "id_privacy_consent"):
        assert f'for="{field}"' in html, field
    assert 'href="/datenschutz/"' in html
    assert "Datenschutzerklärung" in html


def test_signup_creates_an_unverified_account_and_sends_a_german_mail(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    user = User.objects.get(email="erika@dortmund.example")
    assert user.name == "Erika Mustermann"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@dortmund.example"]
    assert message.subject == "[kinderstark] Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert message.body.startswith("Hallo,")
    assert "jemand – vermutlich Sie –" in message.body
    assert "http://testserver/konto/confirm-email/" in message.body
    assert " du " not in message.body and " dein" not in message.body

    page = client.get(response["Location"])
    assert "Wir haben Ihnen eine E-Mail zur Bestätigung geschickt" in page.content.decode()


def test_login_needs_a_verified_address_then_works(client):
    signup(client)
    client.logout()
    response = client.post("/konto/login/", {"login": GOOD["email"], "password": GOOD["password1"]})
    # Not logged in: allauth sends another confirmation mail and says so.
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert "_auth_user_id" not in client.session

    link = re.search(r"http://testserver(/konto/confirm-email/[^\s]+)", mail.outbox[0].body)
    confirm_page = client.get(link.group(1))
    assert confirm_page.status_code == 200
    assert "Bestätigen" in main_html(confirm_page)
    response = client.post(link.group(1))
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=GOOD["email"]).verified

    client.logout()
    response = client.post("/konto/login/", {"login": GOOD["email"], "password": GOOD["password1"]})
    assert response.status_code == 302
    assert response["Location"] == "/mein-bereich/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email=GOOD["email"]).pk)


def test_existing_address_creates_no_second_account(client):
    existing = UserFactory(email="erika@dortmund.example")
    response = signup(client, email="Erika@Dortmund.example")
    # allauth does not tell a stranger that the address is taken (enumeration); it shows the
    # same German page and mails the owner instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="erika@dortmund.example").count() == 1
    existing.refresh_from_db()
    assert existing.check_password(PASSWORD)
    assert len(mail.outbox) == 1
    assert "Für diese E-Mail-Adresse gibt es jedoch bereits ein Konto" in mail.outbox[0].body
    page = client.get(response["Location"])
    assert "Bestätigen Sie Ihre E-Mail-Adresse" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "keine-adresse"}, "email", "Bitte gültige E-Mail-Adresse eingeben."),
        ({"email": "a@b@c.example"}, "email", "Bitte gültige E-Mail-Adresse eingeben."),
        ({"email": "leerzeichen @x.example"}, "email", "Bitte gültige E-Mail-Adresse eingeben."),
        ({"email": ""}, "email", "Dieses Feld muss ausgefüllt werden."),
        ({"email": "a" * 239 + "@kommune.example"}, "email", "höchstens 254 Zeichen"),
        ({"name": "N" * 151}, "name", "höchstens 150 Zeichen"),
        ({"name": ""}, "name", "Bitte geben Sie Ihren Namen ein."),
        ({"name": "   "}, "name", "Bitte geben Sie Ihren Namen ein."),
        ({"privacy_consent": None}, "privacy_consent", "Datenschutzerklärung gelesen haben"),
        ({"password2": "etwas-anderes-99"}, "password2", "zweimal dasselbe Passwort"),
        ({"password1": "kurz", "password2": "kurz"}, "password1", "zu kurz"),
    ],
    ids=[
        "malformed",
        "two-at-signs",
        "space",
        "empty-email",
        "email-255",
        "name-151",
        "empty-name",
        "blank-name",
        "no-consent",
        "password-mismatch",
        "short-password",
    ],
)
def test_bad_input_gets_a_german_message_and_creates_nobody(client, changes, field, message):
    if changes.get("email", "").startswith("a" * 10):
        assert len(changes["email"]) == 255
    response = signup(client, **changes)
    assert response.status_code == 200
    html = main_html(response)
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert re.search(rf'<[^>]*aria-invalid="true"[^>]*id="id_{field}"', html)
    assert 'role="alert"' in html
    assert not User.objects.exists()
    assert not mail.outbox


def test_script_in_name_is_kept_as_text(client):
    signup(client, name="<script>alert(1)</script>Erika")
    user = User.objects.get(email=GOOD["email"])
    assert user.name == "<script>alert(1)</script>Erika"
    client.force_login(user)
    html = client.get("/mein-bereich/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Erika" in html
