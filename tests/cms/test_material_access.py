"""Course material: who may open which document, and who sees a link to it."""

import pytest
from wagtail.models import Collection

from cms.selectors import PROTECTED_COLLECTION_NAME
from network.models import MembershipStatus
from tests.factories import (
    CourseDateFactory,
    CourseFactory,
    MembershipFactory,
    StaffFactory,
    UserFactory,
    cms_document,
    member,
    module_page,
)
from training.models import Registration, RegistrationStatus


def _register(user, course_date, status):
    return Registration.objects.create(course_date=course_date, participant=user, status=status)


@pytest.fixture
def world(tree):
    _home, curriculum, _news = tree
    course = CourseFactory()
    course_date = CourseDateFactory(course=course)
    other_date = CourseDateFactory()  # another course
    docs = {
        "public": cms_document("Modulbeschreibung", filename="beschreibung.txt"),
        "members": cms_document("Arbeitshilfe Mitglieder", filename="arbeitshilfe.txt"),
        "participants": cms_document("Folien Teilnehmende", filename="folien.txt"),
    }
    page = module_page(
        curriculum,
        course=course,
        materials=[(docs["public"], "public"), (docs["members"], "members"),
                   (docs["participants"], "participants")],
    )  # fmt: skip
    people = {
        "member": member(),
        "confirmed": member(),
        "attended": member(),
        "waiting": member(),
        "cancelled": member(),
        "other_course": member(),
        "staff": StaffFactory(),
        "no_membership": UserFactory(),
    }
    pending = UserFactory()
    MembershipFactory(user=pending, status=MembershipStatus.PENDING)
    people["pending_member"] = pending
    _register(people["confirmed"], course_date, RegistrationStatus.CONFIRMED)
    _register(people["attended"], course_date, RegistrationStatus.ATTENDED)
    _register(people["waiting"], course_date, RegistrationStatus.WAITING)
    _register(people["cancelled"], course_date, RegistrationStatus.CANCELLED)
    _register(people["other_course"], other_date, RegistrationStatus.CONFIRMED)
    return {"page": page, "docs": docs, "people": people}


ALLOWED = {
    "public": {"anonymous", "member", "confirmed", "attended", "waiting", "cancelled",
               "other_course", "staff", "no_membership", "pending_member"},
    "members": {"member", "confirmed", "attended", "waiting", "cancelled", "other_course",
                "staff"},
    "participants": {"confirmed", "attended", "staff"},
}  # fmt: skip
WHO = ["anonymous", "member", "confirmed", "attended", "waiting", "cancelled", "other_course",
       "staff", "no_membership", "pending_member"]  # fmt: skip


@pytest.mark.parametrize("level", ["public", "members", "participants"])
@pytest.mark.parametrize("who", WHO)
def test_document_url_checks_access_every_time(client, world, level, who):
    document = world["docs"][level]
    if who != "anonymous":
        client.force_login(world["people"][who])
    response = client.get(document.url)
    if who in ALLOWED[level]:
        assert response.status_code == 200, (level, who)
        assert b"".join(response.streaming_content).startswith(b"Inhalt von")
    elif who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")
    else:
        assert response.status_code == 403, (level, who)


def test_access_is_checked_again_after_cancellation(client, world):
    """No remembered permission: cancelling the registration closes the material at once."""
    person = world["people"]["confirmed"]
    client.force_login(person)
    url = world["docs"]["participants"].url
    assert client.get(url).status_code == 200
    Registration.objects.filter(participant=person).update(status=RegistrationStatus.CANCELLED)
    assert client.get(url).status_code == 403


def test_material_url_is_the_serve_view_not_media(world):
    for document in world["docs"].values():
        assert document.url.startswith("/documents/")


@pytest.mark.parametrize("who", WHO)
def test_only_links_the_visitor_may_open_are_rendered(client, world, who):
    if who != "anonymous":
        client.force_login(world["people"][who])
    html = client.get(world["page"].url).content.decode()
    for level, document in world["docs"].items():
        if who in ALLOWED[level]:
            assert document.url in html, (level, who)
        else:
            assert document.url not in html, (level, who)
            assert document.title not in html, (level, who)


def test_protected_collection_is_closed_until_a_module_lists_it(client, world, tree):
    collection = Collection.objects.get(name=PROTECTED_COLLECTION_NAME)
    draft_material = cms_document("Entwurf", filename="entwurf.txt", collection=collection)
    assert client.get(draft_material.url).status_code == 302
    client.force_login(world["people"]["member"])
    assert client.get(draft_material.url).status_code == 403
    client.force_login(world["people"]["staff"])
    assert client.get(draft_material.url).status_code == 200
    # Listed as members' material on a published module: members may open it now.
    module_page(tree[1], materials=[(draft_material, "members")])
    client.force_login(world["people"]["member"])
    assert client.get(draft_material.url).status_code == 200


def test_content_blocks_link_only_public_documents(client, world, tree):
    restricted = world["docs"]["participants"]
    public = cms_document("Flyer", filename="flyer.txt")
    page = module_page(
        tree[1],
        body=[
            {
                "type": "document_list",
                "value": {"heading": "Downloads", "documents": [restricted.pk, public.pk]},
            }
        ],
    )
    html = client.get(page.url).content.decode()
    assert public.url in html
    assert restricted.url not in html


def test_a_document_outside_the_curriculum_follows_wagtails_rules(client, tree):
    document = cms_document("Pressemitteilung", filename="presse.txt")
    assert client.get(document.url).status_code == 200


def test_after_cancellation_the_link_goes_within_seconds_the_file_at_once(
    client, world, monkeypatch
):
    import time

    from cms import cache as page_cache

    person = world["people"]["confirmed"]
    document = world["docs"]["participants"]
    client.force_login(person)
    assert document.url in client.get(world["page"].url).content.decode()
    Registration.objects.filter(participant=person).update(status=RegistrationStatus.CANCELLED)
    assert client.get(document.url).status_code == 403
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + page_cache.SEATS_TTL + 0.5)
    assert document.url not in client.get(world["page"].url).content.decode()
