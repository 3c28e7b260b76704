"""Personal data held by network: memberships and invitations."""

from django.utils.translation import gettext_lazy as _

from network.models import Invitation, Membership

RETENTION = [
    (
        _("Membership in a municipality (role, status, dates)"),
        _("As long as the account exists."),
    ),
    (
        _("Invitations you sent or received"),
        _("Until accepted, at most 30 days after they expire."),
    ),
]


def export(user) -> dict:
    return {
        "memberships": [
            {
                "municipality": m.municipality.name,
                "role": m.role,
                "status": m.status,
                "requested_at": m.requested_at.isoformat(),
                "decided_at": m.decided_at.isoformat() if m.decided_at else None,
                "message": m.message,
            }
            for m in Membership.objects.filter(user=user).select_related("municipality")
        ],
        "invitations_sent": [
            {
                "email": i.email,
                "municipality": i.municipality.name,
                "created_at": i.created_at.isoformat(),
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("municipality")
        ],
    }


def erase(user) -> None:
    Invitation.objects.filter(email__iexact=user.email).delete()
    Invitation.objects.filter(invited_by=user).update(invited_by=None)
    Membership.objects.filter(user=user).update(message="")
    Membership.objects.filter(user=user, status__in=["pending", "approved"]).update(status="ended")
