"""Reads of the curriculum: who may open which course material, what the pages list.

The page types (cms.models) call these from their get_context, so this module reads cms's own
models only through the objects it is given and their relations, never by importing them.

Who counts as a member and who as a participant is decided by one selector each, in network and
training; this module only combines them with a document's access level.
"""

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.search.query import And, Or, PlainText, SearchQuery

from cms import cache as page_cache
from core.models import User
from core.selectors import user_has_staff_power
from network.forums.selectors.topics import forum_topics_search
from network.practice.selectors import practice_examples_list, practice_examples_search
from network.selectors.memberships import user_is_member
from training.models import Course, CourseDateStatus
from training.selectors import course_dates_upcoming, user_is_course_participant

# Documents in this collection stay closed to everyone but staff until a published module lists
# them with an access level (so a draft's material is not public meanwhile).
PROTECTED_COLLECTION_NAME = "Kursmaterial (geschützt)"

PUBLIC = "public"
MEMBERS = "members"
PARTICIPANTS = "participants"


@dataclass(frozen=True)
class Audience:
    """What one visitor is, as far as the material of one module is concerned."""

    staff: bool = False
    member: bool = False
    participant: bool = False

    @property
    def key(self) -> str:
        return f"{int(self.staff)}{int(self.member)}{int(self.participant)}"


ANONYMOUS = Audience()


def material_audience(*, user: User, course_id: int | None, fresh: bool = True) -> Audience:
    """Staff, member (network's rule) and participant of the course (training's rule).

    fresh=False (for the list of links on the module page) may reuse an answer up to SEATS_TTL
    seconds old; the download itself always asks afresh."""
    if not user.is_authenticated:
        return ANONYMOUS
    if user_has_staff_power(user=user):
        return Audience(staff=True, member=True, participant=True)
    participant = course_id is not None and _participant(
        user=user, course_id=course_id, fresh=fresh
    )
    return Audience(member=user_is_member(user=user), participant=participant)


def _participant(*, user: User, course_id: int, fresh: bool) -> bool:
    if fresh:
        return user_is_course_participant(user=user, course=Course(pk=course_id))
    key = f"cms:participant:{user.pk}:{course_id}"
    known = cache.get(key)
    if known is None:
        known = user_is_course_participant(user=user, course=Course(pk=course_id))
        cache.set(key, known, timeout=page_cache.SEATS_TTL)
    return known


def access_allows(*, access: str, audience: Audience, page_live: bool = True) -> bool:
    """Public material is for everyone (once its module is published), members' material for
    members of programme municipalities, participants' material for the confirmed or attended
    participants of the module's course; staff may open everything."""
    if audience.staff:
        return True
    if access == PUBLIC:
        return page_live
    if access == MEMBERS:
        return audience.member
    if access == PARTICIPANTS:
        return audience.participant
    return False


def module_materials_for(*, page, audience: Audience) -> list:
    """The module's material this audience may open, in the editor's order.

    The list of a published page is the same for everyone until the next publish (or document
    change), so it is kept in the cache under the content version; a preview reads its own."""
    materials = page.materials.all()
    if isinstance(materials, QuerySet):
        key = f"cms:materials:{page_cache.content_version()}:{page.pk}"
        cached = cache.get(key)
        if cached is None:
            cached = list(materials.select_related("document"))
            cache.set(key, cached, timeout=page_cache.PAGE_TTL)
        materials = cached
    return [
        material
        for material in materials
        if access_allows(access=material.access, audience=audience, page_live=True)
    ]


def _in_protected_collection(document) -> bool:
    return document.collection.name == PROTECTED_COLLECTION_NAME


def document_user_may_open(*, user: User, document) -> bool | None:
    """The rule of the document serve view, asked on every download.

    None: the document is not course material (no module lists it, not in the protected
    collection); Wagtail's own rules apply. Otherwise True when any module that lists it grants
    this user access, False when none does.
    """
    rows = list(document.module_materials.select_related("page"))
    if not rows:
        if _in_protected_collection(document):
            return user_has_staff_power(user=user)
        return None
    audiences: dict[int | None, Audience] = {}
    for row in rows:
        course_id = row.page.course_id
        if course_id not in audiences:
            audiences[course_id] = material_audience(user=user, course_id=course_id)
        if access_allows(access=row.access, audience=audiences[course_id], page_live=row.page.live):
            return True
    return False


def documents_public_ids(*, document_ids: list[int]) -> set[int]:
    """Of these documents, those everyone may open: the only ones content blocks link to.

    A document that modules list is public when one of them lists it as public and is live; one
    that no module lists, unless it lies in the protected collection."""
    if not document_ids:
        return set()
    # One row per (document, module listing it), or one with access None where none lists it.
    rows = (
        get_document_model()
        .objects.filter(pk__in=document_ids)
        .values_list(
            "pk", "collection__name", "module_materials__access", "module_materials__page__live"
        )
    )
    public: dict[int, bool] = {}
    for pk, collection, access, live in rows:
        if access is None:
            public[pk] = collection != PROTECTED_COLLECTION_NAME
        else:
            public[pk] = public.get(pk, False) or (access == PUBLIC and live)
    return {pk for pk in document_ids if public.get(pk, True)}


def module_upcoming_dates(*, page) -> QuerySet | list:
    """The module's course dates that have not ended, with seats left (training's numbers).

    Lazy: a template that finds the list in its (seconds-long) fragment cache runs no query."""
    if not page.course_id:
        return []
    return course_dates_upcoming(course=Course(pk=page.course_id))


def home_next_course_dates(*, limit: int = 5) -> QuerySet:
    return course_dates_upcoming().filter(status=CourseDateStatus.PLANNED)[:limit]


def practice_examples_newest(*, user: User, limit: int = 3) -> list:
    """The newest published practice examples this visitor may read (network decides who)."""
    return list(practice_examples_list(user=user)[:limit])


# People type German words on keyboards without umlauts: „fruehe“ for „frühe“, „Strasse“ for
# „Straße“. Each word is searched as typed and in its umlaut spelling.
_UMLAUT_SPELLINGS = [
    (re.compile("ae"), "ä"), (re.compile("oe"), "ö"), (re.compile("ue"), "ü"),
    (re.compile("Ae|AE"), "Ä"), (re.compile("Oe|OE"), "Ö"), (re.compile("Ue|UE"), "Ü"),
]  # fmt: skip
_SHARP_S = re.compile("ss")
MAX_SEARCH_WORDS = 10
MAX_PAGE_RESULTS = 30


def _spellings(word: str) -> list[str]:
    """The word as typed, with ae/oe/ue written as umlauts, and with ss written as ß."""
    umlauts = word
    for pattern, umlaut in _UMLAUT_SPELLINGS:
        umlauts = pattern.sub(umlaut, umlauts)
    spellings = [word]
    for spelling in (umlauts, _SHARP_S.sub("ß", umlauts)):
        if spelling not in spellings:
            spellings.append(spelling)
    return spellings


def search_expression(*, query: str) -> SearchQuery | None:
    """Every word of `query` must match, each in any of its spellings (see _spellings)."""
    words = [word for word in re.split(r"[\s\-]+", query) if word][:MAX_SEARCH_WORDS]
    if not words:
        return None
    parts = []
    for word in words:
        spellings = [PlainText(spelling) for spelling in _spellings(word)]
        parts.append(spellings[0] if len(spellings) == 1 else Or(spellings))
    return parts[0] if len(parts) == 1 else And(parts)


def site_search(*, query: str, user: User) -> dict:
    """Pages, published practice examples and (for members) forum topics matching `query`.

    Pages through Wagtail's search backend: whole words first (PostgreSQL: German stemming), then
    words that begin with what was typed (autocomplete: „Lotsen“ finds „Lotsendienste“), each word
    also in its umlaut spelling („fruehe“ finds „Frühe“). The other two kinds through network's
    own search selectors, which know who may read what.
    """
    query = (query or "").strip()[:200]
    expression = search_expression(query=query)
    if expression is None:
        return {"pages": [], "practice_examples": [], "forum_topics": []}
    live = Page.objects.live().public().exclude(depth=1).specific()
    pages = list(live.search(expression)[:MAX_PAGE_RESULTS])
    if len(pages) < MAX_PAGE_RESULTS:
        found = {page.pk for page in pages}
        for page in live.autocomplete(expression)[:MAX_PAGE_RESULTS]:
            if page.pk not in found and len(pages) < MAX_PAGE_RESULTS:
                pages.append(page)
                found.add(page.pk)
    return {
        "pages": pages,
        "practice_examples": list(practice_examples_search(query=query, user=user)),
        "forum_topics": list(forum_topics_search(query=query, user=user)),
    }


@dataclass(frozen=True)
class MenuLink:
    title: str
    url: str
    current: bool = False


# The page types of the offers in Leichter Sprache and Deutscher Gebärdensprache that the header
# of every page links to (BITV NRW § 4): (app label, model name), as this module does not import
# cms.models.
OFFER_PAGE_TYPES = {
    "easy_language": ("cms", "easylanguagepage"),
    "sign_language": ("cms", "signlanguagepage"),
}


@dataclass(frozen=True)
class OfferLinks:
    """The URLs of the site's top page in Leichter Sprache and its page in Deutscher
    Gebärdensprache ("" when there is none), and whether the request is in one of them."""

    easy_language: str = ""
    sign_language: str = ""
    in_easy_language: bool = False
    in_sign_language: bool = False

    def __bool__(self) -> bool:
        return bool(self.easy_language or self.sign_language)


def _site_links(*, request) -> dict:
    """The home page's live children that are in the menu or are one of the offers, in the
    tree's order, in one query; cached per content version and host (see menu_links), and read
    once per request (the menu and the offer links both ask)."""
    if hasattr(request, "cms_site_links"):
        return request.cms_site_links
    key = f"cms:site-links:{page_cache.content_version(request=request)}:{request.get_host()}"
    links = cache.get(key)
    if links is None:
        site = Site.find_for_request(request)
        links = {"menu": [], "offers": {}}
        if site is not None:
            offer_filter = Q()
            for app_label, model in OFFER_PAGE_TYPES.values():
                offer_filter |= Q(content_type__app_label=app_label, content_type__model=model)
            pages = (
                site.root_page.get_children()
                .live()
                .filter(Q(show_in_menus=True) | offer_filter)
                .annotate(
                    type_app=F("content_type__app_label"), type_model=F("content_type__model")
                )
                .order_by("path")
            )
            for page in pages:
                url = page.get_url(request=request)
                if page.show_in_menus:
                    links["menu"].append((page.title, url))
                for name, page_type in OFFER_PAGE_TYPES.items():
                    if (page.type_app, page.type_model) == page_type:
                        links["offers"].setdefault(name, url)
        cache.set(key, links, timeout=page_cache.PAGE_TTL)
    request.cms_site_links = links
    return links


def menu_links(*, request) -> list[MenuLink]:
    """The links of the header's and footer's navigation: the live children of the site's home
    page that editors marked "show in menus", in the tree's order; `current` for the one the
    request is in.

    The same for every visitor of a site until the next publish, unpublish or move (which bump the
    content version), so they come from the cache: no query on most requests."""
    return [
        MenuLink(title=title, url=url, current=request.path.startswith(url))
        for title, url in _site_links(request=request)["menu"]
        if url
    ]


def offer_links(*, request) -> OfferLinks:
    """Where the header's links „Leichte Sprache“ and „Gebärdensprache“ lead: the first live page
    of each kind directly below the site's home page. From the same cached entry as menu_links."""
    offers = _site_links(request=request)["offers"]
    easy = offers.get("easy_language") or ""
    sign = offers.get("sign_language") or ""
    return OfferLinks(
        easy_language=easy,
        sign_language=sign,
        in_easy_language=bool(easy) and request.path.startswith(easy),
        in_sign_language=bool(sign) and request.path.startswith(sign),
    )
