"""Every page in the layout: one h1, a title saying where you are, the legal links in the footer;
the legal pages themselves; the error pages (500 without a database)."""

import pytest
from django.test import Client

from core.services import account_retention
from tests.core.helpers import give_totp, main_html, page_title
from tests.factories import UserFactory

SUFFIX = " – kinderstark Lernnetzwerk"
FOOTER_LINKS = ('href="/datenschutz/"', 'href="/impressum/"', 'href="/barrierefreiheit/"')

ANONYMOUS_PAGES = {
    "/datenschutz/": "Datenschutzerklärung",
    "/impressum/": "Impressum",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
    "/konto/login/": "Anmelden",
    "/konto/signup/": "Registrieren",
    "/konto/password/reset/": "Passwort zurücksetzen",
    "/konto/password/reset/done/": "Passwort zurücksetzen",
    "/konto/confirm-email/": "Bestätigen Sie Ihre E-Mail-Adresse",
    "/konto/confirm-email/ungueltig/": "E-Mail-Adresse bestätigen",
    "/konto/password/reset/key/1-ungueltig/": "Passwort ändern",
    "/konto-geloescht/": "Ihr Konto wurde gelöscht",
}
MEMBER_PAGES = {
    "/mein-bereich/": "Mein Bereich",
    "/profil/": "Mein Profil",
    "/profil/konto-loeschen/": "Mein Konto löschen",
    "/konto/email/": "E-Mail-Adressen",
    "/konto/password/change/": "Passwort ändern",
    "/konto/logout/": "Abmelden",
    "/konto/2fa/": "Zwei-Faktor-Authentifizierung",
    "/konto/reauthenticate/": "Zugriff bestätigen",
}


def assert_in_layout(response, title: str):
    html = response.content.decode()
    assert page_title(response) == title + SUFFIX
    assert html.count("<h1") == 1, title
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    for link in FOOTER_LINKS:
        assert link in html, (title, link)
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "title"), ANONYMOUS_PAGES.items(), ids=list(ANONYMOUS_PAGES))
def test_public_pages_are_in_the_layout(client, url, title):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    assert_in_layout(response, title)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "title"), MEMBER_PAGES.items(), ids=list(MEMBER_PAGES))
def test_member_pages_are_in_the_layout(client, url, title):
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 200, url
    assert_in_layout(response, title)


@pytest.mark.django_db
def test_form_fields_on_account_pages_are_labelled(client):
    client.force_login(UserFactory())
    for url in ("/konto/password/change/", "/konto/email/", "/profil/", "/profil/konto-loeschen/"):
        html = main_html(client.get(url))
        import re

        for input_id in re.findall(
            r'<input[^>]+type="(?:text|email|password|checkbox)"[^>]*id="([^"]+)"', html
        ):
            assert f'for="{input_id}"' in html, (url, input_id)


@pytest.mark.django_db
def test_privacy_notice_has_what_the_law_asks_for(client):
    html = main_html(client.get("/datenschutz/"))
    for text in (
        "Verantwortliche Stelle",
        "Art. 6 Abs. 1 lit. b DSGVO",
        "Art. 6 Abs. 1 lit. f DSGVO",
        "Empfänger",
        "Speicherfristen",
        "Ihre Rechte",
        "Art. 77 DSGVO",
        "Kontakt",
        "[Platzhalter]",
    ):
        assert text in html, text
    for what, how_long in account_retention():
        assert f'<th scope="row">{what}</th>' in html
        assert str(how_long) in html
    assert '<caption id="caption-retention">' in html
    # The tables scroll sideways on a phone: the scrolling region is reachable by keyboard.
    assert html.count('class="table-wrap" role="region" tabindex="0"') == 2


@pytest.mark.django_db
def test_imprint_and_accessibility_statement(client):
    imprint = main_html(client.get("/impressum/"))
    assert "Demo-Installation" in imprint and "[Platzhalter]" in imprint
    assert "§ 5 DDG" in imprint
    statement = main_html(client.get("/barrierefreiheit/"))
    for text in (
        "BITV 2.0",
        "teilweise mit den Anforderungen",
        "Nicht barrierefreie Inhalte",
        "Feedback und Kontakt",
        'href="mailto:barrierefreiheit@kinderstark.example"',
        "Durchsetzungsverfahren",
        "Schlichtungsstelle",
    ):
        assert text in statement, text


@pytest.mark.django_db
def test_pages_are_english_when_asked(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/datenschutz/"})
    response = client.get("/datenschutz/")
    assert page_title(response) == "Privacy notice" + SUFFIX
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_404_is_in_the_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert_in_layout(response, "Seite nicht gefunden")


@pytest.mark.django_db
def test_403_is_in_the_layout(client, settings):
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    response = client.get("/test-403/")
    assert response.status_code == 403
    assert_in_layout(response, "Zugriff verweigert")


def test_500_renders_without_a_database(settings):
    """No django_db mark: any database query in the error page would fail this test."""
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    client = Client(raise_request_exception=False)
    response = client.get("/test-500/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Ein Fehler ist aufgetreten</h1>" in html
    assert html.count("<h1") == 1
    for link in FOOTER_LINKS:
        assert link in html


@pytest.mark.django_db
def test_mfa_index_with_totp_is_in_the_layout(client):
    user = UserFactory()
    give_totp(user)
    client.force_login(user)
    response = client.get("/konto/2fa/")
    assert_in_layout(response, "Zwei-Faktor-Authentifizierung")
    assert "Deaktivieren" in main_html(response)
