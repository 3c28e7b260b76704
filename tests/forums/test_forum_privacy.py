"""A deleted account in the forums: the discussion stays readable, the person's posts stay, but
the page and the database know them only as „ehemaliges Mitglied“: no name, no e-mail address,
no municipality, no @handle (also where others quoted or mentioned them). And "download my
data" holds the topics and posts they wrote."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.services import account_delete
from network.forums.models import Post, PostRevision, Topic
from network.forums.services.mentions import mention_handle_set
from network.forums.services.posts import post_create, post_edit, quote_text
from tests.core.test_privacy import find_anywhere
from tests.factories import MunicipalityFactory, forum_topic, member

pytestmark = pytest.mark.django_db

NAME = "Zyprian Quastenflosser"
EMAIL = "zyprian.quast@dortmund.example"
HANDLE = "zyprian-q"
TITLE = "Familienbüro im Stadtteilzentrum"


@pytest.fixture
def forum():
    person = member(MunicipalityFactory(name="Dortmund", slug="dortmund"), name=NAME, email=EMAIL)
    mention_handle_set(user=person, handle=HANDLE)
    olga = member(MunicipalityFactory(name="Köln", slug="koeln"), name="Olga Anders")
    topic = forum_topic(author=person, title=TITLE, body="Wir haben ein Familienbüro eröffnet.")
    first = topic.posts.get(number=1)
    own_reply = post_create(topic=topic, author=person, body="Nachtrag: dienstags geöffnet.")
    post_edit(post=own_reply, by=person, body="Nachtrag: dienstags und donnerstags geöffnet.")
    quoting = post_create(
        topic=topic,
        author=olga,
        reply_to=first,
        body=quote_text(post=first) + f"Danke @{HANDLE}, wie habt ihr das finanziert?",
    )
    return {"person": person, "olga": olga, "topic": topic, "quoting": quoting}


def _article(html: str, number: int) -> str:
    match = re.search(rf'<article id="beitrag-{number}".*?</article>', html, re.S)
    assert match, f"post #{number} is not on the page"
    return match.group(0)


def test_download_my_data_holds_my_topics_and_posts_only(client, forum):
    client.force_login(forum["person"])
    response = client.get("/profil/meine-daten/")
    assert response.status_code == 200
    forums = json.loads(response.content)["data"]["forums"]
    assert [t["title"] for t in forums["forum_topics"]] == [TITLE]
    posts = {p["number"]: p for p in forums["forum_posts"]}
    assert set(posts) == {1, 2}  # Olga's post #3 is hers, not in this export
    assert posts[1]["text"] == "Wir haben ein Familienbüro eröffnet."
    assert posts[2]["text"] == "Nachtrag: dienstags und donnerstags geöffnet."
    assert all(p["topic"] == TITLE for p in posts.values())
    assert forums["mention_handle"] == HANDLE


def test_before_deletion_the_page_names_the_person(client, forum):
    client.force_login(forum["olga"])
    html = client.get(reverse("network:topic", args=[forum["topic"].pk])).content.decode()
    assert NAME in _article(html, 1) and "Dortmund" in _article(html, 1)
    assert f"{NAME} schrieb:" in _article(html, 3)


def test_after_deletion_posts_stay_under_former_member(client, forum):
    person, topic = forum["person"], forum["topic"]
    account_delete(user=person)

    # The database: the discussion is whole, the person's own words stay, the person is gone.
    assert Topic.objects.filter(pk=topic.pk, author=person, is_deleted=False).exists()
    assert list(
        Post.objects.filter(topic=topic).order_by("number").values_list("number", "author_id")
    ) == [(1, person.pk), (2, person.pk), (3, forum["olga"].pk)]
    assert Post.objects.get(topic=topic, number=2).body == (
        "Nachtrag: dienstags und donnerstags geöffnet."
    )
    assert PostRevision.objects.filter(post__topic=topic, post__number=2).exists()
    person = User.objects.get(pk=person.pk)
    assert person.erased_at is not None and person.name == "" and person.email != EMAIL
    quoting = Post.objects.get(pk=forum["quoting"].pk)
    assert quoting.body.startswith("ehemaliges Mitglied schrieb:\n> Wir haben ein Familienbüro")
    assert quoting.body.endswith("Danke ehemaliges Mitglied, wie habt ihr das finanziert?")
    assert find_anywhere([NAME, EMAIL, f"@{HANDLE}", "zyprian.quast"]) == []

    # The page, read by another member.
    client.force_login(forum["olga"])
    html = client.get(reverse("network:topic", args=[topic.pk])).content.decode()
    for number in (1, 2):
        article = _article(html, number)
        author = re.search(r'<h2 class="post__author".*?</h2>', article, re.S).group(0)
        assert author.endswith("ehemaliges Mitglied</h2>")
        # Neither their municipality nor the Landesjugendamt stands next to the name.
        assert "Dortmund" not in article and "Landesjugendamt" not in article
    assert "Familienbüro eröffnet" in _article(html, 1)
    assert "donnerstags" in _article(html, 2)
    olga_post = _article(html, 3)
    assert "Olga Anders" in olga_post and "Köln" in olga_post
    assert "Antwort auf #1 von ehemaliges Mitglied" in olga_post
    assert "ehemaliges Mitglied schrieb:" in olga_post
    for trace in (NAME, EMAIL, HANDLE, "Zyprian", "Dortmund"):
        assert trace not in html

    # The topic list of the category says the same.
    listing = client.get(reverse("network:forum_category", args=[topic.category.slug]))
    assert "ehemaliges Mitglied" in listing.content.decode()
    assert NAME not in listing.content.decode()


def test_after_deletion_the_english_page_says_former_member(client, forum):
    account_delete(user=forum["person"])
    client.force_login(forum["olga"])
    client.cookies["django_language"] = "en"
    # The request switches this thread to English; the next tests expect German again.
    with translation.override(settings.LANGUAGE_CODE):
        html = client.get(reverse("network:topic", args=[forum["topic"].pk])).content.decode()
    author = re.search(r'<h2 class="post__author".*?</h2>', _article(html, 1), re.S).group(0)
    assert author.endswith("former member</h2>")
    assert NAME not in html
