"""The membership rules, tested on the services directly."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from network.exceptions import (
    AlreadyMember,
    InvitationExpired,
    InvitationUsed,
    InvitationWrongAccount,
    LastCoordinator,
    MembershipAlreadyDecided,
    MembershipNotActive,
    MessageTooLong,
    MunicipalityInactive,
    NotAllowed,
)
from network.models import Invitation, Membership, MembershipRole, MembershipStatus
from network.selectors.memberships import (
    municipality_members,
    user_is_coordinator_of,
    user_is_member,
    user_may_manage_municipality,
    user_membership,
)
from network.services.memberships import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    membership_approve,
    membership_decline,
    membership_end,
    membership_request,
    membership_withdraw,
)
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dortmund():
    return MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")


@pytest.fixture
def koeln():
    return MunicipalityFactory(name="Köln", slug="koeln", region="LVR")


def _request(user, municipality, capture, **kwargs):
    with capture(execute=True):
        return membership_request(
            user=user,
            municipality=municipality,
            role=kwargs.get("role", MembershipRole.STAFF),
            message=kwargs.get("message", ""),
        )


# --- asking to join -----------------------------------------------------------------------------


def test_request_is_pending_and_tells_the_coordinators_once(
    dortmund, koeln, django_capture_on_commit_callbacks
):
    boss = coordinator(dortmund, email="boss@dortmund.example")
    coordinator(koeln, email="boss@koeln.example")
    member(dortmund, email="colleague@dortmund.example")
    newcomer = UserFactory(name="Nina Neu")

    membership = _request(newcomer, dortmund, django_capture_on_commit_callbacks, message="Hallo")

    assert membership.status == MembershipStatus.PENDING
    assert not user_is_member(user=newcomer)
    assert [m.to for m in mail.outbox] == [[boss.email]]
    assert "Nina Neu" in mail.outbox[0].subject
    assert "/netzwerk/kommune/" in mail.outbox[0].body
    assert "Hallo" in mail.outbox[0].body


def test_request_without_coordinators_goes_to_the_regions_staff(
    dortmund, django_capture_on_commit_callbacks
):
    lwl = StaffFactory(email="team@lwl.example", landesjugendamt="LWL")
    StaffFactory(email="team@lvr.example", landesjugendamt="LVR")
    _request(UserFactory(), dortmund, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[lwl.email]]


def test_no_mail_when_the_transaction_rolls_back(dortmund, django_capture_on_commit_callbacks):
    coordinator(dortmund)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        membership_request(user=UserFactory(), municipality=dortmund, role="staff")
        raise RuntimeError
    assert mail.outbox == []
    assert not Membership.objects.filter(status=MembershipStatus.PENDING).exists()


def test_one_live_membership_per_person(dortmund, koeln, django_capture_on_commit_callbacks):
    user = UserFactory()
    _request(user, dortmund, django_capture_on_commit_callbacks)
    with pytest.raises(AlreadyMember):
        _request(user, koeln, django_capture_on_commit_callbacks)
    with pytest.raises(AlreadyMember):
        _request(member(koeln), dortmund, django_capture_on_commit_callbacks)
    assert Membership.objects.filter(user=user).count() == 1


def test_the_database_refuses_a_second_live_membership(dortmund, koeln):
    user = member(dortmund)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=user, municipality=koeln, status=MembershipStatus.PENDING)


def test_request_refuses_bad_input(dortmund, django_capture_on_commit_callbacks):
    user = UserFactory()
    with pytest.raises(MessageTooLong):
        _request(user, dortmund, django_capture_on_commit_callbacks, message="x" * 1001)
    with pytest.raises(NotAllowed):
        _request(user, dortmund, django_capture_on_commit_callbacks, role="superuser")
    closed = MunicipalityFactory(active=False)
    with pytest.raises(MunicipalityInactive):
        _request(user, closed, django_capture_on_commit_callbacks)
    assert not Membership.objects.filter(user=user).exists()
    assert mail.outbox == []
    # Exactly 1000 characters is fine.
    assert _request(user, dortmund, django_capture_on_commit_callbacks, message="x" * 1000).pk


def test_a_declined_person_may_ask_again(dortmund, django_capture_on_commit_callbacks):
    user = UserFactory()
    boss = coordinator(dortmund)
    first = _request(user, dortmund, django_capture_on_commit_callbacks)
    membership_decline(membership=first, by=boss)
    assert _request(user, dortmund, django_capture_on_commit_callbacks).status == "pending"


def test_withdraw_only_own_pending_request(dortmund, django_capture_on_commit_callbacks):
    user = UserFactory()
    pending = _request(user, dortmund, django_capture_on_commit_callbacks)
    with pytest.raises(NotAllowed):
        membership_withdraw(membership=pending, by=UserFactory())
    membership_withdraw(membership=pending, by=user)
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.ENDED
    with pytest.raises(MembershipAlreadyDecided):
        membership_withdraw(membership=pending, by=user)


# --- deciding -----------------------------------------------------------------------------------


def test_coordinator_approves_and_the_member_gets_one_mail(
    dortmund, django_capture_on_commit_callbacks
):
    boss = coordinator(dortmund)
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership_approve(membership=pending, by=boss)
    assert len(callbacks) == 1
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.APPROVED
    assert pending.decided_by == boss
    assert pending.decided_at is not None
    assert user_is_member(user=pending.user)
    assert [m.to for m in mail.outbox] == [[pending.user.email]]
    assert "Dortmund" in mail.outbox[0].subject
    html = mail.outbox[0].alternatives[0][0]
    assert "/netzwerk/kommune/" in html


def test_coordinator_may_approve_with_another_role(dortmund, django_capture_on_commit_callbacks):
    pending = MembershipFactory(
        municipality=dortmund, status=MembershipStatus.PENDING, role=MembershipRole.COORDINATOR
    )
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=pending, by=coordinator(dortmund), role=MembershipRole.STAFF)
    pending.refresh_from_db()
    assert pending.role == MembershipRole.STAFF


def test_decline_sends_the_declined_mail(dortmund, django_capture_on_commit_callbacks):
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        membership_decline(membership=pending, by=coordinator(dortmund))
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.DECLINED
    assert len(mail.outbox) == 1
    assert "abgelehnt" in mail.outbox[0].body  # German by default


def test_landesjugendamt_staff_may_decide_any_municipality(
    dortmund, koeln, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    for town in (dortmund, koeln):
        pending = MembershipFactory(municipality=town, status=MembershipStatus.PENDING)
        with django_capture_on_commit_callbacks(execute=True):
            membership_approve(membership=pending, by=staff)
        pending.refresh_from_db()
        assert pending.status == MembershipStatus.APPROVED


@pytest.mark.parametrize("who", ["koeln_coordinator", "dortmund_staff_member", "stranger"])
def test_nobody_else_may_decide(who, dortmund, koeln, django_capture_on_commit_callbacks):
    by = {
        "koeln_coordinator": lambda: coordinator(koeln),
        "dortmund_staff_member": lambda: member(dortmund),
        "stranger": UserFactory,
    }[who]()
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(NotAllowed):
            membership_approve(membership=pending, by=by)
        with pytest.raises(NotAllowed):
            membership_decline(membership=pending, by=by)
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.PENDING
    assert pending.decided_by is None
    assert mail.outbox == []


def test_a_replayed_decision_changes_nothing(dortmund, django_capture_on_commit_callbacks):
    boss = coordinator(dortmund)
    pending = MembershipFactory(municipality=dortmund, status=MembershipStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        membership_approve(membership=pending, by=boss)
    pending.refresh_from_db()
    decided_at = pending.decided_at
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(MembershipAlreadyDecided):
            membership_approve(membership=pending, by=boss)
        with pytest.raises(MembershipAlreadyDecided):
            membership_decline(membership=pending, by=StaffFactory())
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.APPROVED
    assert pending.decided_at == decided_at
    assert len(mail.outbox) == 1


# --- ending -------------------------------------------------------------------------------------


def test_coordinator_ends_a_membership_of_their_municipality(dortmund):
    boss = coordinator(dortmund)
    staff_member = member(dortmund)
    membership = user_membership(user=staff_member)
    membership_end(membership=membership, by=boss)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.ENDED
    assert membership.ended_at is not None
    assert staff_member not in [m.user for m in municipality_members(municipality=dortmund)]
    with pytest.raises(MembershipNotActive):
        membership_end(membership=membership, by=boss)


def test_coordinator_of_another_municipality_may_not_end(dortmund, koeln):
    membership = user_membership(user=member(dortmund))
    with pytest.raises(NotAllowed):
        membership_end(membership=membership, by=coordinator(koeln))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED


def test_the_last_coordinator_may_not_leave(dortmund):
    boss = coordinator(dortmund)
    own = user_membership(user=boss)
    with pytest.raises(LastCoordinator):
        membership_end(membership=own, by=boss)
    own.refresh_from_db()
    assert own.status == MembershipStatus.APPROVED
    # With a second coordinator they may.
    coordinator(dortmund)
    membership_end(membership=own, by=boss)
    own.refresh_from_db()
    assert own.status == MembershipStatus.ENDED


def test_a_member_may_leave(dortmund):
    staff_member = member(dortmund)
    own = user_membership(user=staff_member)
    membership_end(membership=own, by=staff_member)
    own.refresh_from_db()
    assert own.status == MembershipStatus.ENDED


# --- who sees what ------------------------------------------------------------------------------


def test_selectors_keep_municipalities_apart(dortmund, koeln):
    boss = coordinator(dortmund)
    assert user_is_coordinator_of(user=boss, municipality=dortmund)
    assert not user_is_coordinator_of(user=boss, municipality=koeln)
    assert user_may_manage_municipality(user=boss, municipality=dortmund)
    assert not user_may_manage_municipality(user=boss, municipality=koeln)
    assert user_may_manage_municipality(user=StaffFactory(), municipality=koeln)
    assert not user_may_manage_municipality(user=member(dortmund), municipality=dortmund)


# --- invitations --------------------------------------------------------------------------------


def _invite(municipality, email, by, capture, role=MembershipRole.STAFF):
    with capture(execute=True):
        return invitation_create(municipality=municipality, email=email, role=role, by=by)


def test_coordinator_invites_and_the_colleague_gets_a_link(
    dortmund, django_capture_on_commit_callbacks
):
    boss = coordinator(dortmund, name="Dana Demir")
    invitation = _invite(
        dortmund, " Neu@Dortmund.example ", boss, django_capture_on_commit_callbacks
    )
    assert invitation.email == "neu@dortmund.example"
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)
    assert [m.to for m in mail.outbox] == [["neu@dortmund.example"]]
    assert f"/netzwerk/einladung/{invitation.token}/" in mail.outbox[0].body
    assert "Dana Demir" in mail.outbox[0].body


def test_only_coordinators_and_staff_invite(dortmund, koeln, django_capture_on_commit_callbacks):
    for by in (coordinator(koeln), member(dortmund), UserFactory()):
        with pytest.raises(NotAllowed):
            _invite(dortmund, "x@example.org", by, django_capture_on_commit_callbacks)
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert _invite(dortmund, "x@example.org", StaffFactory(), django_capture_on_commit_callbacks)


def test_inviting_again_replaces_the_older_invitation(dortmund, django_capture_on_commit_callbacks):
    boss = coordinator(dortmund)
    first = _invite(dortmund, "neu@example.org", boss, django_capture_on_commit_callbacks)
    second = _invite(
        dortmund,
        "NEU@example.org",
        boss,
        django_capture_on_commit_callbacks,
        role=MembershipRole.COORDINATOR,
    )
    assert list(Invitation.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.token != second.token


def test_accepting_makes_an_approved_member_once(dortmund, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(
        municipality=dortmund, email="neu@example.org", role=MembershipRole.COORDINATOR
    )
    user = UserFactory(email="neu@example.org")
    membership = invitation_accept(invitation=invitation, user=user)
    assert membership.status == MembershipStatus.APPROVED
    assert membership.role == MembershipRole.COORDINATOR
    assert user_is_coordinator_of(user=user, municipality=dortmund)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    with pytest.raises(InvitationUsed):
        invitation_accept(invitation=invitation, user=user)
    assert Membership.objects.filter(user=user).count() == 1


def test_an_expired_invitation_does_not_work(dortmund):
    invitation = InvitationFactory(
        municipality=dortmund,
        email="neu@example.org",
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    user = UserFactory(email="neu@example.org")
    with pytest.raises(InvitationExpired):
        invitation_accept(invitation=invitation, user=user)
    assert not Membership.objects.filter(user=user).exists()


def test_another_account_cannot_use_the_invitation(dortmund):
    invitation = InvitationFactory(municipality=dortmund, email="neu@example.org")
    other = UserFactory(email="jemand@example.org")
    with pytest.raises(InvitationWrongAccount) as error:
        invitation_accept(invitation=invitation, user=other)
    assert "andere E-Mail-Adresse" in str(error.value.message)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user=other).exists()


def test_invitation_matches_the_address_case_insensitively(dortmund):
    invitation = InvitationFactory(municipality=dortmund, email="neu@example.org")
    user = UserFactory(email="NEU@example.org")
    assert invitation_accept(invitation=invitation, user=user).is_approved


def test_accepting_replaces_an_open_request_elsewhere(
    dortmund, koeln, django_capture_on_commit_callbacks
):
    user = UserFactory(email="neu@example.org")
    pending = _request(user, koeln, django_capture_on_commit_callbacks)
    invitation = InvitationFactory(municipality=dortmund, email=user.email)
    membership = invitation_accept(invitation=invitation, user=user)
    pending.refresh_from_db()
    assert pending.status == MembershipStatus.ENDED
    assert membership.municipality == dortmund and membership.is_approved


def test_a_member_elsewhere_must_leave_first(dortmund, koeln):
    user = member(koeln, email="neu@example.org")
    invitation = InvitationFactory(municipality=dortmund, email=user.email)
    with pytest.raises(AlreadyMember):
        invitation_accept(invitation=invitation, user=user)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert user_membership(user=user).municipality == koeln


def test_revoke_an_invitation(dortmund, koeln):
    invitation = InvitationFactory(municipality=dortmund)
    with pytest.raises(NotAllowed):
        invitation_revoke(invitation=invitation, by=coordinator(koeln))
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    invitation_revoke(invitation=invitation, by=coordinator(dortmund))
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_old_invitations_are_deleted_when_a_new_one_is_made(
    dortmund, django_capture_on_commit_callbacks
):
    old = InvitationFactory(municipality=dortmund, expires_at=timezone.now() - timedelta(days=31))
    recent = InvitationFactory(municipality=dortmund, expires_at=timezone.now() - timedelta(days=1))
    _invite(dortmund, "neu@example.org", coordinator(dortmund), django_capture_on_commit_callbacks)
    assert not Invitation.objects.filter(pk=old.pk).exists()
    assert Invitation.objects.filter(pk=recent.pk).exists()


# --- the Landesjugendamt group ------------------------------------------------------------------


def test_the_staff_group_exists_with_wagtail_admin_access():
    group = Group.objects.get(name=settings.STAFF_GROUP_NAME)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("wagtailadmin", "access_admin") in codenames
    assert ("network", "change_municipality") in codenames
    staff = StaffFactory()
    assert staff.has_perm("wagtailadmin.access_admin")
    assert not UserFactory().has_perm("wagtailadmin.access_admin")


def test_the_staff_group_helper_creates_missing_model_permissions():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    from network.staff_group import grant_to_staff_group, revoke_from_staff_group

    Permission.objects.filter(
        content_type__app_label="network", codename="delete_invitation"
    ).delete()
    grant_to_staff_group(apps, ["network.delete_invitation"])
    grant_to_staff_group(apps, ["network.delete_invitation"])  # twice is fine
    group = Group.objects.get(name=settings.STAFF_GROUP_NAME)
    assert group.permissions.filter(codename="delete_invitation").count() == 1
    revoke_from_staff_group(apps, ["network.delete_invitation"])
    assert not group.permissions.filter(codename="delete_invitation").exists()
    with pytest.raises(LookupError):
        grant_to_staff_group(apps, ["network.fly_to_the_moon"])


def test_purge_command_deletes_old_invitations_only(dortmund):
    from io import StringIO

    from django.core.management import call_command

    old = InvitationFactory(municipality=dortmund, expires_at=timezone.now() - timedelta(days=31))
    used = InvitationFactory(municipality=dortmund, accepted_at=timezone.now() - timedelta(days=31))
    fresh = InvitationFactory(municipality=dortmund)
    out = StringIO()
    call_command("purge_invitations", stdout=out)
    assert "2 old invitation(s) deleted." in out.getvalue()
    assert list(Invitation.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Invitation.objects.filter(pk__in=[old.pk, used.pk]).exists()
