"""Joining a municipality, deciding requests, invitations and ending memberships.

Every function checks who may do it (through network.selectors.memberships), locks the row it
changes, re-reads its state and only then writes, so a replayed or forged request changes nothing.
E-mails go out after the transaction commits.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.mail import Mail, enqueue_mails
from core.models import User
from events.publish import access_changed
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
from network.models import Invitation, Membership, MembershipRole, MembershipStatus, Municipality
from network.selectors.memberships import (
    LIVE_STATUSES,
    invitation_is_for_user,
    municipality_coordinators,
    region_staff,
    user_may_manage_municipality,
)

INVITATION_VALID_FOR = timedelta(days=14)
# Accepted and expired invitations are deleted this long after, when the next one is made.
INVITATION_KEPT_FOR = timedelta(days=30)
MESSAGE_MAX_LENGTH = 1000


def _forget_cached_membership(user: User) -> None:
    if hasattr(user, "_approved_membership"):
        del user._approved_membership


def _mail_context(membership: Membership) -> dict:
    return {
        "member_name": membership.user.display_name,
        "member_email": membership.user.email,
        "municipality": membership.municipality.name,
        "role": membership.get_role_display(),
        "message": membership.message,
    }


def membership_request(
    *, user: User, municipality: Municipality, role: str, message: str = ""
) -> Membership:
    """A signed-up user asks to join a municipality (one live membership per person). The
    request is pending until its coordinators or Landesjugendamt staff decide; the coordinators
    (or, if it has none yet, the staff of its Landesjugendamt) get an e-mail."""
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_LENGTH:
        raise MessageTooLong
    if role not in MembershipRole.values:
        raise NotAllowed
    if not municipality.active:
        raise MunicipalityInactive
    try:
        with transaction.atomic():
            if Membership.objects.filter(user=user, status__in=LIVE_STATUSES).exists():
                raise AlreadyMember
            membership = Membership.objects.create(
                user=user, municipality=municipality, role=role, message=message
            )
            recipients = list(municipality_coordinators(municipality=municipality)) or list(
                region_staff(region=municipality.region)
            )
            # In the request's transaction: the request and its mails commit together.
            enqueue_mails(
                Mail(
                    template="network/mail/membership_requested",
                    to=[recipient.email],
                    context={
                        **_mail_context(membership),
                        "recipient_name": recipient.display_name,
                    },
                )
                for recipient in recipients
            )
    except IntegrityError as exc:  # the same request twice at once: the constraint decides
        raise AlreadyMember from exc
    return membership


def _decide(*, membership: Membership, by: User, status: str, role: str | None) -> Membership:
    if not user_may_manage_municipality(user=by, municipality=membership.municipality):
        raise NotAllowed
    with transaction.atomic():
        locked = (
            Membership.objects.select_for_update()
            .select_related("user", "municipality")
            .get(pk=membership.pk)
        )
        if locked.status != MembershipStatus.PENDING:
            raise MembershipAlreadyDecided
        locked.status = status
        if role is not None:
            if role not in MembershipRole.values:
                raise NotAllowed
            locked.role = role
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save(update_fields=["status", "role", "decided_at", "decided_by"])
        template = (
            "network/mail/membership_approved"
            if status == MembershipStatus.APPROVED
            else "network/mail/membership_declined"
        )
        enqueue_mails(
            [Mail(template=template, to=[locked.user.email], context=_mail_context(locked))]
        )
    _forget_cached_membership(locked.user)
    return locked


def membership_approve(*, membership: Membership, by: User, role: str | None = None) -> Membership:
    """A coordinator of the membership's municipality, or Landesjugendamt staff, approves a
    pending request (optionally with another role than the one asked for). Only a pending
    request can be decided; the member gets an e-mail."""
    return _decide(membership=membership, by=by, status=MembershipStatus.APPROVED, role=role)


def membership_decline(*, membership: Membership, by: User) -> Membership:
    """As membership_approve, but the request is declined; the person gets an e-mail and may
    ask again."""
    return _decide(membership=membership, by=by, status=MembershipStatus.DECLINED, role=None)


def membership_withdraw(*, membership: Membership, by: User) -> Membership:
    """A person withdraws their own pending request."""
    if membership.user_id != by.pk:
        raise NotAllowed
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status != MembershipStatus.PENDING:
            raise MembershipAlreadyDecided
        locked.status = MembershipStatus.ENDED
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
    return locked


def membership_end(*, membership: Membership, by: User) -> Membership:
    """End an approved membership: a coordinator of its municipality or Landesjugendamt staff,
    or the member themself. A coordinator may not end their own membership while they are the
    municipality's last coordinator (the municipality's row is locked, so two coordinators
    leaving at once cannot both succeed)."""
    own = membership.user_id == by.pk
    if not own and not user_may_manage_municipality(user=by, municipality=membership.municipality):
        raise NotAllowed
    with transaction.atomic():
        Municipality.objects.select_for_update().get(pk=membership.municipality_id)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.status != MembershipStatus.APPROVED:
            raise MembershipNotActive
        if own and locked.role == MembershipRole.COORDINATOR:
            others = (
                Membership.objects.filter(
                    municipality_id=locked.municipality_id,
                    status=MembershipStatus.APPROVED,
                    role=MembershipRole.COORDINATOR,
                )
                .exclude(pk=locked.pk)
                .exists()
            )
            if not others:
                raise LastCoordinator
        locked.status = MembershipStatus.ENDED
        locked.ended_at = timezone.now()
        locked.save(update_fields=["status", "ended_at"])
        # Open board sockets of the person re-check their access at once (close code 4403).
        access_changed(user_id=locked.user_id)
    _forget_cached_membership(by)
    return locked


# --- invitations --------------------------------------------------------------------------------


def invitation_create(*, municipality: Municipality, email: str, role: str, by: User) -> Invitation:
    """A coordinator of the municipality (or Landesjugendamt staff) invites a colleague by
    e-mail. The link is valid for 14 days and once; inviting the same address again replaces
    the older open invitation, whose link then stops working."""
    if not user_may_manage_municipality(user=by, municipality=municipality):
        raise NotAllowed
    if role not in MembershipRole.values:
        raise NotAllowed
    email = email.strip().lower()
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(
            municipality=municipality, email__iexact=email, accepted_at__isnull=True
        ).delete()
        invitation_purge_old(now=now)
        invitation = Invitation.objects.create(
            municipality=municipality,
            email=email,
            role=role,
            invited_by=by,
            created_at=now,
            expires_at=now + INVITATION_VALID_FOR,
        )
        enqueue_mails(
            [
                Mail(
                    template="network/mail/invitation",
                    to=[email],
                    context={
                        "inviter_name": by.display_name,
                        "municipality": municipality.name,
                        "role": invitation.get_role_display(),
                        "path": reverse("network:invitation", args=[invitation.token]),
                        "expires_at": invitation.expires_at,
                    },
                )
            ]
        )
    return invitation


def invitation_purge_old(*, now=None) -> int:
    """Delete invitations accepted or expired more than 30 days ago: personal data is kept no
    longer than network.privacy.RETENTION says. Runs whenever an invitation is made, and daily
    through `manage.py purge_invitations`. Returns how many were deleted."""
    cutoff = (now or timezone.now()) - INVITATION_KEPT_FOR
    deleted, _ = Invitation.objects.filter(
        Q(expires_at__lt=cutoff) | Q(accepted_at__lt=cutoff)
    ).delete()
    return deleted


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    """A coordinator (or Landesjugendamt staff) withdraws an open invitation; its link stops
    working."""
    if not user_may_manage_municipality(user=by, municipality=invitation.municipality):
        raise NotAllowed
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if locked is None or locked.accepted_at is not None:
            raise InvitationUsed
        locked.delete()


def invitation_check(*, invitation: Invitation, user: User | None = None) -> None:
    """Raise why the invitation cannot be accepted (by this user, if given): used, expired,
    or meant for another e-mail address."""
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired
    if user is not None and not invitation_is_for_user(invitation=invitation, user=user):
        raise InvitationWrongAccount


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person accepts: once, before it expires, only from an account with the
    invited address. They become an approved member with the invited role. A pending request
    of theirs is replaced; an approved membership elsewhere must be ended first."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update()
            .select_related("municipality")
            .get(pk=invitation.pk)
        )
        invitation_check(invitation=locked, user=user)
        if not locked.municipality.active:
            raise MunicipalityInactive
        now = timezone.now()
        live = Membership.objects.select_for_update().filter(user=user, status__in=LIVE_STATUSES)
        membership = None
        for existing in live:
            if existing.status == MembershipStatus.APPROVED:
                raise AlreadyMember
            if existing.municipality_id == locked.municipality_id:
                membership = existing
            else:
                existing.status = MembershipStatus.ENDED
                existing.ended_at = now
                existing.save(update_fields=["status", "ended_at"])
        if membership is None:
            membership = Membership(user=user, municipality=locked.municipality, requested_at=now)
        membership.role = locked.role
        membership.status = MembershipStatus.APPROVED
        membership.decided_at = now
        membership.decided_by = locked.invited_by
        membership.save()
        locked.accepted_at = now
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
    _forget_cached_membership(user)
    return membership
