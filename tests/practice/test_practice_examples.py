"""Practice examples: written by a coordinator, submitted, reviewed by staff, published for
members or the public, filterable, with a discussion topic; and the network directory."""

import pytest
from django.urls import reverse

from network.exceptions import NotAllowed
from network.forums.models import Notification
from network.practice import selectors as sel
from network.practice import services as svc
from network.practice.exceptions import ExampleIncomplete, ExampleWrongState
from network.practice.models import ExampleStatus
from network.practice.selectors import practice_examples_search
from tests.factories import (
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    member,
    practice_example,
)

pytestmark = pytest.mark.django_db


def test_members_write_and_outsiders_do_not():
    """Issue 12: a Fachkraft shares practice examples too, as the site's news says."""
    assert practice_example(member()).status == ExampleStatus.DRAFT
    with pytest.raises(NotAllowed):
        practice_example(UserFactory())
    with pytest.raises(NotAllowed):
        practice_example(StaffFactory())  # no municipality to write for
    example = practice_example(coordinator())
    assert example.status == ExampleStatus.DRAFT
    assert sorted(example.blocks.values_list("block", flat=True)) == [
        "fruehe-hilfen",
        "lotsendienst",
    ]


def test_the_contact_person_is_asked_and_nobody_consents_for_them():
    author = coordinator()
    town = author.memberships.get().municipality
    dana = member(town, name="Dana Demir", email="dana@dortmund.example")
    # A consent ticked by the author is no field any more: what the form sends is ignored.
    example = practice_example(author, contact=dana, contact_consent=True)
    assert example.contact == dana and example.contact_consent_at is None
    assert not example.contact_consented
    asked = Notification.objects.get(user=dana)
    assert asked.url == reverse("network:practice_contact_requests")
    # Naming yourself is your own consent.
    own = practice_example(author, contact=author)
    assert own.contact_consented


def test_markdown_fields_are_sanitised():
    example = practice_example(what_was_done="<script>alert(1)</script> **Netzwerk**")
    assert "<script" not in example.what_was_done_html
    assert "<strong>Netzwerk</strong>" in example.what_was_done_html


def test_workflow_submit_review_publish_with_discussion():
    author = coordinator()
    staff = StaffFactory()
    example = practice_example(author)
    with pytest.raises(NotAllowed):
        svc.practice_example_submit(example=example, by=coordinator())  # another municipality
    svc.practice_example_submit(example=example, by=author)
    with pytest.raises(NotAllowed):
        svc.practice_example_review(example=example, by=author, publish=True)
    with pytest.raises(ExampleIncomplete):
        svc.practice_example_review(example=example, by=staff, publish=False, note="")
    example = svc.practice_example_review(
        example=example, by=staff, publish=False, note="Bitte Zahlen ergänzen"
    )
    assert example.status == ExampleStatus.RETURNED
    svc.practice_example_submit(example=example, by=author)
    example = svc.practice_example_review(
        example=example, by=staff, publish=True, audience="public"
    )
    assert example.status == ExampleStatus.PUBLISHED and example.audience == "public"
    assert example.discussion is not None
    assert example.discussion.category.slug == "praxisbeispiele"
    assert example.discussion.posts.count() == 1
    with pytest.raises(ExampleWrongState):
        svc.practice_example_review(example=example, by=staff, publish=True)
    assert Notification.objects.filter(user=author, kind="practice").count() == 2


def test_incomplete_draft_cannot_be_submitted():
    example = practice_example(what_was_done="", blocks=[])
    with pytest.raises(ExampleIncomplete):
        svc.practice_example_submit(example=example, by=example.author)


def test_published_example_cannot_be_edited_by_the_coordinator():
    staff = StaffFactory()
    example = practice_example(publish_by=staff)
    with pytest.raises(NotAllowed):
        svc.practice_example_save(author=example.author, example=example, data={"title": "neu"})


def test_visibility():
    staff = StaffFactory()
    draft = practice_example()
    members_only = practice_example(publish_by=staff, audience="members")
    public = practice_example(publish_by=staff, audience="public")
    anonymous = UserFactory()  # logged in, but no member
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), anonymous):
        assert sel.user_may_view_example(user=user, example=public)
        assert not sel.user_may_view_example(user=user, example=members_only)
        assert not sel.user_may_view_example(user=user, example=draft)
    reader = member()
    assert sel.user_may_view_example(user=reader, example=members_only)
    assert not sel.user_may_view_example(user=reader, example=draft)
    assert sel.user_may_view_example(user=draft.author, example=draft)
    assert sel.user_may_view_example(user=staff, example=draft)
    assert list(sel.practice_examples_list(user=AnonymousUser())) == [public]


def test_filters():
    staff = StaffFactory()
    koeln = MunicipalityFactory(name="Köln", slug="koeln", region="LVR")
    a = practice_example(coordinator(koeln), publish_by=staff, blocks=["kita"], phases=["3-6"])
    b = practice_example(publish_by=staff, blocks=["familienbuero"], phases=["0-3"])
    reader = member()
    assert list(sel.practice_examples_list(user=reader, block="kita")) == [a]
    assert list(sel.practice_examples_list(user=reader, phase="0-3")) == [b]
    assert list(sel.practice_examples_list(user=reader, region="LVR")) == [a]
    assert list(sel.practice_examples_list(user=reader, municipality="koeln")) == [a]
    # Unknown values are ignored, not an error.
    assert set(sel.practice_examples_list(user=reader, block="<script>")) == {a, b}


def test_search_for_the_site_search():
    staff = StaffFactory()
    example = practice_example(publish_by=staff, title="Familienbüro im Rathaus")
    assert practice_examples_search(query="Rathaus", user=member()) == [example]
    assert practice_examples_search(query="Rathaus", user=UserFactory()) == []
    assert practice_examples_search(query="", user=member()) == []


def test_list_page_filters_by_get(client):
    staff = StaffFactory()
    practice_example(publish_by=staff, title="Kita-Sozialarbeit", blocks=["kita"])
    practice_example(publish_by=staff, title="Lotsendienst", blocks=["lotsendienst"])
    client.force_login(member())
    response = client.get(reverse("network:practice_list"), {"baustein": "kita"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Kita-Sozialarbeit" in content and "Lotsendienst</a>" not in content
    assert client.get(reverse("network:practice_list"), {"baustein": "x" * 500}).status_code == 200


def test_list_page_query_count_is_pinned(client, django_assert_max_num_queries):
    """The list's queries do not grow with its examples or their municipalities, and the filter
    fields show what was chosen."""
    staff = StaffFactory()
    client.force_login(member())

    def queries() -> int:
        with django_assert_max_num_queries(6) as captured:
            response = client.get(reverse("network:practice_list"), {"region": "LWL"})
        assert response.status_code == 200
        assert '<option value="LWL" selected>' in response.content.decode()
        return len(captured.captured_queries)

    practice_example(coordinator(MunicipalityFactory(region="LWL")), publish_by=staff)
    few = queries()
    for _ in range(4):
        practice_example(coordinator(MunicipalityFactory(region="LWL")), publish_by=staff)
    assert queries() == few


def test_create_page_for_coordinator_and_submit(client):
    author = coordinator()
    client.force_login(author)
    data = {
        "title": "Familiengrundschulzentrum Nordstadt",
        "summary": "Eine Grundschule als Familienzentrum.",
        "blocks": ["familiengrundschulzentrum"],
        "phases": ["6-10"],
        "target_groups": "Familien im Quartier",
        "what_was_done": "Elterncafé, Beratung.",
        "success_factors": "Schulleitung zieht mit.",
        "submit": "1",
    }
    response = client.post(reverse("network:practice_create"), data)
    assert response.status_code == 302
    from network.practice.models import PracticeExample

    example = PracticeExample.objects.get()
    assert example.status == ExampleStatus.SUBMITTED
    client.force_login(UserFactory())  # logged in, but in no municipality
    assert client.get(reverse("network:practice_create")).status_code == 403


def test_review_page_is_staff_only(client):
    example = practice_example()
    svc.practice_example_submit(example=example, by=example.author)
    client.force_login(example.author)
    assert client.get(reverse("network:practice_review", args=[example.pk])).status_code == 403


def test_directory_shows_blocks_and_consented_contacts_only(client, django_assert_max_num_queries):
    staff = StaffFactory()
    town = MunicipalityFactory(name="Gelsenkirchen", slug="gelsenkirchen")
    visible = coordinator(town, email="sichtbar@ge.example", show_email_to_members=True)
    coordinator(town, email="geheim@ge.example", show_email_to_members=False)
    practice_example(visible, publish_by=staff, blocks=["kita"])
    client.force_login(member())
    with django_assert_max_num_queries(4):
        response = client.get(reverse("network:directory"))
    content = response.content.decode()
    assert "Gelsenkirchen" in content
    assert "sichtbar@ge.example" in content
    assert "geheim@ge.example" not in content
    assert "Kita" in content
