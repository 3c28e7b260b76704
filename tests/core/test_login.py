"""Logging in: by e-mail, rate-limited (allauth's counters in the real LocMem cache), password
reset by mail, and the Django/Wagtail admin logins that must go through allauth."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.core.helpers import main_html, page_title
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_cache(settings):
    # allauth's rate limits live in the cache; the tests use the embedded default (LocMem),
    # also when REDIS_URL happens to be set in the environment.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_login_page_is_in_the_layout(client):
    response = client.get("/konto/login/")
    html = main_html(response)
    assert page_title(response) == "Anmelden – kinderstark Lernnetzwerk"
    assert html.count("<h1") == 1
    assert '<label for="id_login">E-Mail:</label>' in html
    assert '<label for="id_password">Passwort:</label>' in html
    assert 'href="/konto/password/reset/"' in html
    assert "registrieren Sie sich" in html


def test_login_by_email_case_insensitive(client):
    user = UserFactory(email="fachkraft@dortmund.example")
    response = client.post(
        "/konto/login/", {"login": "Fachkraft@Dortmund.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/mein-bereich/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_a_german_message_tied_to_the_form(client):
    UserFactory(email="fachkraft@dortmund.example")
    response = client.post(
        "/konto/login/", {"login": "fachkraft@dortmund.example", "password": "falsch-falsch"}
    )
    assert response.status_code == 200
    html = main_html(response)
    assert 'role="alert"' in html
    assert "Die E-Mail-Adresse und/oder das Passwort sind leider falsch." in html
    assert "_auth_user_id" not in client.session


def test_login_failed_rate_limit_kicks_in(client):
    """allauth: login_failed is 5 per 5 minutes per address; the sixth attempt is refused even
    with the right password."""
    user = UserFactory(email="ziel@dortmund.example")
    for _ in range(5):
        response = client.post("/konto/login/", {"login": user.email, "password": "falsch-falsch"})
        assert response.status_code == 200
        assert "Zu viele" not in main_html(response)
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    html = main_html(response)
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in html
    assert "_auth_user_id" not in client.session

    # Another address from the same place is not locked out by this one.
    other = UserFactory()
    response = Client().post("/konto/login/", {"login": other.email, "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_sends_a_german_mail_and_sets_a_new_password(client):
    user = UserFactory(email="vergesslich@koeln.example")
    response = client.get("/konto/password/reset/")
    assert "Passwort vergessen?" in main_html(response)
    response = client.post("/konto/password/reset/", {"email": "Vergesslich@Koeln.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vergesslich@koeln.example"]
    assert message.subject == "[kinderstark] Passwort zurücksetzen"
    assert "jemand – vermutlich Sie – möchte das Passwort" in message.body
    link = re.search(r"http://testserver(/konto/password/reset/key/\S+)", message.body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(
        form_url, {"password1": "ein-neues-passwort-7", "password2": "ein-neues-passwort-7"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ein-neues-passwort-7")


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post("/konto/password/reset/", {"email": "niemand@nirgends.example"})
    assert response.status_code == 302
    assert response["Location"] == "/konto/password/reset/done/"


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_admin_login_forms_never_check_a_password(client, path):
    staff = StaffFactory()
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")

    response = client.post(path, {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/?next=")
    assert "_auth_user_id" not in client.session

    response = client.post(
        f"{path}?next=/admin/pages/", {"username": staff.email, "password": PASSWORD}
    )
    assert response["Location"] == "/konto/login/?next=%2Fadmin%2Fpages%2F"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_admin_sends_anonymous_people_to_allauth(client, path):
    response = client.get(path, follow=True)
    final_url = response.redirect_chain[-1][0]
    assert final_url.startswith("/konto/login/?next=")
    assert "/konto/login/" in final_url and "Anmelden" in main_html(response)


def test_the_forgotten_password_link_follows_the_form_in_the_tab_order(client):
    """It sat in the password field's help text, between the e-mail and the password field."""
    html = main_html(client.get("/konto/login/"))
    assert html.index('name="login"') < html.index('name="password"')
    assert html.index('name="password"') < html.index("Passwort vergessen?")
    assert html.index('type="submit"') < html.index("Passwort vergessen?")
