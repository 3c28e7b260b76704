"""The network directory's read side."""

from django.db.models import Prefetch

from network.models import Membership, MembershipRole, MembershipStatus, Municipality, Region


def directory_municipalities(*, region: str = "") -> list[Municipality]:
    """Programme municipalities (those with a cohort) with their coordinators (the e-mail only
    where they consented); a fixed number of queries. The practice examples add the building
    blocks each has shared (practice_tags.published_blocks in the template)."""
    qs = Municipality.objects.filter(cohort__isnull=False, active=True)
    if region in Region.values:
        qs = qs.filter(region=region)
    coordinators = Membership.objects.filter(
        status=MembershipStatus.APPROVED, role=MembershipRole.COORDINATOR, user__is_active=True
    ).select_related("user")
    return list(
        qs.prefetch_related(
            Prefetch("memberships", queryset=coordinators, to_attr="coordinators")
        ).order_by("region", "name")
    )
