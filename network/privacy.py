"""Personal data held by network's memberships: memberships and invitations.

(The forums and practice examples add their own data to export() and erase() below.)
"""

from django.utils.translation import gettext_lazy as _

from core.privacy import forget_words
from network.models import Invitation, Membership, MembershipStatus

RETENTION = [
    (
        _("Membership in a municipality (role, status, dates, your message to the coordination)"),
        _("As long as the account exists; the message is removed when you delete your account."),
    ),
    (
        _("Invitations (e-mail address of the invited person, role, who invited)"),
        _("Until 30 days after they were accepted or expired; replaced by a newer invitation."),
    ),
]


def export(user) -> dict:
    return {
        "memberships": [
            {
                "municipality": m.municipality.name,
                "role": m.role,
                "status": m.status,
                "message": m.message,
                "requested_at": m.requested_at.isoformat(),
                "decided_at": m.decided_at.isoformat() if m.decided_at else None,
                "ended_at": m.ended_at.isoformat() if m.ended_at else None,
            }
            for m in Membership.objects.filter(user=user)
            .select_related("municipality")
            .order_by("requested_at", "pk")
        ],
        "invitations_sent": [
            {
                "email": i.email,
                "municipality": i.municipality.name,
                "role": i.role,
                "created_at": i.created_at.isoformat(),
                "accepted": i.accepted_at is not None,
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("municipality")
        ],
        "invitations_received": [
            {
                "municipality": i.municipality.name,
                "role": i.role,
                "created_at": i.created_at.isoformat(),
                "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related(
                "municipality"
            )
        ],
    }


def erase(user) -> None:
    """Invitations to the person's address go; invitations they sent stay for the municipality
    without their name; memberships end and lose the free-text message, but the rows stay (who
    belonged where and when is needed for certificates and the programme's records)."""
    Invitation.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(accepted_by=user).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Membership.objects.filter(user=user).update(message="")
    Membership.objects.filter(
        user=user, status__in=[MembershipStatus.PENDING, MembershipStatus.APPROVED]
    ).update(status=MembershipStatus.ENDED)


def forget(*, words) -> None:
    """A colleague's message to the coordination may name the person."""
    forget_words(words=words, model=Membership, fields=["message"])
