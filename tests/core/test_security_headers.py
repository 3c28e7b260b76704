"""Security headers on every response: CSP (strict on the site, inline scripts only for the
admins), Referrer-Policy, no framing by others, nosniff."""

import pytest
from django.contrib.auth.models import Permission

from tests.core.helpers import give_totp
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


@pytest.mark.parametrize(
    "url", ["/datenschutz/", "/konto/login/", "/konto/signup/", "/gibt-es-nicht/"]
)
def test_public_pages_have_a_strict_policy(client, url):
    response = client.get(url)
    policy = csp(response)
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_site_pages_have_no_inline_script(client):
    client.force_login(UserFactory())
    import re

    for url in ("/mein-bereich/", "/profil/", "/konto/2fa/", "/konto/email/", "/datenschutz/"):
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", html), url


def test_the_wagtail_admin_works_under_its_relaxed_policy(client):
    staff = StaffFactory()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    give_totp(staff)
    client.force_login(staff)
    for url in ("/admin/", "/admin/pages/", "/admin/documents/", "/django-admin/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = csp(response)
        assert "'unsafe-inline'" in policy["script-src"], url
        assert policy["object-src"] == "'none'"
        # Wagtail's preview frames the admin's own pages.
        assert policy["frame-ancestors"] == "'self'"
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        # Nothing from other sites, not even avatars (WAGTAIL_GRAVATAR_PROVIDER_URL = None).
        assert "gravatar.com" not in response.content.decode(), url


@pytest.mark.parametrize(
    ("secure", "own"), [(False, "ws://testserver"), (True, "wss://testserver")]
)
def test_scripts_connect_to_this_site_only(client, secure, own):
    """connect-src is 'self' and this host's own WebSocket origin, not every ws:/wss: host
    (injected code could otherwise send what it reads anywhere)."""
    response = client.get("/datenschutz/", secure=secure)
    assert csp(response)["connect-src"] == f"'self' {own}"
