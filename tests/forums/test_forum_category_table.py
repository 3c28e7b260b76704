"""The table of the forum categories is kept in the cache under everything it shows
(forums/views/categories.py): a new topic or post, a renamed or hidden category, another
language and another reader's categories show on the next view."""

import re

import pytest
from django.urls import reverse

from network.forums.models import Topic
from network.forums.services.posts import post_create
from tests.factories import ForumCategoryFactory, coordinator, forum_topic, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member_page_cache_off")]


@pytest.fixture
def table(client):
    category = ForumCategoryFactory(name="Frühe Hilfen", slug="fruehe-hilfen")
    forum_topic(category)
    reader = member()

    def view(user=reader):
        client.force_login(user)
        response = client.get(reverse("network:forum"))
        assert response.status_code == 200
        html = response.content.decode()
        return html[html.index('<div class="table-wrap">') : html.index("</table>")]

    def row(html, name):
        start = html.index(f">{name}</a>")
        return html[start : html.index("</tr>", start)]

    view()  # the table is in the cache now
    return category, reader, view, row


def _count(row_html):
    return int(re.search(r"<td>(\d+)</td>", row_html)[1])


def test_a_new_topic_and_post_show_at_once(table):
    category, _reader, view, row = table
    assert _count(row(view(), "Frühe Hilfen")) == 1
    topic = forum_topic(category, title="Zweites Thema")
    assert _count(row(view(), "Frühe Hilfen")) == 2
    before = row(view(), "Frühe Hilfen")
    Topic.objects.filter(pk=topic.pk).update(
        last_activity_at=topic.last_activity_at.replace(year=2030)
    )
    after = row(view(), "Frühe Hilfen")
    assert before != after and "2030" in after
    post_create(topic=topic, author=member(), body="Antwort")
    assert row(view(), "Frühe Hilfen") != after


def test_a_deleted_topic_leaves_the_count_at_once(table):
    category, _reader, view, row = table
    forum_topic(category, title="Neuer")
    before = row(view(), "Frühe Hilfen")
    assert _count(before) == 2
    # The older topic: the last activity stays, only the count changes.
    Topic.objects.filter(category=category).exclude(title="Neuer").update(is_deleted=True)
    after = row(view(), "Frühe Hilfen")
    assert _count(after) == 1
    assert after.replace("<td>1</td>", "<td>2</td>") == before


def test_a_renamed_or_described_category_shows_at_once(table):
    category, _reader, view, row = table
    category.name = "Kita"
    category.description = "Übergänge in die Kita"
    category.save()
    html = view()
    assert "Frühe Hilfen" not in html
    assert "Übergänge in die Kita" in row(html, "Kita")


def test_each_reader_gets_the_table_of_their_categories(table):
    category, reader, view, row = table
    ForumCategoryFactory(name="Nur Koordination", visibility="coordinators")
    assert "Nur Koordination" not in view(reader)
    head = coordinator()
    assert "Nur Koordination" in view(head)
    assert "Nur Koordination" not in view(reader)
    assert "nur Koordinationen und Landesjugendämter" not in row(view(head), "Frühe Hilfen")
    category.visibility = "coordinators"
    category.save()
    assert "Frühe Hilfen" not in view(reader)
    assert "nur Koordinationen und Landesjugendämter" in row(view(head), "Frühe Hilfen")


def test_the_language_is_part_of_the_key(table, client, settings):
    _category, _reader, view, _row = table
    assert "<caption>Kategorien</caption>" in view()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<caption>Categories</caption>" in view()
