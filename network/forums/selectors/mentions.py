"""@handles: the person behind a handle, the links a post's mentions get, and the suggestions
while typing."""

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from core.markdown import MENTION_RE
from core.models import User
from core.selectors import user_is_landesjugendamt_staff
from network.forums.models import ForumCategory, MentionHandle
from network.forums.selectors.permissions import readers_q
from network.models import Membership, MembershipStatus

MENTION_SUGGESTIONS = 8


def member_url(*, handle: str) -> str:
    return reverse("network:member", args=[handle])


def mention_urls(*, body: str, category: ForumCategory) -> dict[str, str]:
    """The @handles in `body` that belong to people who may read `category`, each with the
    address of the person's page: render_markdown links these and no other @word (one query,
    none without an @)."""
    handles = {m.lower() for m in MENTION_RE.findall(body or "")}
    if not handles:
        return {}
    found = (
        User.objects.filter(readers_q(category=category), mention_handle__handle__in=handles)
        .values_list("mention_handle__handle", flat=True)
        .distinct()
    )
    return {handle: member_url(handle=handle) for handle in found}


def mention_suggestions(*, category: ForumCategory, query: str, user: User) -> list[dict]:
    """At most eight people with a handle who may read `category`, whose name contains or whose
    handle starts with `query` (not the asking user): the composer's @ suggestions. One
    query."""
    query = (query or "").strip().lstrip("@")[:40]
    if not query:
        return []
    municipality = Membership.objects.filter(
        user=OuterRef("pk"), status=MembershipStatus.APPROVED
    ).values("municipality__name")[:1]
    rows = (
        User.objects.filter(readers_q(category=category), mention_handle__isnull=False)
        .filter(Q(name__icontains=query) | Q(mention_handle__handle__istartswith=query.lower()))
        .exclude(pk=user.pk)
        .annotate(municipality_name=Subquery(municipality))
        .order_by("mention_handle__handle")
        .values_list("mention_handle__handle", "name", "email", "erased_at", "municipality_name")
        .distinct()[:MENTION_SUGGESTIONS]
    )
    return [
        {
            "handle": handle,
            "name": User(name=name, email=email, erased_at=erased_at).display_name,
            "municipality": town or "",
        }
        for handle, name, email, erased_at, town in rows
    ]


def member_by_handle(*, handle: str) -> tuple[User, Membership | None] | None:
    """The person behind an @handle, while they take part in the network (an approved member
    of an active municipality, or Landesjugendamt staff), with their membership; else None."""
    handle = (handle or "").lower()[:40]
    found = MentionHandle.objects.select_related("user").filter(handle=handle).first()
    if found is None or not found.user.is_active:
        return None
    person = found.user
    membership = (
        Membership.objects.select_related("municipality")
        .filter(user=person, status=MembershipStatus.APPROVED, municipality__active=True)
        .first()
    )
    if membership is None and not user_is_landesjugendamt_staff(user=person):
        return None
    return person, membership
