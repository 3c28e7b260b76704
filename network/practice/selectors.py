"""Who sees which practice example, and the filterable list."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.models import User
from core.selectors import user_has_staff_power
from network.models import MembershipRole, MembershipStatus, Municipality, Region
from network.practice.models import (
    BuildingBlock,
    ExampleAudience,
    ExampleStatus,
    LifePhase,
    PracticeAttachment,
    PracticeExample,
    PracticeExampleBlock,
    PracticeExamplePhase,
)
from network.selectors.memberships import user_is_coordinator_of, user_is_member, user_membership

EXAMPLES_PER_PAGE = 20


def user_may_write_examples(*, user: User) -> bool:
    """Every approved member of an active programme municipality (Fachkraft or coordinator)
    writes practice examples for it."""
    membership = user_membership(user=user)
    return membership is not None and membership.municipality.active


def _is_own_municipality_author(*, user: User, example: PracticeExample) -> bool:
    """The author, while still a member of the example's municipality."""
    membership = user_membership(user=user)
    return (
        example.author_id == user.pk
        and membership is not None
        and membership.municipality_id == example.municipality_id
    )


def user_may_edit_example(*, user: User, example: PracticeExample) -> bool:
    """The author and the municipality's coordinators edit a draft or a returned example;
    staff always."""
    if user_has_staff_power(user=user):
        return True
    if example.status not in (ExampleStatus.DRAFT, ExampleStatus.RETURNED):
        return False
    return _is_own_municipality_author(user=user, example=example) or user_is_coordinator_of(
        user=user, municipality=example.municipality
    )


def user_may_confirm_example(*, user: User, example: PracticeExample) -> bool:
    """A coordinator confirms (or sends back) what a member of their own municipality
    submitted, never another municipality's."""
    return example.status == ExampleStatus.AWAITING_CONFIRMATION and user_is_coordinator_of(
        user=user, municipality=example.municipality
    )


def user_may_view_example(*, user: User, example: PracticeExample) -> bool:
    """Published for the public: everyone. Published for members: members. Not yet published:
    its author, the municipality's coordinators and Landesjugendamt staff."""
    if example.status == ExampleStatus.PUBLISHED:
        if example.audience == ExampleAudience.PUBLIC:
            return True
        return user_is_member(user=user)
    if user.is_authenticated and example.author_id == user.pk:
        return True
    return user_has_staff_power(user=user) or user_is_coordinator_of(
        user=user, municipality=example.municipality
    )


def user_may_review_examples(*, user: User) -> bool:
    return user_has_staff_power(user=user)


def published_audience(*, user: User) -> str:
    """Which published examples `user` reads: every one (MEMBERS, as a member) or those
    published for the public. The list's cached copies are kept apart by it."""
    return ExampleAudience.MEMBERS if user_is_member(user=user) else ExampleAudience.PUBLIC


def _visible_published(*, user: User) -> QuerySet[PracticeExample]:
    qs = PracticeExample.objects.filter(status=ExampleStatus.PUBLISHED)
    if published_audience(user=user) == ExampleAudience.PUBLIC:
        qs = qs.filter(audience=ExampleAudience.PUBLIC)
    return qs


def practice_examples_list(
    *,
    user: User,
    block: str = "",
    phase: str = "",
    region: str = "",
    municipality: str = "",
    query: str = "",
) -> QuerySet[PracticeExample]:
    """Published examples the user may see, filtered; unknown filter values are ignored."""
    qs = _visible_published(user=user)
    if block in BuildingBlock.values:
        qs = qs.filter(
            Exists(PracticeExampleBlock.objects.filter(example=OuterRef("pk"), block=block))
        )
    if phase in LifePhase.values:
        qs = qs.filter(
            Exists(PracticeExamplePhase.objects.filter(example=OuterRef("pk"), phase=phase))
        )
    if region in Region.values:
        qs = qs.filter(municipality__region=region)
    if municipality:
        qs = qs.filter(municipality__slug=municipality[:120])
    query = (query or "").strip()[:200]
    if query:
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(summary__icontains=query)
            | Q(what_was_done__icontains=query)
            | Q(target_groups__icontains=query)
        )
    return (
        qs.select_related("municipality")
        .prefetch_related("blocks", "phases")
        .order_by("-published_at", "-pk")
    )


def practice_examples_search(*, query: str, user: User, limit: int = 20) -> list[PracticeExample]:
    """For the site search: published examples the user may see that match `query`."""
    query = (query or "").strip()
    if not query:
        return []
    return list(practice_examples_list(user=user, query=query)[:limit])


def practice_municipalities(*, user: User) -> QuerySet[Municipality]:
    """The municipalities offered in the list's filter: those with a visible example."""
    return (
        Municipality.objects.filter(
            Exists(_visible_published(user=user).filter(municipality=OuterRef("pk")))
        )
        .only("name", "slug")
        .order_by("name")
    )


def example_by_id(*, example_id: int) -> PracticeExample | None:
    return (
        PracticeExample.objects.select_related("municipality", "author", "discussion", "contact")
        .prefetch_related("blocks", "phases", "attachments")
        .filter(pk=example_id)
        .first()
    )


def examples_of_user_municipality(*, user: User) -> QuerySet[PracticeExample]:
    """Drafts, submitted and returned examples of the user's municipality (for coordinators)."""
    membership = user_membership(user=user)
    if membership is None or membership.role != MembershipRole.COORDINATOR:
        return PracticeExample.objects.none()
    return (
        PracticeExample.objects.filter(municipality=membership.municipality)
        .exclude(status=ExampleStatus.PUBLISHED)
        .select_related("author")
        .order_by("-updated_at", "-pk")
    )


def examples_of_author(*, user: User) -> QuerySet[PracticeExample]:
    """Everything the user wrote, in every state, newest change first."""
    if not user.is_authenticated:
        return PracticeExample.objects.none()
    return (
        PracticeExample.objects.filter(author=user)
        .select_related("municipality")
        .order_by("-updated_at", "-pk")
    )


def examples_to_confirm(*, user: User) -> QuerySet[PracticeExample]:
    """What members of the coordinator's municipality submitted and waits for the coordinator
    ("Zu bestätigen"), oldest first; nothing for anyone else."""
    membership = user_membership(user=user)
    if membership is None or membership.role != MembershipRole.COORDINATOR:
        return PracticeExample.objects.none()
    return (
        PracticeExample.objects.filter(
            municipality=membership.municipality, status=ExampleStatus.AWAITING_CONFIRMATION
        )
        .select_related("author")
        .order_by("submitted_at", "pk")
    )


def contact_candidates(*, municipality: Municipality) -> QuerySet[User]:
    """Who may be named as an example's contact person: active approved members of its
    municipality (they are asked and consent themselves)."""
    return User.objects.filter(
        is_active=True,
        memberships__municipality=municipality,
        memberships__status=MembershipStatus.APPROVED,
    ).order_by("name", "pk")


def contact_requests_of(*, user: User) -> QuerySet[PracticeExample]:
    """The examples naming the user as contact person: those still waiting for their answer
    and those they agreed to (so they can withdraw)."""
    if not user.is_authenticated:
        return PracticeExample.objects.none()
    return (
        PracticeExample.objects.filter(contact=user, contact_asked_at__isnull=False)
        .select_related("municipality", "author")
        .order_by("-contact_asked_at", "-pk")
    )


def contact_request_by_id(*, user: User, example_id: int) -> PracticeExample | None:
    """An example that names the user as contact person, by id; someone else's is None."""
    return contact_requests_of(user=user).filter(pk=example_id).first()


def examples_for_review() -> QuerySet[PracticeExample]:
    return (
        PracticeExample.objects.filter(status=ExampleStatus.SUBMITTED)
        .select_related("municipality", "author")
        .order_by("submitted_at", "pk")
    )


def practice_attachment_by_id(*, attachment_id: int) -> PracticeAttachment | None:
    return (
        PracticeAttachment.objects.select_related("example", "example__municipality")
        .filter(pk=attachment_id)
        .first()
    )


def published_blocks_by_municipality(*, municipality_ids) -> dict[int, list[str]]:
    """For the network directory: the building blocks (labels, in their order) each
    municipality has published practice examples on; one query."""
    rows = (
        PracticeExampleBlock.objects.filter(
            example__status=ExampleStatus.PUBLISHED,
            example__municipality_id__in=list(municipality_ids),
        )
        .values_list("example__municipality_id", "block")
        .distinct()
    )
    found: dict[int, set[str]] = {}
    for municipality_id, block in rows:
        found.setdefault(municipality_id, set()).add(block)
    labels = dict(BuildingBlock.choices)
    return {
        pk: [labels[b] for b in BuildingBlock.values if b in blocks] for pk, blocks in found.items()
    }
