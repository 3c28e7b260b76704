"""Who belongs where. Every permission decision about municipalities starts here."""

from django.conf import settings
from django.db.models import FilteredRelation, Q, QuerySet, Value
from django.utils import timezone

from core.models import User
from core.selectors import user_has_staff_power, user_is_landesjugendamt_staff
from network.models import Invitation, Membership, MembershipRole, MembershipStatus, Municipality

LIVE_STATUSES = (MembershipStatus.PENDING, MembershipStatus.APPROVED)


def user_membership(*, user: User) -> Membership | None:
    """The user's approved membership, or None. Cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_approved_membership") and getattr(
        user, "_approved_membership_joined", False
    ):
        # Loaded with the user (users_with_membership); the join leaves no attribute when empty.
        user._approved_membership = getattr(user, "_approved_membership_join", None)
        user._approved_membership_joined = False  # once forgotten, ask the database
    if not hasattr(user, "_approved_membership"):
        # At most one is approved (one_live_membership_per_user).
        user._approved_membership = (
            Membership.objects.filter(user=user, status=MembershipStatus.APPROVED)
            .select_related("municipality")
            .order_by()
            .first()
        )
    return user._approved_membership


def users_with_membership(queryset: QuerySet[User]) -> QuerySet[User]:
    """The users with their approved membership and its municipality, in the same query, for
    user_membership (core.auth_backends loads each request's user so:
    settings.REQUEST_USER_QUERYSET). A join, not a list: at most one membership is approved."""
    return queryset.annotate(
        _approved_membership_join=FilteredRelation(
            "memberships", condition=Q(memberships__status=MembershipStatus.APPROVED)
        ),
        _approved_membership_joined=Value(True),
    ).select_related("_approved_membership_join__municipality")


def user_live_membership(*, user: User) -> Membership | None:
    """The user's pending or approved membership (at most one exists), or None."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, status__in=LIVE_STATUSES)
        .select_related("municipality")
        .first()
    )


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


def user_may_manage_municipality(*, user: User, municipality: Municipality) -> bool:
    """Deciding requests, inviting and ending memberships of a municipality: its coordinators
    and Landesjugendamt staff, nobody else (a coordinator of Dortmund never for Köln)."""
    return user_has_staff_power(user=user) or user_is_coordinator_of(
        user=user, municipality=municipality
    )


def membership_for_reader(*, user: User, membership_id: int) -> Membership | None:
    """A membership by id, as far as the user may see it: their own, or one of a municipality
    they manage (its coordinators, Landesjugendamt staff). Anyone else's is None (a 404, which
    does not even tell that it exists)."""
    if not user.is_authenticated:
        return None
    membership = (
        Membership.objects.select_related("municipality", "user").filter(pk=membership_id).first()
    )
    if membership is None:
        return None
    if membership.user_id == user.pk or user_may_manage_municipality(
        user=user, municipality=membership.municipality
    ):
        return membership
    return None


def membership_is_last_coordinator(*, membership: Membership) -> bool:
    """Whether this approved coordinator is the only one of their municipality (who may then
    not end their own membership: membership_end refuses)."""
    return (
        membership.role == MembershipRole.COORDINATOR
        and membership.status == MembershipStatus.APPROVED
        and not Membership.objects.filter(
            municipality_id=membership.municipality_id,
            status=MembershipStatus.APPROVED,
            role=MembershipRole.COORDINATOR,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def municipality_members(*, municipality: Municipality) -> QuerySet[Membership]:
    return Membership.objects.filter(
        municipality=municipality, status=MembershipStatus.APPROVED
    ).select_related("user")


def municipality_coordinators(*, municipality: Municipality) -> QuerySet[User]:
    """The approved coordinators of a municipality (who hear about new requests)."""
    return User.objects.filter(
        is_active=True,
        memberships__municipality=municipality,
        memberships__status=MembershipStatus.APPROVED,
        memberships__role=MembershipRole.COORDINATOR,
    ).order_by("pk")


def municipality_pending_requests(*, municipality: Municipality) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(municipality=municipality, status=MembershipStatus.PENDING)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def municipality_open_invitations(*, municipality: Municipality) -> QuerySet[Invitation]:
    """Invitations not yet accepted and not expired."""
    return (
        Invitation.objects.filter(
            municipality=municipality, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at", "-pk")
    )


def pending_requests(*, region: str = "") -> QuerySet[Membership]:
    """Every pending request across municipalities (for Landesjugendamt staff), oldest first;
    limited to one Landesjugendamt region if given."""
    qs = Membership.objects.filter(status=MembershipStatus.PENDING)
    if region:
        qs = qs.filter(municipality__region=region)
    return qs.select_related("user", "municipality").order_by("requested_at", "pk")


def region_staff(*, region: str) -> QuerySet[User]:
    """Landesjugendamt staff of one region: they hear about requests nobody else can decide."""
    return User.objects.filter(
        is_active=True, groups__name=settings.STAFF_GROUP_NAME, landesjugendamt=region
    ).order_by("pk")


def municipalities_open_for_requests() -> QuerySet[Municipality]:
    """The municipalities a new user may ask to join: those active in the programme."""
    return Municipality.objects.filter(active=True).order_by("region", "name")


def invitation_by_token(*, token: str) -> Invitation | None:
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.filter(token=token).select_related("municipality", "invited_by").first()
    )


def invitation_is_for_user(*, invitation: Invitation, user: User) -> bool:
    """The invitation's address is the account's e-mail or one of its verified addresses."""
    from allauth.account.models import EmailAddress

    email = invitation.email.strip().lower()
    if user.email.lower() == email:
        return True
    return EmailAddress.objects.filter(Q(email__iexact=email), user=user, verified=True).exists()
