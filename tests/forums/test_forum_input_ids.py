"""Every id taken from input is resolved through the reader's visibility: a foreign id behaves
like no id at all and tells nothing about what it names."""

import pytest
from django.urls import reverse

from network.forums.models import ForumModerator, Topic
from tests.factories import ForumCategoryFactory, coordinator, forum_topic, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_post():
    """The first post of a topic in the coordinators' category, by a coordinator with a name
    nobody else should learn from a reply form."""
    closed = ForumCategoryFactory(name="Koordination intern", visibility="coordinators")
    author = coordinator(name="Xaver Verborgen")
    topic = forum_topic(closed, author, title="Nur für Koordinationen")
    return topic.posts.get()


def test_invalid_reply_with_a_foreign_reply_to_shows_nothing_of_it(client, secret_post):
    reader = member()
    topic = forum_topic(ForumCategoryFactory(), member())
    client.force_login(reader)
    response = client.post(
        reverse("network:topic_reply", args=[topic.pk]),
        {"body": "", "reply_to": str(secret_post.pk)},
    )
    assert response.status_code == 200  # the form again, with its error
    html = response.content.decode()
    assert "Xaver Verborgen" not in html
    assert f'name="reply_to" value="{secret_post.pk}"' not in html
    assert response.context["quoted"] is None
    assert topic.posts.count() == 1


def test_reply_to_a_post_of_another_readable_topic_is_dropped(client):
    reader = member()
    topic = forum_topic(ForumCategoryFactory(), member())
    other = forum_topic(ForumCategoryFactory(), member(name="Olga Anderswo")).posts.get()
    client.force_login(reader)
    response = client.post(
        reverse("network:topic_reply", args=[topic.pk]), {"body": "", "reply_to": str(other.pk)}
    )
    assert "Olga Anderswo" not in response.content.decode()
    assert response.context["quoted"] is None


@pytest.mark.parametrize("value", ["", "abc", "-1", "9" * 30, "0"])
def test_reply_to_garbage_is_ignored(client, value):
    reader = member()
    topic = forum_topic(ForumCategoryFactory(), member())
    client.force_login(reader)
    response = client.post(
        reverse("network:topic_reply", args=[topic.pk]), {"body": "Danke", "reply_to": value}
    )
    assert response.status_code == 302
    assert topic.posts.get(number=2).reply_to_id is None


def test_quote_of_a_foreign_post_starts_an_empty_reply(client, secret_post):
    reader = member()
    topic = forum_topic(ForumCategoryFactory(), member())
    client.force_login(reader)
    response = client.get(
        reverse("network:topic_reply", args=[topic.pk]) + f"?zitat={secret_post.pk}"
    )
    html = response.content.decode()
    assert "Xaver Verborgen" not in html and "Nur für Koordinationen" not in html


def test_a_moderator_moves_topics_only_between_categories_they_moderate(client):
    own = ForumCategoryFactory(name="Frühe Hilfen Forum")
    foreign = ForumCategoryFactory(name="Geheime Werkstatt")
    moderator = member()
    ForumModerator.objects.create(user=moderator, category=own)
    topic = forum_topic(own, member())
    client.force_login(moderator)
    url = reverse("network:topic_moderate", args=[topic.pk])
    assert "Geheime Werkstatt" not in client.get(url).content.decode()
    response = client.post(url, {"action": "move", "category": foreign.pk, "reason": "weg"})
    assert response.status_code == 200
    assert response.context["form"].errors["category"]
    assert Topic.objects.get(pk=topic.pk).category_id == own.pk
