"""The world the authorisation table runs in, and the shape of one case."""

from collections.abc import Callable
from dataclasses import dataclass, field

from network.models import MembershipRole, MembershipStatus
from tests.factories import MembershipFactory, MunicipalityFactory, StaffFactory, member


@dataclass
class World:
    """Two municipalities with a coordinator and a staff member each, and one staff user.

    Apps that need more (a course date, a forum topic) add it lazily through `extra`, keyed by
    name, from their case's `url` callable.
    """

    dortmund: object
    koeln: object
    dortmund_coordinator: object
    dortmund_staff: object
    koeln_coordinator: object
    koeln_staff: object
    lja_staff: object
    # Landesjugendamt staff who have not set up their second factor: refused every staff power.
    lja_staff_without_second_factor: object
    extra: dict = field(default_factory=dict)
    # Staff of the other Landesjugendamt (LWL; lja_staff is LVR's): they administer only their
    # own provider's dates (training.selectors.user_administered_providers).
    lwl_staff: object = None
    # Logged in, with a membership request to Dortmund not yet approved: no member until then,
    # so refused everything members-only (network.decorators.member_required).
    pending_member: object = None

    @classmethod
    def build(cls) -> "World":
        dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund", region="LWL")
        koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
        return cls(
            dortmund=dortmund,
            koeln=koeln,
            dortmund_coordinator=member(dortmund, role=MembershipRole.COORDINATOR),
            dortmund_staff=member(dortmund),
            koeln_coordinator=member(koeln, role=MembershipRole.COORDINATOR),
            koeln_staff=member(koeln),
            lja_staff=StaffFactory(),
            lja_staff_without_second_factor=StaffFactory(second_factor=False),
            lwl_staff=StaffFactory(email="kurse@lwl.example", landesjugendamt="LWL"),
            pending_member=MembershipFactory(
                municipality=dortmund, status=MembershipStatus.PENDING
            ).user,
        )

    def get(self, key: str, make: Callable[["World"], object]):
        if key not in self.extra:
            self.extra[key] = make(self)
        return self.extra[key]


@dataclass
class AuthzCase:
    name: str
    url: Callable[[World], str]
    method: str = "get"
    # The POST data, or a callable building it from the world (to name one of its people).
    data: dict | Callable[[World], dict] = field(default_factory=dict)
    # Refused to a coordinator of Köln, since the URL belongs to Dortmund (or to members only
    # of something Köln is not part of).
    other_municipality: bool = False
    # The attribute of World naming someone who may see it (checked to get 200/302).
    allowed: str | None = None
    # Further people of World who must be refused (403/404, or sent to the login page as the
    # Wagtail admin does with a logged-in person who may not use it).
    refused_to: tuple[str, ...] = ()
    # For POST cases: a check that nothing changed.
    unchanged: Callable[[World], None] | None = None
    # A staff power (moderation, review, course administration, the admins, managing someone
    # else's things): also refused to staff without a second factor, who are sent to set one up
    # or refused outright (core.selectors.user_has_staff_power).
    staff_power: bool = False
    # Members only (the default: the table lists member-only URLs): also refused to a person whose
    # membership request is still pending. False for the pages of one's own account and of the
    # membership request itself, which any logged-in person uses; where such a case names someone
    # `allowed`, the pending member must get through too.
    members_only: bool = True

    def __post_init__(self):
        if self.staff_power and "lja_staff_without_second_factor" not in self.refused_to:
            self.refused_to = (*self.refused_to, "lja_staff_without_second_factor")
        if self.members_only and "pending_member" not in self.refused_to:
            self.refused_to = (*self.refused_to, "pending_member")

    def assert_unchanged(self, world: World) -> None:
        if self.unchanged:
            self.unchanged(world)
