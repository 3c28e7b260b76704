"""Issue 12, @mentions: handles show on posts and on a person's page, the composer suggests
people who may read the category, and a mention of a real reader renders as a link."""

import json

import pytest
from django.urls import reverse

from core.markdown import render_markdown
from network.forums.models import CategoryVisibility
from network.forums.selectors.mentions import MENTION_SUGGESTIONS
from network.forums.services.mentions import mention_handle_set
from network.forums.services.posts import post_edit
from network.models import MembershipStatus
from tests.factories import (
    ForumCategoryFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    forum_topic,
    member,
)

pytestmark = pytest.mark.django_db


def _with_handle(user, handle):
    mention_handle_set(user=user, handle=handle)
    return user


@pytest.fixture
def dortmund():
    return MunicipalityFactory(name="Dortmund", slug="dortmund")


def test_the_renderer_links_only_the_handles_it_is_given():
    html = render_markdown(
        "Hallo @Dana-Demir, @niemand, a@dana-demir.de, `@dana-demir`, [siehe @dana-demir](/x)",
        mentions={"dana-demir": "/netzwerk/mitglieder/dana-demir/"},
    )
    assert html.count('href="/netzwerk/mitglieder/dana-demir/"') == 1
    assert '<a href="/netzwerk/mitglieder/dana-demir/" rel="noopener noreferrer nofollow">'
    assert ">@Dana-Demir</a>" in html
    assert "@niemand" in html and "<code>@dana-demir</code>" in html
    assert "@dana-demir" in render_markdown("@dana-demir") and "<a" not in render_markdown(
        "@dana-demir"
    )


def test_a_mention_of_a_reader_is_a_link_and_others_stay_text(dortmund):
    dana = _with_handle(member(dortmund, name="Dana Demir"), "dana-demir")
    _with_handle(UserFactory(), "keinmitglied")  # a handle, but no member
    topic = forum_topic(body="Frage an @dana-demir und @keinmitglied und @gibtsnicht <script>x")
    html = topic.posts.get().body_html
    url = reverse("network:member", args=["dana-demir"])
    assert f'<a href="{url}" rel="noopener noreferrer nofollow">@dana-demir</a>' in html
    assert "@keinmitglied" in html and "keinmitglied/" not in html
    assert "@gibtsnicht" in html and "<script" not in html
    # Coordinators only: a Fachkraft may not read it, so her mention is no link there.
    closed = ForumCategoryFactory(visibility=CategoryVisibility.COORDINATORS)
    topic = forum_topic(closed, coordinator(dortmund), body="Hallo @dana-demir")
    assert "<a" not in topic.posts.get().body_html
    assert dana  # the Fachkraft exists; only the category keeps her out


def test_an_edit_links_mentions_too(dortmund):
    _with_handle(member(dortmund), "dana-demir")
    topic = forum_topic()
    post = topic.posts.get()
    post_edit(post=post, by=topic.author, body="Nachtrag für @dana-demir")
    assert reverse("network:member", args=["dana-demir"]) in post.body_html


def test_the_author_line_shows_the_handle(client, dortmund):
    author = _with_handle(member(dortmund, name="Dana Demir"), "dana-demir")
    topic = forum_topic(author=author)
    client.force_login(member())
    html = client.get(reverse("network:topic", args=[topic.pk])).content.decode()
    url = reverse("network:member", args=["dana-demir"])
    assert f'<a class="post__handle" href="{url}">@dana-demir</a>' in html


def test_the_persons_page_shows_what_they_chose_to_show(client, dortmund):
    dana = _with_handle(
        member(dortmund, name="Dana Demir", email="dana@dortmund.example"), "dana-demir"
    )
    url = reverse("network:member", args=["dana-demir"])
    client.force_login(member())
    html = client.get(url).content.decode()
    assert "Dana Demir" in html and "@dana-demir" in html and "Dortmund" in html
    assert "dana@dortmund.example" not in html
    dana.show_email_to_members = True
    dana.save(update_fields=["show_email_to_members"])
    assert "dana@dortmund.example" in client.get(url).content.decode()
    assert client.get(reverse("network:member", args=["niemand"])).status_code == 404
    # Someone who left the network has no page any more.
    dana.memberships.update(status=MembershipStatus.ENDED)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_suggestions_by_name_or_handle_only_readers_of_the_category(
    client, dortmund, django_assert_max_num_queries
):
    _with_handle(member(dortmund, name="Dana Demir"), "dana-demir")
    _with_handle(coordinator(dortmund, name="Daniel Koordination"), "daniel")
    _with_handle(StaffFactory(name="Dagmar Landesjugendamt"), "dagmar-lvr")
    _with_handle(UserFactory(name="Dado Ohnekommune"), "dado")
    asker = member(dortmund)
    open_category = ForumCategoryFactory(slug="offen")
    closed = ForumCategoryFactory(slug="koordination", visibility=CategoryVisibility.COORDINATORS)
    client.force_login(asker)

    def ask(category, q):
        response = client.get(
            reverse("network:mention_suggestions", args=[category.slug]), {"q": q}
        )
        return response

    found = json.loads(ask(open_category, "da").content)["results"]
    assert [r["handle"] for r in found] == ["dagmar-lvr", "dana-demir", "daniel"]
    assert found[1] == {"handle": "dana-demir", "name": "Dana Demir", "municipality": "Dortmund"}
    assert [r["handle"] for r in json.loads(ask(open_category, "@dani").content)["results"]] == [
        "daniel"
    ]
    assert json.loads(ask(open_category, "Demir").content)["results"][0]["handle"] == "dana-demir"
    assert json.loads(ask(open_category, "").content)["results"] == []
    # A Fachkraft may not read the coordinators' category: no suggestions from it for her.
    assert ask(closed, "da").status_code == 404
    client.force_login(coordinator(dortmund))
    found = json.loads(ask(closed, "da").content)["results"]
    assert [r["handle"] for r in found] == ["dagmar-lvr", "daniel"]
    # At most eight, in a pinned number of queries however many match.
    for n in range(12):
        _with_handle(member(dortmund, name=f"Dana {n}"), f"dana-{n:02d}")
    with django_assert_max_num_queries(3):
        response = ask(open_category, "dana")
    assert len(json.loads(response.content)["results"]) == MENTION_SUGGESTIONS == 8


def test_the_composer_offers_suggestions(client, dortmund):
    topic = forum_topic()
    client.force_login(member(dortmund))
    suggest = reverse("network:mention_suggestions", args=[topic.category.slug])
    for url in (
        reverse("network:topic", args=[topic.pk]),
        reverse("network:topic_reply", args=[topic.pk]),
        reverse("network:topic_create", args=[topic.category.slug]),
    ):
        html = client.get(url).content.decode()
        assert f'data-mention-url="{suggest}"' in html, url
        assert "forums/mention-suggest.js" in html, url


def test_erasing_someone_keeps_the_other_mentions_linked(dortmund):
    from core.services import account_delete

    _with_handle(member(dortmund), "dana-demir")
    leaving = _with_handle(member(dortmund, name="Zyprian Quast"), "zyprian")
    topic = forum_topic(body="@zyprian und @dana-demir, bitte übernehmt das.")
    account_delete(user=leaving)
    html = topic.posts.get().body_html
    assert "zyprian" not in html.lower()
    assert reverse("network:member", args=["dana-demir"]) in html
