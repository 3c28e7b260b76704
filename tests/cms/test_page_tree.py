"""Page-tree rules: an editor cannot put a page where it does not belong."""

import pytest
from wagtail.models import Page

from cms.models import (
    CurriculumIndexPage,
    EasyLanguagePage,
    HomePage,
    ModulePage,
    NewsIndexPage,
    NewsPage,
    SignLanguagePage,
    StandardPage,
)

ALLOWED = {
    HomePage: {
        CurriculumIndexPage,
        NewsIndexPage,
        StandardPage,
        EasyLanguagePage,
        SignLanguagePage,
    },
    CurriculumIndexPage: {ModulePage},
    ModulePage: set(),
    NewsIndexPage: {NewsPage},
    NewsPage: set(),
    StandardPage: {StandardPage},
    EasyLanguagePage: {EasyLanguagePage},
    SignLanguagePage: set(),
}


@pytest.mark.parametrize("parent", list(ALLOWED), ids=lambda m: m.__name__)
def test_allowed_subpage_types(parent):
    assert set(parent.allowed_subpage_models()) == ALLOWED[parent]


@pytest.mark.parametrize("child", list(ALLOWED), ids=lambda m: m.__name__)
def test_each_type_only_under_its_parents(child):
    parents = {parent for parent, children in ALLOWED.items() if child in children}
    if child is HomePage:
        parents = {Page}
    assert set(child.allowed_parent_page_models()) == parents


def test_singletons_cannot_be_created_twice(tree):
    home, curriculum, _news = tree
    assert not CurriculumIndexPage.can_create_at(home)
    assert not NewsIndexPage.can_create_at(home)
    assert not HomePage.can_create_at(Page.get_first_root_node())
    assert ModulePage.can_create_at(curriculum)
    assert not ModulePage.can_create_at(home)
    assert not NewsPage.can_create_at(curriculum)


def test_admin_refuses_a_module_outside_the_curriculum(client, tree, django_user_model):
    user = django_user_model.objects.create_superuser(email="admin@lvr.example", password="x")
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    home = tree[0]
    url = f"/admin/pages/add/cms/modulepage/{home.pk}/"
    response = client.get(url)
    # Wagtail answers "permission denied" by sending the user back to the dashboard.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    client.post(url, {"title": "Falsch", "slug": "falsch", "number": "1", "summary": "x"})
    assert not ModulePage.objects.filter(slug="falsch").exists()
