"""The foundation's journeys in real Chromium, start to end, with axe-core on every page.

(a) sign up, confirm the address from the e-mail, log in, ask to join Dortmund; Dortmund's
    coordinator approves in another browser; the new member sees Dortmund's member area.
(b) a coordinator invites a colleague, who signs up from the invitation link and is a member.
(c) Landesjugendamt staff must set up an authenticator app before the admin lets them in.
(The language switch and keyboard-only use are in test_foundation_layout.py.)
"""

import re

from playwright.sync_api import expect

from core.models import User
from network.models import Membership, MembershipRole, MembershipStatus
from tests.e2e.axe import assert_errors_tied_to_fields, assert_no_axe_violations
from tests.e2e.conftest import fresh_totp_code, login, mail_link, totp_code
from tests.factories import PASSWORD, MunicipalityFactory, StaffFactory, coordinator

NEW_PASSWORD = "Praeventionskette-2026"


def dortmund():
    return MunicipalityFactory(
        name="Dortmund",
        slug="dortmund",
        kind="kreisfreie_stadt",
        region="LWL",
        municipality_key="05913000",
    )


def submit(page, form_selector: str = "main form") -> None:
    """Submit the page's form (in the content, not the header's) with its submit button."""
    with page.expect_navigation():
        page.locator(form_selector).locator("button[type=submit]").last.click()


def sign_up(page, *, name: str, email: str) -> None:
    """Fill in and send the sign-up form on the current page."""
    assert_no_axe_violations(page)
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.locator("input[name=privacy_consent]").check()
    submit(page, "main form:has(input[name=password1])")


def confirm_address_from_mail(page, mailoutbox, email: str) -> None:
    """Open the confirmation link of the newest e-mail to `email` and confirm."""
    page.goto(mail_link(mailoutbox, r"/konto/confirm-email/", to=email))
    assert_no_axe_violations(page)
    submit(page, "main form:has(button[type=submit])")
    assert_no_axe_violations(page)


def log_out(page) -> None:
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button[type=submit]").click()
    assert_no_axe_violations(page)


def test_sign_up_confirm_join_dortmund_and_be_approved(page, new_context, mailoutbox):
    town = dortmund()
    coordination = coordinator(town, email="koordination@dortmund.example", name="Kim Koordination")
    email = "neue.fachkraft@dortmund.example"

    # Sign up from the header's link.
    page.goto("/datenschutz/")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("header").get_by_role("link", name="Registrieren").click()
    assert page.url.endswith("/konto/signup/")

    # A malformed address and passwords that differ: the form says so, at the fields.
    page.locator("input[name=name]").fill("Nora Neu")
    page.locator("input[name=email]").fill("nora.neu@")
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD + "x")
    submit(page, "main form:has(input[name=password1])")
    assert_no_axe_violations(page, label="(sign-up with errors)")
    assert_errors_tied_to_fields(page, "email")
    assert not User.objects.filter(name="Nora Neu").exists()

    sign_up(page, name="Nora Neu", email=email)
    assert_no_axe_violations(page)  # "please confirm your address"
    assert "/konto/signup/" not in page.url

    # The confirmation e-mail, read from the outbox; then log out and log in with the form.
    confirm_address_from_mail(page, mailoutbox, email)
    if page.locator("header form[action$='/logout/']").count():
        log_out(page)
    page.goto("/konto/login/")
    assert_no_axe_violations(page)
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(NEW_PASSWORD)
    submit(page, "main form:has(input[name=password])")
    assert "/konto/login/" not in page.url
    assert_no_axe_violations(page)

    # Ask to join Dortmund.
    page.goto("/netzwerk/beitreten/")
    assert_no_axe_violations(page)
    page.locator("select[name=municipality]").select_option(str(town.pk))
    page.locator("textarea[name=message]").fill("Team Frühe Hilfen, Jugendamt Dortmund")
    submit(page, "main form:has(select[name=municipality])")
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text("Dortmund")
    membership = Membership.objects.get(user__email=email)
    assert membership.status == MembershipStatus.PENDING
    assert membership.municipality == town

    # The coordinator, in a browser of their own, approves.
    other = new_context().new_page()
    login(other, coordination)
    other.goto("/netzwerk/kommune/")
    assert_no_axe_violations(other)
    approve = other.locator("form[action$='/annehmen/'] button", has_text="Nora Neu")
    with other.expect_navigation():
        approve.click()
    assert_no_axe_violations(other)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert any(email in message.to for message in mailoutbox[1:]), "no decision e-mail"

    # The new member sees Dortmund's member area.
    page.goto("/netzwerk/kommune/")
    assert_no_axe_violations(page)
    expect(page.locator("h1")).to_have_text("Dortmund")
    expect(page.locator("main table").last).to_contain_text("Nora Neu")
    expect(page.locator("main table").last).to_contain_text("Kim Koordination")


def test_coordinator_invites_a_colleague_who_signs_up(page, new_context, mailoutbox):
    town = dortmund()
    coordination = coordinator(town, email="koordination@dortmund.example")
    colleague_email = "kollegin@dortmund.example"

    # The coordinator invites from the municipality page.
    login(page, coordination)
    page.goto("/netzwerk/kommune/")
    assert_no_axe_violations(page)
    with page.expect_navigation():
        page.locator("main a[href$='/netzwerk/kommune/einladen/']").click()
    assert_no_axe_violations(page)
    page.locator("input[name=email]").fill(colleague_email)
    submit(page, "main form:has(input[name=email])")
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text(colleague_email)

    # The colleague opens the link from the e-mail in their own browser and signs up.
    colleague = new_context().new_page()
    colleague.goto(mail_link(mailoutbox, r"/netzwerk/einladung/", to=colleague_email))
    assert "/konto/login/" in colleague.url
    assert_no_axe_violations(colleague)
    with colleague.expect_navigation():
        colleague.locator("main a[href*='/konto/signup/']").first.click()
    assert "/konto/signup/" in colleague.url
    sign_up(colleague, name="Karla Kollegin", email=colleague_email)
    assert_no_axe_violations(colleague)
    if "/konto/confirm-email/" in colleague.url:
        # The address still needs confirming: the link in the e-mail, then back to the
        # invitation.
        confirm_address_from_mail(colleague, mailoutbox, colleague_email)
        if "/netzwerk/einladung/" not in colleague.url:
            colleague.goto(mail_link(mailoutbox, r"/netzwerk/einladung/", to=colleague_email))
            assert_no_axe_violations(colleague)
    assert "/netzwerk/einladung/" in colleague.url, colleague.url

    # Accept the invitation: a member of Dortmund.
    submit(colleague, "main form:has(button[type=submit])")
    assert_no_axe_violations(colleague)
    expect(colleague.locator("h1")).to_have_text("Dortmund")
    membership = Membership.objects.get(user__email=colleague_email)
    assert membership.status == MembershipStatus.APPROVED
    assert membership.municipality == town
    assert membership.role == MembershipRole.STAFF


def test_staff_must_set_up_totp_before_the_admin(page):
    staff = StaffFactory(email="redaktion@lvr.example", name="Rita Redaktion", second_factor=False)

    login(page, staff)

    # The admin sends staff without a second factor to set one up first (allauth asks for the
    # password once more before it changes the second factor).
    page.goto("/admin/")
    if "/konto/reauthenticate/" in page.url:
        assert_no_axe_violations(page)
        page.locator("input[name=password]").fill(PASSWORD)
        submit(page, "main form:has(input[name=password])")
    assert "/konto/2fa/totp/activate/" in page.url, page.url
    assert_no_axe_violations(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]+=*", secret), secret
    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page, "main form:has(input[name=code])")
    assert_no_axe_violations(page)

    # Allauth shows the recovery codes; from there the way leads on to the admin.
    if not page.url.rstrip("/").endswith("/admin"):
        with page.expect_navigation():
            page.locator("main a[href*='/profil/zwei-faktor/weiter/']").first.click()
    assert page.url.endswith("/admin/"), page.url
    assert_no_axe_violations(page)
    assert staff.authenticator_set.filter(type="totp").exists()

    # And the next login asks for the code.
    page.context.clear_cookies()
    page.goto("/konto/login/")
    assert_no_axe_violations(page)
    page.locator("input[name=login]").fill(staff.email)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page, "main form:has(input[name=password])")
    assert "/konto/2fa/authenticate/" in page.url, page.url
    assert_no_axe_violations(page)
    page.locator("input[name=code]").fill(fresh_totp_code(staff))
    submit(page, "main form:has(input[name=code])")
    assert_no_axe_violations(page)
    page.goto("/admin/")
    assert page.url.endswith("/admin/"), page.url
    assert_no_axe_violations(page)
