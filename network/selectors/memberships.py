"""Who belongs where. Every permission decision about municipalities starts here."""

from django.db.models import QuerySet

from core.models import User
from core.selectors import user_is_landesjugendamt_staff
from network.models import Membership, MembershipRole, MembershipStatus, Municipality


def user_membership(*, user: User) -> Membership | None:
    """The user's approved membership, or None. Cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_approved_membership"):
        user._approved_membership = (
            Membership.objects.filter(user=user, status=MembershipStatus.APPROVED)
            .select_related("municipality")
            .first()
        )
    return user._approved_membership


def user_is_member(*, user: User) -> bool:
    """An approved member of an active programme municipality, or Landesjugendamt staff."""
    if user_is_landesjugendamt_staff(user=user):
        return True
    membership = user_membership(user=user)
    return membership is not None and membership.municipality.active


def user_is_coordinator_of(*, user: User, municipality: Municipality) -> bool:
    membership = user_membership(user=user)
    return (
        membership is not None
        and membership.municipality_id == municipality.pk
        and membership.role == MembershipRole.COORDINATOR
    )


def user_is_coordinator(*, user: User) -> bool:
    membership = user_membership(user=user)
    return membership is not None and membership.role == MembershipRole.COORDINATOR


def municipality_members(*, municipality: Municipality) -> QuerySet[Membership]:
    return Membership.objects.filter(
        municipality=municipality, status=MembershipStatus.APPROVED
    ).select_related("user")
