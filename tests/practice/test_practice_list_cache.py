"""The list of practice examples is rendered once and kept in the cache (network.practice.cache):
every change shows at once, and what belongs to one reader never comes from another's copy.
Each test fails if the fragment's key missed the version it is about."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import RequestFactory
from django.urls import reverse

from network.models import Municipality
from network.practice import services as svc
from network.services.municipality_import import municipality_import_apply, municipality_import_read
from tests.factories import MunicipalityFactory, StaffFactory, coordinator, member, practice_example

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member_page_cache_off")]

URL = reverse("network:practice_list")


def _page(client, **query) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_kept_list_asks_the_database_nothing_but_the_user(client, django_assert_num_queries):
    practice_example(publish_by=StaffFactory(), title="Babylotsen")
    client.force_login(member())
    assert "Babylotsen" in _page(client)
    with django_assert_num_queries(1):  # the request's user (with membership and flags)
        assert "Babylotsen" in _page(client)


def test_a_new_published_example_shows_at_once(client):
    staff = StaffFactory()
    practice_example(publish_by=staff, title="Babylotsen")
    client.force_login(member())
    assert "Familienbüro am Markt" not in _page(client)
    draft = practice_example(title="Familienbüro am Markt")
    assert "Familienbüro am Markt" not in _page(client)  # a draft is not listed
    svc.practice_example_submit(example=draft, by=draft.author)
    svc.practice_example_review(example=draft, by=staff, publish=True)
    assert "Familienbüro am Markt" in _page(client)


def test_an_edit_of_a_published_example_shows_at_once(client):
    staff = StaffFactory()
    example = practice_example(publish_by=staff, title="Babylotsen", blocks=["kita"])
    client.force_login(member())
    assert "Babylotsen" in _page(client)
    data = {name: getattr(example, name) for name in svc.TEXT_FIELDS}
    svc.practice_example_save(
        author=staff,
        example=example,
        data={**data, "title": "Babylotsen im Klinikum Nord", "blocks": ["lotsendienst"]},
    )
    content = _page(client)
    assert "Babylotsen im Klinikum Nord" in content
    assert '<span class="tag">Lotsendienst Geburtsklinik/Kinderarztpraxis</span>' in content
    assert '<span class="tag">Kita</span>' not in content


def test_a_renamed_municipality_shows_at_once_through_admin_and_import(client):
    town = MunicipalityFactory(name="Hamm", slug="hamm", municipality_key="05915000")
    practice_example(coordinator(town), publish_by=StaffFactory())
    client.force_login(member())
    assert ">Hamm<" in _page(client) and "Hamm ·" in _page(client)

    town.name = "Hamm (Westf.)"
    request = RequestFactory().post("/admin/")
    admin_site._registry[Municipality].save_model(request, town, form=None, change=True)
    content = _page(client)
    assert "Hamm (Westf.) ·" in content and ">Hamm (Westf.)<" in content

    csv = (
        "schluessel;name;art;landesjugendamt;kohorte;seit;aktiv\n"
        "05915000;Stadt Hamm;kreisfreie Stadt;LWL;1;2020;ja\n"
    )
    municipality_import_apply(rows=municipality_import_read(name="l.csv", content=csv.encode()))
    content = _page(client)
    assert "Stadt Hamm · Westfalen-Lippe" in content and ">Stadt Hamm<" in content


def test_members_and_everyone_else_see_their_own_list(client):
    staff = StaffFactory()
    practice_example(publish_by=staff, title="Nur für Mitglieder", audience="members")
    practice_example(publish_by=staff, title="Für alle", audience="public")
    client.force_login(member())
    content = _page(client)
    assert "Nur für Mitglieder" in content and "Für alle" in content
    client.logout()
    content = _page(client)
    assert "Für alle" in content and "Nur für Mitglieder" not in content


def test_the_language_and_the_query_have_their_own_copy(client):
    practice_example(publish_by=StaffFactory(), title="Kita-Sozialarbeit", blocks=["kita"])
    client.force_login(member())
    assert "Reset filters" not in _page(client)
    client.cookies["django_language"] = "en"
    assert "Reset filters" in _page(client)
    del client.cookies["django_language"]
    assert "Kita-Sozialarbeit" not in _page(client, baustein="lotsendienst")
    assert '<option value="lotsendienst" selected>' in _page(client, baustein="lotsendienst")
    assert "Kita-Sozialarbeit" in _page(client, baustein="kita")


def test_the_reader_own_links_are_not_in_the_kept_copy(client):
    town = MunicipalityFactory()
    practice_example(coordinator(town), publish_by=StaffFactory())
    confirm = reverse("network:practice_confirm_queue")
    write = reverse("network:practice_create")
    review = reverse("network:practice_review_queue")
    client.force_login(coordinator(town))
    content = _page(client)
    assert confirm in content and write in content and review not in content
    client.force_login(member(town))
    content = _page(client)
    assert confirm not in content and write in content and review not in content
    client.force_login(StaffFactory())
    content = _page(client)
    assert review in content and write not in content
    client.logout()
    content = _page(client)
    assert review not in content and write not in content and confirm not in content
