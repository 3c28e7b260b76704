"""Membership journeys beyond the foundation's: the municipality chooser's filter, Landesjugendamt
staff deciding a request from the list of all open requests, and an invitation opened from the
wrong account. axe-core checks every page."""

from django.test import Client
from playwright.sync_api import expect

from network.models import Membership, MembershipStatus
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.conftest import login
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
)


def submit(page, form_selector: str = "main form") -> None:
    with page.expect_navigation():
        page.locator(form_selector).locator("button[type=submit]").last.click()


def test_the_chooser_filters_and_the_request_is_sent(page):
    MunicipalityFactory(name="Kreis Recklinghausen", kind="kreis", region="LWL")
    MunicipalityFactory(name="Köln", region="LVR")
    bochum = MunicipalityFactory(name="Bochum", region="LWL")
    user = UserFactory(email="neu@bochum.example")
    login(page, user)
    page.goto("/netzwerk/beitreten/")
    assert_no_axe_violations(page)
    page.get_by_label("Liste der Kommunen filtern").fill("boch")
    expect(page.locator("select[name=municipality]")).to_have_value(str(bochum.pk))
    assert page.locator("select[name=municipality] option:not([hidden])").count() == 2  # + "…"
    page.locator("textarea[name=message]").fill("<script>alert(1)</script>")
    submit(page, "main form:has(select[name=municipality])")
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text("<script>alert(1)</script>")
    assert Membership.objects.get(user=user).municipality == bochum


def test_staff_decide_from_the_list_of_all_requests(page, base_url):
    koeln = MunicipalityFactory(name="Köln", region="LVR")
    MembershipFactory(
        municipality=koeln, status=MembershipStatus.PENDING, user=UserFactory(name="Kai Köln")
    )
    staff = StaffFactory(email="redaktion@lvr.example")
    # The second-factor login itself is the foundation's journey; here the session is made
    # directly, as Django's test client does.
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page.goto("/netzwerk/anfragen/")
    assert_no_axe_violations(page)
    expect(page.locator("main table")).to_contain_text("Kai Köln")
    with page.expect_navigation():
        page.locator("form[action$='/annehmen/'] button", has_text="Kai Köln").click()
    assert "/netzwerk/anfragen/" in page.url
    assert_no_axe_violations(page)
    expect(page.locator("main")).to_contain_text("Es gibt keine offenen Anfragen.")
    assert Membership.objects.get(user__name="Kai Köln").status == MembershipStatus.APPROVED


def test_an_invitation_opened_from_another_account(page):
    dortmund = MunicipalityFactory(name="Dortmund", region="LWL")
    coordinator(dortmund)
    invitation = InvitationFactory(municipality=dortmund, email="eingeladen@dortmund.example")
    login(page, UserFactory(email="jemand.anders@example.org"))
    page.goto(f"/netzwerk/einladung/{invitation.token}/")
    assert_no_axe_violations(page)
    expect(page.get_by_role("alert")).to_contain_text("an eine andere E-Mail-Adresse")
    assert page.locator("main form").count() == 0
