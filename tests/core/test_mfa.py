"""Landesjugendamt staff need a second factor (TOTP) before staff functions; after setting it up
they come back to where they wanted to go. Members' MFA pages are in the site's layout."""

import pytest
from allauth.account import app_settings as account_settings
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth.models import Permission
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from core.adapters import LOGGED_IN_AT_SESSION_KEY
from core.decorators import staff_required
from core.middleware import MFA_SETUP_NEXT_SESSION_KEY
from tests.core.helpers import give_totp, has_totp, login, main_html, page_title, totp_code
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def wagtail_staff(**kwargs):
    """Staff with access to the Wagtail admin who have not set up a second factor yet."""
    staff = StaffFactory(**{"second_factor": False, **kwargs})
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return staff


def test_staff_without_totp_is_sent_to_the_setup_and_comes_back(client):
    staff = wagtail_staff()
    assert login(client, staff).status_code == 302

    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    assert client.session[MFA_SETUP_NEXT_SESSION_KEY] == "/admin/pages/"

    # allauth asks for the password once more before a second factor is added, unless the login
    # was within its reauthentication timeout (tests/core/test_reauthentication.py).
    session = client.session
    session[LOGGED_IN_AT_SESSION_KEY] -= account_settings.REAUTHENTICATION_TIMEOUT + 1
    session.save()
    response = client.get("/konto/2fa/totp/activate/")
    assert response["Location"] == "/konto/reauthenticate/?next=%2Fkonto%2F2fa%2Ftotp%2Factivate%2F"
    page = client.get(response["Location"])
    assert page_title(page) == "Zugriff bestätigen – kinderstark Lernnetzwerk"
    assert '<label for="id_password">' in main_html(page)
    assert "Für Funktionen des Landesjugendamts ist ein zweiter Faktor nötig" in main_html(page)
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/konto/2fa/totp/activate/"

    page = client.get("/konto/2fa/totp/activate/")
    html = main_html(page)
    assert page.status_code == 200
    assert page_title(page) == "Authenticator-App einrichten – kinderstark Lernnetzwerk"
    assert html.count("<h1") == 1
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'alt="QR-Code zum Einrichten der Authenticator-App.' in html
    assert '<label for="id_code">' in html

    # A wrong code: a German error tied to the field, nothing activated.
    response = client.post("/konto/2fa/totp/activate/", {"code": "000000"})
    html = main_html(response)
    assert "Falscher Code." in html
    assert 'aria-invalid="true"' in html and 'id="id_code_error"' in html
    assert not has_totp(staff)

    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert has_totp(staff)
    # allauth shows the new recovery codes first; that page offers the way back.
    assert response["Location"] == "/konto/2fa/recovery-codes/"
    codes_page = client.get(response["Location"])
    assert 'href="/profil/zwei-faktor/weiter/"' in main_html(codes_page)

    response = client.get("/profil/zwei-faktor/weiter/")
    assert response["Location"] == "/admin/pages/"
    assert MFA_SETUP_NEXT_SESSION_KEY not in client.session
    response = client.get("/admin/pages/")
    # Wagtail itself now decides (the explorer sends someone with no pages to the dashboard).
    assert response.status_code == 200 or response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_without_recovery_codes_page_the_activation_leads_straight_back(client, settings):
    settings.MFA_SUPPORTED_TYPES = ["totp"]
    staff = wagtail_staff()
    login(client, staff)
    client.get("/admin/")
    reauthenticate(client)
    client.get("/konto/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/konto/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/profil/zwei-faktor/weiter/"
    assert client.get(response["Location"])["Location"] == "/admin/"


def reauthenticate(client):
    client.post("/konto/reauthenticate/", {"password": PASSWORD})


def test_the_way_back_only_goes_to_this_site(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session[MFA_SETUP_NEXT_SESSION_KEY] = "https://evil.example/admin/"
    session.save()
    assert client.get("/profil/zwei-faktor/weiter/")["Location"] == "/mein-bereich/"


def test_staff_with_totp_log_in_with_a_code_and_reach_the_admin(client):
    staff = wagtail_staff()
    secret = give_totp(staff)
    response = login(client, staff)
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    page = client.get("/konto/2fa/authenticate/")
    assert page_title(page) == "Anmelden – kinderstark Lernnetzwerk"
    assert main_html(page).count("<h1") == 1

    response = client.post("/konto/2fa/authenticate/", {"code": "123456"})
    assert "_auth_user_id" not in client.session
    response = client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in response["Content-Security-Policy"].split("script-src")[1]


def test_a_recovery_code_works_once(client):
    staff = wagtail_staff()
    give_totp(staff)
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    code = RecoveryCodes(
        Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    login(client, staff)
    client.post("/konto/2fa/authenticate/", {"code": code})
    assert client.session["_auth_user_id"] == str(staff.pk)
    client.logout()
    login(client, staff)
    client.post("/konto/2fa/authenticate/", {"code": code})
    assert "_auth_user_id" not in client.session


def test_members_are_not_asked_for_a_second_factor(client):
    member = UserFactory()
    login(client, member)
    response = client.get("/admin/")
    # Wagtail refuses them (no admin access); they are not sent to the TOTP set-up.
    assert response.get("Location") != "/konto/2fa/totp/activate/"
    assert MFA_SETUP_NEXT_SESSION_KEY not in client.session


def test_mfa_pages_are_in_the_layout(client):
    user = UserFactory()
    secret = give_totp(user)
    login(client, user)
    client.post("/konto/2fa/authenticate/", {"code": totp_code(secret)})
    reauthenticate(client)
    for url, title in [
        ("/konto/2fa/", "Zwei-Faktor-Authentifizierung"),
        ("/konto/2fa/recovery-codes/", "Wiederherstellungscodes"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert page_title(response) == f"{title} – kinderstark Lernnetzwerk"
        assert main_html(response).count("<h1") == 1
        assert 'class="site-footer"' in response.content.decode()


def _request(user):
    request = RequestFactory().get("/netzwerk/moderation/")
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    return request


@staff_required
def _staff_view(request):
    return HttpResponse("staff only")


def test_staff_required_sends_staff_without_totp_to_the_setup():
    staff = StaffFactory(second_factor=False)
    request = _request(staff)
    response = _staff_view(request)
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    assert request.session[MFA_SETUP_NEXT_SESSION_KEY] == "/netzwerk/moderation/"

    give_totp(staff)
    staff = type(staff).objects.get(pk=staff.pk)
    assert _staff_view(_request(staff)).content == b"staff only"


def test_staff_required_refuses_members_and_strangers():
    with pytest.raises(PermissionDenied):
        _staff_view(_request(UserFactory()))
    from django.contrib.auth.models import AnonymousUser

    response = _staff_view(_request(AnonymousUser()))
    assert response["Location"].startswith("/konto/login/?next=")


def test_password_is_not_enough_for_staff_on_the_admin(client):
    """Staff with TOTP who only give the password are not logged in at all."""
    staff = wagtail_staff()
    give_totp(staff)
    client.post("/konto/login/", {"login": staff.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session
