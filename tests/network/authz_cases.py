"""Member-only URLs of the memberships part of network (the forums add theirs below)."""

from network.models import Invitation, Membership, MembershipStatus
from tests.authz import AuthzCase
from tests.factories import InvitationFactory, MembershipFactory, UserFactory


def _pending(world):
    return world.get(
        "dortmund_pending",
        lambda w: MembershipFactory(
            municipality=w.dortmund, status=MembershipStatus.PENDING, user=UserFactory()
        ),
    )


def _invitation(world):
    return world.get(
        "dortmund_invitation",
        lambda w: InvitationFactory(municipality=w.dortmund, email="neu@dortmund.example"),
    )


def _still_pending(world):
    membership = Membership.objects.get(pk=_pending(world).pk)
    assert membership.status == MembershipStatus.PENDING
    assert membership.decided_by is None


def _staff_member_still_in(world):
    assert world.dortmund_staff.memberships.get().status == MembershipStatus.APPROVED


def _invitation_untouched(world):
    invitation = Invitation.objects.get(pk=_invitation(world).pk)
    assert invitation.accepted_at is None


MEMBERSHIP_CASES = [
    AuthzCase(
        "network:municipality_import",
        lambda w: "/netzwerk/verwaltung/kommunen/import/",
        allowed="lja_staff",
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    AuthzCase(
        "network:municipality_import_apply",
        lambda w: "/netzwerk/verwaltung/kommunen/import/",
        method="post",
        data={"action": "apply"},
        refused_to=("dortmund_coordinator", "dortmund_staff"),
        staff_power=True,
    ),
    # Asking to join, and withdrawing the request: for those not (yet) members.
    AuthzCase(
        "network:join",
        lambda w: "/netzwerk/beitreten/",
        allowed="dortmund_staff",
        members_only=False,
    ),
    AuthzCase(
        "network:withdraw",
        lambda w: "/netzwerk/beitreten/zurueckziehen/",
        method="post",
        members_only=False,
    ),
    # A pending member is sent to their request instead.
    AuthzCase("network:municipality", lambda w: "/netzwerk/kommune/", allowed="dortmund_staff"),
    AuthzCase(
        "network:invite", lambda w: "/netzwerk/kommune/einladen/", allowed="dortmund_coordinator"
    ),
    AuthzCase(
        "network:approve",
        lambda w: f"/netzwerk/mitgliedschaft/{_pending(w).pk}/annehmen/",
        method="post",
        other_municipality=True,
        unchanged=_still_pending,
        staff_power=True,
    ),
    AuthzCase(
        "network:decline",
        lambda w: f"/netzwerk/mitgliedschaft/{_pending(w).pk}/ablehnen/",
        method="post",
        other_municipality=True,
        unchanged=_still_pending,
        staff_power=True,
    ),
    AuthzCase(
        "network:end",
        lambda w: f"/netzwerk/mitgliedschaft/{w.dortmund_staff.memberships.get().pk}/beenden/",
        method="post",
        other_municipality=True,
        unchanged=_staff_member_still_in,
        staff_power=True,
    ),
    # The confirmation page before ending a membership (GET changes nothing).
    AuthzCase(
        "network:end_confirm",
        lambda w: f"/netzwerk/mitgliedschaft/{w.dortmund_staff.memberships.get().pk}/beenden/",
        other_municipality=True,
        allowed="dortmund_coordinator",
        refused_to=("koeln_staff",),
        unchanged=_staff_member_still_in,
    ),
    AuthzCase(
        "network:revoke_invitation",
        lambda w: f"/netzwerk/einladungen/{_invitation(w).pk}/zurueckziehen/",
        method="post",
        other_municipality=True,
        unchanged=_invitation_untouched,
        staff_power=True,
    ),
    # The invitation link: anonymous visitors are sent to log in; another account is refused
    # (a member or not).
    AuthzCase(
        "network:invitation",
        lambda w: f"/netzwerk/einladung/{_invitation(w).token}/",
        method="post",
        other_municipality=True,
        refused_to=("pending_member",),
        unchanged=_invitation_untouched,
        members_only=False,
    ),
    AuthzCase(
        "network:requests",
        lambda w: "/netzwerk/anfragen/",
        other_municipality=True,
        allowed="lja_staff",
        staff_power=True,
    ),
]

CASES = [
    *MEMBERSHIP_CASES,
    AuthzCase("directory", lambda w: "/netzwerk/verzeichnis/", allowed="koeln_staff"),
]
