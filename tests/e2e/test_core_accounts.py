"""The account pages in real Chromium with axe-core: sign-up errors, profile, MFA set-up,
e-mail management, data download, account deletion, the legal and error pages."""

import json
from pathlib import Path

from tests.e2e.axe import assert_errors_tied_to_fields, assert_no_axe_violations
from tests.e2e.conftest import login
from tests.factories import PASSWORD, MunicipalityFactory, UserFactory, member


def submit(page, form_selector: str) -> None:
    with page.expect_navigation():
        page.locator(form_selector).locator("button[type=submit]").last.click()


def test_public_and_legal_pages_pass_axe(page):
    for url in (
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
        "/datenschutz/",
        "/impressum/",
        "/barrierefreiheit/",
        "/gibt-es-nicht/",
    ):
        page.goto(url)
        assert_no_axe_violations(page)


def test_sign_up_errors_are_tied_to_the_fields(page):
    page.goto("/konto/signup/")
    page.locator("input[name=name]").fill("")
    page.locator("input[name=email]").fill("keine-adresse")
    page.locator("input[name=password1]").fill("kurz")
    page.locator("input[name=password2]").fill("kurz")
    submit(page, "main form:has(input[name=password1])")
    assert_errors_tied_to_fields(page, "name", "email", "password1", "privacy_consent")
    assert "Bitte prüfen Sie Ihre Eingaben." in page.locator("[role=alert]").inner_text()
    assert_no_axe_violations(page)


def test_profile_data_download_and_deletion(page):
    user = member(
        MunicipalityFactory(name="Dortmund", slug="dortmund"),
        name="Paula Profil",
        email="paula@dortmund.example",
    )
    login(page, user)
    assert_no_axe_violations(page)
    page.goto("/profil/")
    assert_no_axe_violations(page)
    page.locator("input[name=name]").fill("")
    submit(page, "main form:has(input[name=name])")
    assert_errors_tied_to_fields(page, "name")
    assert_no_axe_violations(page)
    page.locator("input[name=name]").fill("Paula Neu")
    submit(page, "main form:has(input[name=name])")
    assert_no_axe_violations(page)
    user.refresh_from_db()
    assert user.name == "Paula Neu"

    with page.expect_download() as download_info:
        page.locator("main a[href='/profil/meine-daten/']").first.click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["data"]["core"]["account"]["email"] == "paula@dortmund.example"

    for url in ("/konto/email/", "/konto/password/change/", "/konto/2fa/", "/mein-bereich/"):
        page.goto(url)
        assert_no_axe_violations(page)

    page.goto("/profil/konto-loeschen/")
    assert_no_axe_violations(page)
    page.locator("input[name=password]").fill("falsch-falsch")
    submit(page, "main form:has(input[name=password])")
    assert_errors_tied_to_fields(page, "password")
    assert_no_axe_violations(page)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, "main form:has(input[name=password])")
    assert_no_axe_violations(page)
    assert "Ihr Konto wurde gelöscht" in page.locator("main h1").inner_text()
    user.refresh_from_db()
    assert user.erased_at is not None


def test_mfa_set_up_pages_pass_axe(page):
    user = UserFactory()
    login(page, user)
    page.goto("/konto/2fa/totp/activate/")
    if "/konto/reauthenticate/" in page.url:
        assert_no_axe_violations(page)
        page.locator("input[name=password]").fill(PASSWORD)
        submit(page, "main form:has(input[name=password])")
    assert "/konto/2fa/totp/activate/" in page.url, page.url
    assert_no_axe_violations(page)
    page.locator("input[name=code]").fill("000000")
    submit(page, "main form:has(input[name=code])")
    assert_errors_tied_to_fields(page, "code")
    assert_no_axe_violations(page)
