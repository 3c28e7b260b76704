"""Landesjugendamt staff manage forum categories and moderators in the Wagtail admin (German
menu, list, search, edit); coordinators and other members cannot reach it. Who may not is also
in the authorisation table (tests/forums/authz_cases.py)."""

import pytest

from core.models import User
from network.forums.models import CategoryVisibility, ForumCategory, ForumModerator
from network.forums.selectors.permissions import user_is_forum_moderator, user_may_read_category
from tests.factories import ForumCategoryFactory, StaffFactory, coordinator, member

pytestmark = pytest.mark.django_db

LIST = "/admin/forum_categories/"


@pytest.fixture
def staff_client(client):
    """Landesjugendamt staff with a second factor (the admin asks for it), logged in."""
    staff = StaffFactory()
    client.force_login(staff)
    return client


@pytest.fixture
def categories():
    return [
        ForumCategoryFactory(name="Frühe Hilfen", slug="fruehe-hilfen", position=1),
        ForumCategoryFactory(
            name="Koordination unter sich",
            slug="koordination",
            position=2,
            visibility=CategoryVisibility.COORDINATORS,
            description="Austausch der Koordinierenden",
        ),
    ]


def test_staff_find_the_german_menu_item_and_list(staff_client, categories):
    home = staff_client.get("/admin/").content.decode()
    assert "Foren" in home and "Forenkategorien" in home and LIST in home
    html = staff_client.get(LIST).content.decode()
    assert "Frühe Hilfen" in html and "Koordination unter sich" in html
    assert "nur Koordinationen und Landesjugendämter" in html


def test_staff_search_the_list(staff_client, categories):
    response = staff_client.get(LIST, {"q": "Austausch"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Koordination unter sich" in html and "Frühe Hilfen" not in html


def test_staff_edit_a_category_and_it_applies_at_once(staff_client, categories):
    category = categories[0]
    fachkraft = member()
    assert user_may_read_category(user=fachkraft, category=category)
    url = f"/admin/forum_categories/edit/{category.pk}/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "name": "Frühe Hilfen und Lotsendienste",
            "slug": "fruehe-hilfen",
            "description": "Babylotsen, Willkommensbesuche",
            "visibility": CategoryVisibility.COORDINATORS,
            "position": "5",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    category.refresh_from_db()
    assert category.name == "Frühe Hilfen und Lotsendienste"
    assert category.description == "Babylotsen, Willkommensbesuche"
    assert category.position == 5 and category.hold_first_posts is False
    assert not user_may_read_category(user=fachkraft, category=category)


def test_staff_create_a_category_and_appoint_a_moderator(staff_client, categories):
    response = staff_client.post(
        "/admin/forum_categories/new/",
        {"name": "Kita", "slug": "kita", "visibility": "members", "position": "3"},
    )
    assert response.status_code == 302
    kita = ForumCategory.objects.get(slug="kita")
    person = coordinator()
    assert not user_is_forum_moderator(user=person, category=kita)
    assert staff_client.get("/admin/forum_moderators/new/").status_code == 200
    response = staff_client.post(
        "/admin/forum_moderators/new/", {"user": person.pk, "category": kita.pk}
    )
    assert response.status_code == 302
    assert ForumModerator.objects.filter(user=person, category=kita).exists()
    person = User.objects.get(pk=person.pk)  # the selector caches appointments on the object
    assert user_is_forum_moderator(user=person, category=kita)
    assert not user_is_forum_moderator(user=person, category=categories[0])
    assert person.display_name in staff_client.get("/admin/forum_moderators/").content.decode()


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_members_cannot_reach_the_forum_admin(client, categories, who):
    person = coordinator() if who == "coordinator" else member()
    client.force_login(person)
    category = categories[0]
    for url in (
        LIST,
        f"/admin/forum_categories/edit/{category.pk}/",
        "/admin/forum_moderators/",
        "/admin/forum_moderators/new/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert "/forum_" not in response["Location"].split("?")[0]
    response = client.post(
        f"/admin/forum_categories/edit/{category.pk}/",
        {"name": "Gekapert", "slug": category.slug, "visibility": "members", "position": "1"},
    )
    assert response.status_code in (302, 403)
    category.refresh_from_db()
    assert category.name == "Frühe Hilfen"
    assert not ForumModerator.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "slug": "leer", "visibility": "members", "position": "1"}, "name"),
        (
            {"name": "Frühe Hilfen", "slug": "doppelt", "visibility": "members", "position": "1"},
            "name",
        ),
        (
            {"name": "Neu", "slug": "fruehe-hilfen", "visibility": "members", "position": "1"},
            "slug",
        ),
        ({"name": "N" * 121, "slug": "zu-lang", "visibility": "members", "position": "1"}, "name"),
        ({"name": "Neu", "slug": "kein slug!", "visibility": "members", "position": "1"}, "slug"),
        ({"name": "Neu", "slug": "neu", "visibility": "alle", "position": "1"}, "visibility"),
        ({"name": "Neu", "slug": "neu", "visibility": "members", "position": "-1"}, "position"),
    ],
)
def test_a_category_with_bad_input_is_refused_in_german(staff_client, categories, data, field):
    response = staff_client.post("/admin/forum_categories/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert "nicht erstellt werden" in " ".join(str(m) for m in response.context["messages"])
    assert str(errors[field][0]) in response.content.decode().replace("&quot;", '"')
    assert ForumCategory.objects.count() == len(categories)


def test_a_category_name_with_a_script_tag_is_shown_as_text(staff_client, categories):
    staff_client.post(
        "/admin/forum_categories/new/",
        {
            "name": "<script>alert(1)</script>",
            "slug": "xss",
            "visibility": "members",
            "position": "9",
        },
    )
    html = staff_client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_moderator_is_appointed_once_and_only_with_an_account(staff_client, categories):
    person = coordinator()
    url = "/admin/forum_moderators/new/"
    assert (
        staff_client.post(url, {"user": person.pk, "category": categories[0].pk}).status_code == 302
    )
    again = staff_client.post(url, {"user": person.pk, "category": categories[0].pk})
    assert again.status_code == 200 and again.context["form"].errors
    gone = coordinator(is_active=False)
    refused = staff_client.post(url, {"user": gone.pk, "category": ""})
    assert "user" in refused.context["form"].errors
    assert staff_client.post(url, {"user": "", "category": ""}).context["form"].errors["user"]
    assert ForumModerator.objects.count() == 1
