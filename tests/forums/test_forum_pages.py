"""What members see on the forum pages, and the pinned query counts (they do not grow with the
number of posts, topics or examples)."""

import pytest
from django.urls import reverse

from network.forums.models import WatchLevel
from network.forums.selectors.posts import POSTS_PER_PAGE
from network.forums.services.posts import post_create, post_edit, read_mark
from network.forums.services.watching import category_watch_set, topic_watch_set
from tests.factories import (
    ForumCategoryFactory,
    MunicipalityFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    forum_topic,
    member,
    practice_example,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member_page_cache_off")]

MAX_QUERIES = 7


def _fill(topic, count):
    towns = [MunicipalityFactory() for _ in range(3)]
    authors = [member(towns[i % 3]) for i in range(5)] + [StaffFactory()]
    for i in range(count):
        post_create(topic=topic, author=authors[i % len(authors)], body=f"Beitrag **{i}**")


def _warm_up(client):
    """Wagtail keeps the sites' root paths in the cache, which each test starts without
    (tests/forums/conftest.py): one query on the first page of a test, whatever the page."""
    client.get(reverse("network:forum"))


def _topic_page_queries(client, django_assert_max_num_queries, posts, reader):
    topic = forum_topic()
    _fill(topic, posts - 1)
    client.force_login(reader)
    _warm_up(client)
    counts = []
    for _view in ("posts rendered", "posts from the cache"):
        with django_assert_max_num_queries(MAX_QUERIES) as ctx:
            response = client.get(reverse("network:topic", args=[topic.pk]))
        assert response.status_code == 200
        assert response.content.decode().count('<article id="beitrag-') == min(
            posts, POSTS_PER_PAGE
        )
        counts.append(len(ctx.captured_queries))
    return counts


@pytest.mark.parametrize("reader", [member, StaffFactory], ids=["member", "moderator"])
def test_topic_page_with_50_posts_needs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, reader
):
    few = _topic_page_queries(client, django_assert_max_num_queries, 5, reader())
    many = _topic_page_queries(client, django_assert_max_num_queries, 50, reader())
    assert few == many
    assert max(many) <= MAX_QUERIES


def test_category_list_queries_do_not_grow(client, django_assert_max_num_queries):
    reader = member()
    client.force_login(reader)
    ForumCategoryFactory()
    _warm_up(client)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(reverse("network:forum"))
    for _ in range(8):
        category = ForumCategoryFactory()
        forum_topic(category)
    ForumCategoryFactory(visibility="coordinators")
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(reverse("network:forum"))
    assert response.status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)


def test_category_topic_list_queries_do_not_grow(client, django_assert_max_num_queries):
    category = ForumCategoryFactory()
    forum_topic(category)
    client.force_login(member())
    url = reverse("network:forum_category", args=[category.slug])
    _warm_up(client)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(url)
    for i in range(20):
        forum_topic(category, title=f"Thema {i}")
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(url)
    assert "Thema 19" in response.content.decode()
    assert len(few.captured_queries) == len(many.captured_queries)


def test_practice_list_queries_do_not_grow(client, django_assert_max_num_queries):
    staff = StaffFactory()
    practice_example(publish_by=staff)
    client.force_login(member())
    url = reverse("network:practice_list")
    _warm_up(client)
    with django_assert_max_num_queries(MAX_QUERIES) as few:
        client.get(url)
    for i in range(15):
        practice_example(publish_by=staff, title=f"Beispiel {i}")
    with django_assert_max_num_queries(MAX_QUERIES) as many:
        response = client.get(url)
    assert "Beispiel 14" in response.content.decode()
    assert len(few.captured_queries) == len(many.captured_queries)


def test_topic_page_shows_municipality_markers_and_marks_read(client):
    town = MunicipalityFactory(name="Bielefeld", slug="bielefeld")
    author = member(town)
    topic = forum_topic(author=author)
    reply = post_create(topic=topic, author=member(), body="Antwort")
    post_edit(post=reply, by=reply.author, body="Antwort, korrigiert")
    reader = member()
    client.force_login(reader)
    response = client.get(reverse("network:topic", args=[topic.pk]))
    content = response.content.decode()
    assert "Bielefeld" in content
    assert "bearbeitet" in content or "edited" in content
    assert 'id="beitrag-2"' in content
    response = client.get(reverse("network:topic_unread", args=[topic.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#beitrag-2")


def test_jump_to_first_unread(client):
    topic = forum_topic()
    reader = member()
    read_mark(topic=topic, user=reader, number=1)
    post_create(topic=topic, author=member(), body="neu")
    client.force_login(reader)
    response = client.get(reverse("network:topic_unread", args=[topic.pk]))
    assert response["Location"].endswith("?seite=1#beitrag-2")


def test_pagination(client):
    topic = forum_topic()
    _fill(topic, POSTS_PER_PAGE + 2)
    client.force_login(member())
    response = client.get(reverse("network:topic", args=[topic.pk]), {"seite": 2})
    assert response.content.decode().count('<article id="beitrag-') == 3
    assert (
        client.get(reverse("network:topic", args=[topic.pk]), {"seite": "abc"}).status_code == 200
    )


def test_reply_quote_edit_delete_helpful_best_answer_through_pages(client):
    topic = forum_topic()
    writer = member()
    client.force_login(writer)
    first = topic.posts.get()
    response = client.get(reverse("network:topic_reply", args=[topic.pk]), {"zitat": first.pk})
    assert "&gt; Wie habt ihr das organisiert?" in response.content.decode()
    response = client.post(
        reverse("network:topic_reply", args=[topic.pk]),
        {"body": "<script>alert(1)</script>Antwort", "reply_to": first.pk},
    )
    assert response.status_code == 302
    reply = topic.posts.get(number=2)
    assert reply.reply_to == first and "<script" not in reply.body_html
    assert client.post(reverse("network:post_helpful", args=[first.pk])).status_code == 302
    first.refresh_from_db()
    assert first.helpful_count == 1
    # Not the topic's author: no best answer.
    assert client.post(reverse("network:post_best_answer", args=[reply.pk])).status_code == 403
    client.force_login(topic.author)
    assert client.post(reverse("network:post_best_answer", args=[reply.pk])).status_code == 302
    topic.refresh_from_db()
    assert topic.best_answer == reply
    # The topic's author cannot edit the reply.
    assert client.get(reverse("network:post_edit", args=[reply.pk])).status_code == 403
    client.force_login(writer)
    response = client.post(reverse("network:post_edit", args=[reply.pk]), {"body": "neu"})
    assert response.status_code == 302
    response = client.post(reverse("network:post_delete", args=[reply.pk]), {"reason": ""})
    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.is_deleted


def test_empty_reply_shows_an_error_and_changes_nothing(client):
    topic = forum_topic()
    client.force_login(member())
    response = client.post(reverse("network:topic_reply", args=[topic.pk]), {"body": "   "})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert topic.posts.count() == 1


def test_coordinators_category_is_404_for_fachkraft(client):
    category = ForumCategoryFactory(visibility="coordinators")
    topic = forum_topic(category, coordinator())
    client.force_login(member())
    assert client.get(reverse("network:forum_category", args=[category.slug])).status_code == 404
    assert client.get(reverse("network:topic", args=[topic.pk])).status_code == 404
    response = client.post(reverse("network:topic_reply", args=[topic.pk]), {"body": "x"})
    assert response.status_code == 404
    assert topic.posts.count() == 1
    content = client.get(reverse("network:forum")).content.decode()
    assert category.name not in content


def test_notification_badge_and_pages(client):
    topic = forum_topic()
    post_create(topic=topic, author=member(), body="Antwort")
    client.force_login(topic.author)
    content = client.get(reverse("network:forum")).content.decode()
    assert "data-notification-count>1</span>" in content
    response = client.get(reverse("network:notifications"))
    assert response.status_code == 200
    note = topic.author.notifications.get()
    response = client.get(reverse("network:notification", args=[note.pk]))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    # Someone else's notification: 404.
    client.force_login(member())
    assert client.get(reverse("network:notification", args=[note.pk])).status_code == 404


def test_notification_settings_page(client):
    user = member()
    client.force_login(user)
    response = client.post(
        reverse("network:notification_settings"), {"email_mode": "digest", "handle": "felix"}
    )
    assert response.status_code == 302
    assert user.mention_handle.handle == "felix"
    assert user.notification_settings.email_mode == "digest"
    response = client.post(
        reverse("network:notification_settings"), {"email_mode": "digest", "handle": "<b>"}
    )
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()


def test_topic_page_actions_are_in_german(client):
    """The post markup is built in Python; its words must still reach the German catalogue."""
    topic = forum_topic(body="Wer hat Erfahrung mit Lotsendiensten?")
    post_create(topic=topic, author=member(), body="Wir in Bochum.")
    client.force_login(member())
    page = client.get(reverse("network:topic", args=[topic.pk])).content.decode()
    for word in ("Zitieren", "Melden", "hilfreich", "Beitrag #1 von"):
        assert word in page, word
    for word in (">Quote", ">Report", ">Helpful", "Post #1 by"):
        assert word not in page, word


def test_topic_header_reads_the_readers_watch_level_and_the_practice_example(client):
    """topic_for_page loads the reader's state with the topic in one query."""
    staff = StaffFactory()
    example = practice_example(publish_by=staff)
    topic = example.discussion
    reader = member()
    client.force_login(reader)
    url = reverse("network:topic", args=[topic.pk])
    html = client.get(url).content.decode()
    assert reverse("network:practice_detail", args=[example.pk]) in html
    assert '<option value="normal" selected>' in html
    category_watch_set(category=topic.category, user=reader, level=WatchLevel.MUTED)
    assert '<option value="muted" selected>' in client.get(url).content.decode()
    topic_watch_set(topic=topic, user=reader, level=WatchLevel.WATCHING)
    assert '<option value="watching" selected>' in client.get(url).content.decode()
    # Someone else's choice is not the reader's.
    topic_watch_set(topic=topic, user=member(), level=WatchLevel.MUTED)
    assert '<option value="watching" selected>' in client.get(url).content.decode()


def test_someone_not_yet_a_member_is_told_what_the_forums_are_and_where_to_join(client):
    """A person whose membership is not approved yet followed "Austauschforen" from their area:
    403 with a page that says why and leads to the membership request, not a bare refusal."""
    client.force_login(UserFactory())
    response = client.get(reverse("network:forum"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Diese Seite steht den Mitgliedern des Lernnetzwerks offen" in html
    assert reverse("network:join") in html


def test_the_reply_field_names_its_length_limit_in_the_readers_language(client):
    """The browser cuts a longer text at the field's maxlength without a word; the help says it."""
    topic = forum_topic(author=member())
    client.force_login(member())
    url = reverse("network:topic", args=[topic.pk])
    german = client.get(url).content.decode()
    assert 'maxlength="20000"' in german
    assert "Höchstens 20.000 Zeichen." in german
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "At most 20,000 characters." in english
