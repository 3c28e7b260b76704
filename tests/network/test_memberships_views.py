"""The membership pages: what a member, a coordinator, Landesjugendamt staff and a stranger see
and may do. The rules themselves are tested in test_memberships.py."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.selectors import user_is_landesjugendamt_staff
from network.models import Invitation, Membership, MembershipRole, MembershipStatus
from tests.factories import (
    PASSWORD,
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def dortmund():
    return MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")


@pytest.fixture
def koeln():
    return MunicipalityFactory(name="Köln", slug="koeln", region="LVR")


def with_mfa(user):
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    return user


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- joining ------------------------------------------------------------------------------------


def test_join_form_lists_active_municipalities_by_region(client, dortmund, koeln):
    MunicipalityFactory(name="Geschlossen", active=False)
    client.force_login(UserFactory())
    response = client.get("/netzwerk/beitreten/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'optgroup label="Rheinland (LVR)"' in html
    assert "Dortmund (kreisfreie Stadt)" in html
    assert "Geschlossen" not in html
    assert 'for="id_municipality"' in html
    assert "network/municipality-filter" in html


def test_join_request_through_the_form(client, dortmund, django_capture_on_commit_callbacks):
    boss = coordinator(dortmund)
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/netzwerk/beitreten/",
            {"municipality": dortmund.pk, "role": "staff", "message": SCRIPT},
            follow=True,
        )
    membership = Membership.objects.get(user=user)
    assert membership.status == MembershipStatus.PENDING
    assert membership.message == SCRIPT
    html = response.content.decode()
    assert "Ihre Anfrage wurde gesendet" in html
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    assert [m.to for m in mail.outbox] == [[boss.email]]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"municipality": "", "role": "staff"}, "municipality"),
        ({"role": "staff"}, "municipality"),
        ({"municipality": "abc", "role": "staff"}, "municipality"),
        ({"municipality": "999999", "role": "staff"}, "municipality"),
        ({"municipality": "DORTMUND", "role": "admin"}, "role"),
        ({"municipality": "DORTMUND", "role": "staff", "message": "x" * 1001}, "message"),
    ],
)
def test_join_refuses_bad_input(client, dortmund, data, field):
    data = {k: (dortmund.pk if v == "DORTMUND" else v) for k, v in data.items()}
    user = UserFactory()
    client.force_login(user)
    response = client.post("/netzwerk/beitreten/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    html = response.content.decode()
    assert "Bitte überprüfen Sie Ihre Eingaben" in html or "error" in html
    assert 'aria-invalid="true"' in html
    assert not Membership.objects.filter(user=user).exists()
    assert mail.outbox == []


def test_join_refuses_an_inactive_municipality(client):
    closed = MunicipalityFactory(active=False)
    user = UserFactory()
    client.force_login(user)
    response = client.post("/netzwerk/beitreten/", {"municipality": closed.pk, "role": "staff"})
    assert "municipality" in response.context["form"].errors
    assert not Membership.objects.filter(user=user).exists()


def test_pending_request_is_shown_and_can_be_withdrawn(client, dortmund):
    pending = MembershipFactory(
        municipality=dortmund, status=MembershipStatus.PENDING, message=SCRIPT
    )
    client.force_login(pending.user)
    html = client.get("/netzwerk/beitreten/").content.decode()
    assert "Dortmund" in html and "&lt;script&gt;" in html and SCRIPT not in html
    response = client.post("/netzwerk/beitreten/zurueckziehen/", follow=True)
    assert "zurückgezogen" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.ENDED
    # Replayed: nothing to withdraw, a German message.
    response = client.post("/netzwerk/beitreten/zurueckziehen/", follow=True)
    assert "keine offene Anfrage" in response.content.decode()


def test_a_member_is_sent_from_join_to_their_municipality(client, dortmund):
    client.force_login(member(dortmund))
    response = client.get("/netzwerk/beitreten/")
    assert response.status_code == 302 and response["Location"] == "/netzwerk/kommune/"


def test_nobody_becomes_staff_by_signing_up(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "neu@kommune.example",
            "name": "Nina Neu",
            "privacy_consent": "on",
            "password1": "ein-sicheres-passwort-42",
            "password2": "ein-sicheres-passwort-42",
            "groups": "1",
            "is_staff": "on",
            "is_superuser": "on",
            "landesjugendamt": "LVR",
        },
    )
    assert response.status_code == 302
    from core.models import User

    user = User.objects.get(email="neu@kommune.example")
    assert not user.groups.exists()
    assert not user.is_staff and not user.is_superuser
    assert user.landesjugendamt == ""
    assert not user_is_landesjugendamt_staff(user=user)
    assert not user.has_perm("wagtailadmin.access_admin")


# --- my municipality ----------------------------------------------------------------------------


def test_member_sees_own_municipality_only(client, dortmund, koeln):
    colleague = member(dortmund, name="Dora Dortmund", show_email_to_members=True)
    hidden = member(dortmund, name="Hanna Hidden", show_email_to_members=False)
    member(koeln, name="Kurt Köln", show_email_to_members=True)
    client.force_login(member(dortmund))
    html = client.get("/netzwerk/kommune/").content.decode()
    assert "Dora Dortmund" in html and colleague.email in html
    assert "Hanna Hidden" in html and hidden.email not in html
    assert "Kurt Köln" not in html
    # No management for plain members.
    assert "Offene Anfragen" not in html
    assert "/netzwerk/kommune/einladen/" not in html


def test_coordinator_sees_requests_and_invitations_of_own_municipality(client, dortmund, koeln):
    pending = MembershipFactory(
        municipality=dortmund,
        status=MembershipStatus.PENDING,
        message=SCRIPT,
        user=UserFactory(name="Paula Pending"),
    )
    MembershipFactory(
        municipality=koeln, status=MembershipStatus.PENDING, user=UserFactory(name="Karl Anfrage")
    )
    InvitationFactory(municipality=dortmund, email="eingeladen@dortmund.example")
    InvitationFactory(municipality=koeln, email="eingeladen@koeln.example")
    client.force_login(coordinator(dortmund))
    html = client.get("/netzwerk/kommune/").content.decode()
    assert "Paula Pending" in html and pending.user.email in html
    assert f"/netzwerk/mitgliedschaft/{pending.pk}/annehmen/" in html
    assert "&lt;script&gt;" in html and SCRIPT not in html
    assert "Karl Anfrage" not in html
    assert "eingeladen@dortmund.example" in html
    assert "eingeladen@koeln.example" not in html


def test_without_membership_the_municipality_page_sends_to_join(client):
    client.force_login(UserFactory())
    response = client.get("/netzwerk/kommune/")
    assert response["Location"] == "/netzwerk/beitreten/"


def _municipality_page_queries(client, dortmund, extra: int) -> int:
    for _ in range(extra):
        member(dortmund, show_email_to_members=True)
        MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
        InvitationFactory(municipality=dortmund)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/netzwerk/kommune/")
    assert response.status_code == 200
    return len(queries)


def test_member_list_query_count_does_not_grow(client, dortmund, django_assert_max_num_queries):
    client.force_login(coordinator(dortmund))
    few = _municipality_page_queries(client, dortmund, 2)
    many = _municipality_page_queries(client, dortmund, 12)
    assert few == many
    with django_assert_max_num_queries(4):
        client.get("/netzwerk/kommune/")


# --- deciding through the pages -----------------------------------------------------------------


def test_coordinator_approves_through_the_page(
    client, dortmund, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    client.force_login(coordinator(dortmund))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/netzwerk/mitgliedschaft/{pending.pk}/annehmen/", follow=True)
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.APPROVED
    assert "ist jetzt Mitglied von Dortmund" in response.content.decode()
    assert len(mail.outbox) == 1


def test_forged_approval_for_another_municipality_is_404(
    client, dortmund, koeln, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    client.force_login(coordinator(koeln))
    with django_capture_on_commit_callbacks(execute=True):
        for action in ("annehmen", "ablehnen"):
            response = client.post(f"/netzwerk/mitgliedschaft/{pending.pk}/{action}/")
            # Resolved through what the reader may see: not even its existence shows.
            assert response.status_code == 404
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING and pending.decided_by is None
    assert mail.outbox == []


def test_replayed_approval_gives_a_german_message(
    client, dortmund, django_capture_on_commit_callbacks
):
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    client.force_login(coordinator(dortmund))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/netzwerk/mitgliedschaft/{pending.pk}/annehmen/")
        pending.refresh_from_db()
        decided_at = pending.decided_at
        response = client.post(f"/netzwerk/mitgliedschaft/{pending.pk}/ablehnen/", follow=True)
    assert "bereits entschieden" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.APPROVED and pending.decided_at == decided_at
    assert len(mail.outbox) == 1


def test_decision_urls_refuse_get_and_unknown_ids(client, dortmund):
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    client.force_login(coordinator(dortmund))
    assert client.get(f"/netzwerk/mitgliedschaft/{pending.pk}/annehmen/").status_code == 405
    assert client.post("/netzwerk/mitgliedschaft/999999/annehmen/").status_code == 404
    assert client.post("/netzwerk/mitgliedschaft/abc/annehmen/").status_code == 404
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING


def test_coordinator_ends_a_membership_but_not_as_last_coordinator(client, dortmund, koeln):
    boss = coordinator(dortmund)
    staff_member = member(dortmund)
    membership = staff_member.memberships.get()
    client.force_login(boss)
    client.post(f"/netzwerk/mitgliedschaft/{membership.pk}/beenden/")
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    own = boss.memberships.get()
    response = client.post(f"/netzwerk/mitgliedschaft/{own.pk}/beenden/", follow=True)
    assert "letzte Koordination" in response.content.decode()
    own.refresh_from_db()
    assert own.status == MembershipStatus.APPROVED
    # Köln's coordinator cannot end Dortmund's coordinator, nor learn that the membership exists.
    client.force_login(coordinator(koeln))
    assert client.post(f"/netzwerk/mitgliedschaft/{own.pk}/beenden/").status_code == 404
    own.refresh_from_db()
    assert own.status == MembershipStatus.APPROVED


def test_ending_a_membership_asks_first_and_is_not_offered_for_oneself(client, dortmund, koeln):
    """Issue 12: "Mitgliedschaft beenden" was a one-click button, also beside the coordinator."""
    boss = coordinator(dortmund)
    staff_member = member(dortmund, name="Sofia Sommer")
    membership = staff_member.memberships.get()
    own = boss.memberships.get()
    client.force_login(boss)
    html = client.get("/netzwerk/kommune/").content.decode()
    url = f"/netzwerk/mitgliedschaft/{membership.pk}/beenden/"
    assert f'<a class="button button--secondary" href="{url}">' in html
    assert f"/netzwerk/mitgliedschaft/{own.pk}/beenden/" not in html
    assert 'action="/netzwerk/mitgliedschaft/' not in html  # no one-click form any more
    # GET shows who and what follows, and changes nothing.
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sofia Sommer" in page and "Was folgt" in page and "button--danger" in page
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    # POST ends it.
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    # The last coordinator's own page says why not, with nothing to press.
    page = client.get(f"/netzwerk/mitgliedschaft/{own.pk}/beenden/").content.decode()
    assert "letzte Koordination" in page and "button--danger" not in page
    # Someone else's membership is not found at all.
    client.force_login(coordinator(koeln))
    assert client.get(url).status_code == 404


def test_a_member_leaves_through_the_confirmation_page(client, dortmund):
    coordinator(dortmund)
    staff_member = member(dortmund)
    own = staff_member.memberships.get()
    client.force_login(staff_member)
    html = client.get("/netzwerk/kommune/").content.decode()
    url = f"/netzwerk/mitgliedschaft/{own.pk}/beenden/"
    assert f'href="{url}"' in html
    assert "Was folgt" in client.get(url).content.decode()
    client.post(url)
    own.refresh_from_db()
    assert own.status == MembershipStatus.ENDED


# --- Landesjugendamt staff ----------------------------------------------------------------------


def test_staff_see_all_pending_requests_and_decide(
    client, dortmund, koeln, django_capture_on_commit_callbacks
):
    in_dortmund = MembershipFactory(
        municipality=dortmund, status=MembershipStatus.PENDING, user=UserFactory(name="Dirk D")
    )
    in_koeln = MembershipFactory(
        municipality=koeln, status=MembershipStatus.PENDING, user=UserFactory(name="Klara K")
    )
    client.force_login(with_mfa(StaffFactory()))
    html = client.get("/netzwerk/anfragen/").content.decode()
    assert "Dirk D" in html and "Klara K" in html
    html = client.get("/netzwerk/anfragen/?region=LVR").content.decode()
    assert "Dirk D" not in html and "Klara K" in html
    assert client.get("/netzwerk/anfragen/?region=<script>").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/netzwerk/mitgliedschaft/{in_koeln.pk}/annehmen/",
            {"next": "/netzwerk/anfragen/?region=LVR"},
        )
    assert response["Location"] == "/netzwerk/anfragen/?region=LVR"
    in_koeln.refresh_from_db()
    assert in_koeln.status == MembershipStatus.APPROVED
    # An outside "next" is ignored.
    response = client.post(
        f"/netzwerk/mitgliedschaft/{in_dortmund.pk}/ablehnen/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/netzwerk/kommune/"


def test_staff_without_second_factor_are_sent_to_set_one_up(client, dortmund):
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    client.force_login(StaffFactory(second_factor=False))
    response = client.post(f"/netzwerk/mitgliedschaft/{pending.pk}/annehmen/")
    assert response.status_code == 302 and "totp" in response["Location"]
    assert client.session["mfa_setup_next"] == "/netzwerk/anfragen/"
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING


def test_requests_page_is_for_staff_only(client, dortmund):
    client.force_login(coordinator(dortmund))
    assert client.get("/netzwerk/anfragen/").status_code == 403


def test_requests_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    client.force_login(with_mfa(StaffFactory()))
    counts = []
    for extra in (2, 12):
        for _ in range(extra):
            MembershipFactory(status=MembershipStatus.PENDING)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/netzwerk/anfragen/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(3):
        client.get("/netzwerk/anfragen/")


# --- invitations --------------------------------------------------------------------------------


def test_coordinator_invites_through_the_form(client, dortmund, django_capture_on_commit_callbacks):
    client.force_login(coordinator(dortmund))
    assert client.get("/netzwerk/kommune/einladen/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/netzwerk/kommune/einladen/",
            {"email": "kollegin@dortmund.example", "role": "coordinator"},
            follow=True,
        )
    invitation = Invitation.objects.get()
    assert invitation.municipality == dortmund and invitation.role == MembershipRole.COORDINATOR
    assert "kollegin@dortmund.example" in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"email": "", "role": "staff"},
        {"email": "kein-at-zeichen", "role": "staff"},
        {"email": "a" * 250 + "@x.example", "role": "staff"},
        {"email": "ok@example.org", "role": "chef"},
        {"email": SCRIPT, "role": "staff"},
    ],
)
def test_invite_refuses_bad_input(client, dortmund, data):
    client.force_login(coordinator(dortmund))
    response = client.post("/netzwerk/kommune/einladen/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert SCRIPT not in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_coordinators_reach_the_invite_form(client, dortmund):
    client.force_login(member(dortmund))
    assert client.get("/netzwerk/kommune/einladen/").status_code == 403
    assert (
        client.post("/netzwerk/kommune/einladen/", {"email": "a@b.de", "role": "staff"}).status_code
        == 403
    )
    assert not Invitation.objects.exists()


def test_invitation_link_for_the_right_account(client, dortmund):
    invitation = InvitationFactory(municipality=dortmund, email="neu@example.org")
    user = UserFactory(email="neu@example.org")
    client.force_login(user)
    url = f"/netzwerk/einladung/{invitation.token}/"
    response = client.get(url)
    assert response.status_code == 200 and "Dortmund" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()  # GET changes nothing
    response = client.post(url)
    assert response["Location"] == "/netzwerk/kommune/"
    assert user.memberships.get().status == MembershipStatus.APPROVED
    # Reused: a German message, nothing changed.
    response = client.post(url)
    assert response.status_code == 410
    assert "bereits verwendet" in response.content.decode()
    assert user.memberships.count() == 1


def test_invitation_link_for_another_account(client, dortmund):
    invitation = InvitationFactory(municipality=dortmund, email="neu@example.org")
    other = UserFactory(email="andere@example.org")
    client.force_login(other)
    for method in (client.get, client.post):
        response = method(f"/netzwerk/einladung/{invitation.token}/")
        assert response.status_code == 403
        assert "an eine andere E-Mail-Adresse" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not other.memberships.exists()


def test_expired_and_unknown_invitation_links(client, dortmund):
    expired = InvitationFactory(
        municipality=dortmund,
        email="neu@example.org",
        expires_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(UserFactory(email="neu@example.org"))
    response = client.post(f"/netzwerk/einladung/{expired.token}/")
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    assert client.get("/netzwerk/einladung/gibt-es-nicht/").status_code == 404
    assert client.get(f"/netzwerk/einladung/{'x' * 200}/").status_code == 404
    assert (
        not Membership.objects.exists()
        or not Membership.objects.filter(user__email="neu@example.org").exists()
    )


def test_visitor_signs_up_through_the_invitation_and_comes_back(client, dortmund):
    invitation = InvitationFactory(municipality=dortmund, email="neu@example.org")
    url = f"/netzwerk/einladung/{invitation.token}/"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/") and "next=" in response["Location"]
    response = client.post(
        f"/konto/signup/?next={url}",
        {
            "email": "neu@example.org",
            "name": "Nina Neu",
            "privacy_consent": "on",
            "password1": "ein-sicheres-passwort-42",
            "password2": "ein-sicheres-passwort-42",
            "next": url,
        },
    )
    # The invitation proved the address: no verification round, straight back to the link.
    assert response.status_code == 302 and response["Location"] == url
    assert EmailAddress.objects.get(email="neu@example.org").verified
    response = client.post(url)
    assert response["Location"] == "/netzwerk/kommune/"
    assert Membership.objects.get(user__email="neu@example.org").is_approved


def test_member_logs_in_through_the_invitation(client, dortmund):
    invitation = InvitationFactory(municipality=dortmund, email="neu@example.org")
    UserFactory(email="neu@example.org")
    url = f"/netzwerk/einladung/{invitation.token}/"
    client.get(url)
    response = client.post(
        "/konto/login/", {"login": "neu@example.org", "password": PASSWORD, "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url


def test_coordinator_withdraws_an_invitation(client, dortmund, koeln):
    invitation = InvitationFactory(municipality=dortmund)
    client.force_login(coordinator(koeln))
    assert client.post(f"/netzwerk/einladungen/{invitation.pk}/zurueckziehen/").status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    client.force_login(coordinator(dortmund))
    client.post(f"/netzwerk/einladungen/{invitation.pk}/zurueckziehen/")
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


# --- the network home ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "newcomer", "pending", "coordinator", "staff"])
def test_network_home_for_everyone(client, dortmund, who):
    if who == "newcomer":
        client.force_login(UserFactory())
    elif who == "pending":
        client.force_login(
            MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING).user
        )
    elif who == "coordinator":
        client.force_login(coordinator(dortmund))
        MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    elif who == "staff":
        client.force_login(with_mfa(StaffFactory()))
    response = client.get("/netzwerk/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    expected = {
        "anonymous": "/konto/signup/",
        "newcomer": "/netzwerk/beitreten/",
        "pending": "wartet auf eine Entscheidung",
        "coordinator": "1 offene Anfrage",
        "staff": "/netzwerk/anfragen/",
    }[who]
    assert expected in html


# --- the Django admin ---------------------------------------------------------------------------


def test_admin_lists_and_approves_through_the_service(
    client, dortmund, django_capture_on_commit_callbacks
):
    from core.models import User

    admin = with_mfa(User.objects.create_superuser(email="admin@kinderstark.example"))
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    InvitationFactory(municipality=dortmund)
    client.force_login(admin)
    for url in ("municipality", "membership", "invitation"):
        assert client.get(f"/django-admin/network/{url}/").status_code == 200
    assert client.get("/django-admin/network/invitation/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/django-admin/network/membership/",
            {"action": "approve_requests", "_selected_action": [pending.pk]},
        )
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.APPROVED and pending.decided_by == admin
    assert len(mail.outbox) == 1


def test_other_pages_have_a_small_fixed_number_of_queries(
    client, dortmund, koeln, django_assert_max_num_queries
):
    boss = coordinator(dortmund)
    invitation = InvitationFactory(municipality=dortmund, email=boss.email)
    newcomer = UserFactory()
    for user, url, most in [
        (boss, "/netzwerk/", 5),
        (boss, "/netzwerk/kommune/einladen/", 1),
        (newcomer, "/netzwerk/beitreten/", 3),
        (newcomer, "/netzwerk/", 2),
        (boss, f"/netzwerk/einladung/{invitation.token}/", 3),
    ]:
        client.force_login(user)
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
