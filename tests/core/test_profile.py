"""The profile page: name, function, what others may see, the municipality, account links."""

from pathlib import Path

import pytest

from network.models import MembershipRole
from tests.core.helpers import main_html, page_title
from tests.factories import MunicipalityFactory, UserFactory, member

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(__file__).parent / "templates"


@pytest.fixture
def dortmund_member():
    return member(
        MunicipalityFactory(name="Dortmund", slug="dortmund"),
        role=MembershipRole.COORDINATOR,
        name="Karla Kommune",
        email="karla@dortmund.example",
    )


def test_profile_shows_the_membership_and_every_account_link(client, dortmund_member):
    client.force_login(dortmund_member)
    response = client.get("/profil/")
    html = main_html(response)
    assert response.status_code == 200
    assert page_title(response) == "Mein Profil – kinderstark Lernnetzwerk"
    assert html.count("<h1") == 1
    assert "Dortmund" in html
    assert "karla@dortmund.example" in html
    for href in (
        "/konto/password/change/",
        "/konto/email/",
        "/konto/2fa/",
        "/profil/meine-daten/",
        "/profil/konto-loeschen/",
    ):
        assert f'href="{href}"' in html, href
    for field in ("name", "function", "show_function_to_members", "show_email_to_members"):
        assert f'for="id_{field}"' in html, field
    assert 'value="Karla Kommune"' in html


def test_profile_without_membership_offers_to_join(client):
    client.force_login(UserFactory())
    html = main_html(client.get("/profil/"))
    assert "Sie sind noch nicht Mitglied einer Programmkommune." in html


def test_profile_edit_is_saved(client, dortmund_member):
    client.force_login(dortmund_member)
    response = client.post(
        "/profil/",
        {
            "name": "  Karla   Kommune-Neu ",
            "function": "Koordination Präventionskette",
            "show_email_to_members": "on",
        },
    )
    assert response.status_code == 302
    dortmund_member.refresh_from_db()
    assert dortmund_member.name == "Karla Kommune-Neu"
    assert dortmund_member.function == "Koordination Präventionskette"
    assert dortmund_member.show_email_to_members is True
    assert dortmund_member.show_function_to_members is False
    assert "Ihr Profil wurde gespeichert." in main_html(client.get(response["Location"]))


def test_profile_ignores_fields_it_does_not_offer(client, dortmund_member):
    client.force_login(dortmund_member)
    client.post(
        "/profil/",
        {
            "name": "Karla",
            "email": "neu@boese.example",
            "is_staff": "on",
            "landesjugendamt": "LVR",
        },
    )
    dortmund_member.refresh_from_db()
    assert dortmund_member.email == "karla@dortmund.example"
    assert not dortmund_member.is_staff
    assert dortmund_member.landesjugendamt == ""


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Bitte geben Sie Ihren Namen ein."),
        ({"name": "   "}, "name", "Bitte geben Sie Ihren Namen ein."),
        ({"name": "N" * 151}, "name", "höchstens 150 Zeichen"),
        ({"name": "Karla", "function": "F" * 151}, "function", "höchstens 150 Zeichen"),
    ],
    ids=["empty", "blank", "name-151", "function-151"],
)
def test_bad_profile_input_is_refused_in_german(client, dortmund_member, data, field, message):
    client.force_login(dortmund_member)
    response = client.post("/profil/", data)
    assert response.status_code == 400
    html = main_html(response)
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )
    dortmund_member.refresh_from_db()
    assert dortmund_member.name == "Karla Kommune"


def test_script_tags_in_the_profile_are_just_text(client, dortmund_member):
    client.force_login(dortmund_member)
    client.post("/profil/", {"name": "<script>alert('x')</script>", "function": "<b>fett</b>"})
    dortmund_member.refresh_from_db()
    assert dortmund_member.name == "<script>alert('x')</script>"
    html = client.get("/profil/").content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;" in html
    assert "<b>fett</b>" not in html


def test_dashboard_links_the_profile_and_names_the_municipality(client, dortmund_member):
    client.force_login(dortmund_member)
    response = client.get("/mein-bereich/")
    html = main_html(response)
    assert page_title(response) == "Mein Bereich – kinderstark Lernnetzwerk"
    assert 'href="/profil/"' in html
    assert "Sie sind Mitglied von Dortmund" in html
    assert "Meine Fortbildungen" in html


def test_profile_and_dashboard_need_a_login(client):
    for url in ("/profil/", "/mein-bereich/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/?next=")


def test_profile_and_dashboard_query_counts_are_pinned(
    client, dortmund_member, django_assert_max_num_queries
):
    client.force_login(dortmund_member)
    # Other members and memberships do not make the pages slower.
    for _ in range(5):
        member(dortmund_member.memberships.first().municipality)
    for url in ("/profil/", "/mein-bereich/"):
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200


def test_apps_add_sections_to_my_area(client, dortmund_member, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES_DIR]}
    ]
    settings.DASHBOARD_PANELS = ["tests_core/panel.html"]
    client.force_login(dortmund_member)
    html = main_html(client.get("/mein-bereich/"))
    assert '<h2 id="panel-test">Testbereich</h2>' in html
    assert "<p>Karla Kommune</p>" in html
