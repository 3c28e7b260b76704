"""The topic page keeps each post's shared markup (forums.views.post_html._Memo) by everything
it is made of: whatever changes a post, its author or the topic's best answer shows on the next
page view, without anyone invalidating anything."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from django.utils import timezone

from network.forums.models import Post, PostAttachment, WatchLevel
from network.forums.services.moderation import post_delete, post_hide
from network.forums.services.posts import best_answer_set, post_create, post_edit, reaction_toggle
from network.forums.services.watching import category_watch_set, topic_watch_set
from network.forums.views.post_html import _memo
from network.models import Membership
from tests.factories import (
    MunicipalityFactory,
    StaffFactory,
    forum_topic,
    member,
    practice_example,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    """A topic with a reply, and a function that returns the reader's view of it as text."""
    _memo.clear()
    topic = forum_topic(body="Erster Beitrag")
    reply = post_create(topic=topic, author=member(), body="Zweiter Beitrag")
    reader = member()
    client.force_login(reader)

    def view(user=None):
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("network:topic", args=[topic.pk]))
        assert response.status_code == 200
        return response.content.decode()

    assert "Zweiter Beitrag" in view()  # the memo now holds both posts
    return topic, reply, reader, view


def _article(html, number):
    start = html.index(f'<article id="beitrag-{number}"')
    return html[start : html.index("</article>", start)]


def test_edit_shows_at_once(page):
    _topic, reply, _reader, view = page
    post_edit(post=reply, by=reply.author, body="Korrigierter Beitrag")
    article = _article(view(), 2)
    assert "Korrigierter Beitrag" in article and "Zweiter Beitrag" not in article
    assert '<span class="tag">bearbeitet</span>' in article


def test_delete_and_hide_show_at_once(page):
    topic, reply, reader, view = page
    moderator = StaffFactory()
    post_hide(post=Post.objects.get(topic=topic, number=1), by=moderator, reason="Werbung")
    post_delete(post=reply, by=reply.author)
    html = view()
    assert "Erster Beitrag" not in html and "Zweiter Beitrag" not in html
    assert "Dieser Beitrag wurde gelöscht." in _article(html, 2)
    assert 'class="post post--hidden"' in _article(html, 1)
    # The moderator's view of the same posts is kept apart from the members'.
    html = view(moderator)
    assert "Erster Beitrag" in html and "Zweiter Beitrag" in html
    assert view(reader).count("Zweiter Beitrag") == 0


def test_best_answer_and_helpful_show_at_once(page):
    topic, reply, reader, view = page
    reaction_toggle(post=reply, user=reader)
    article = _article(view(), 2)
    assert "1 Person fand das hilfreich" in article and 'aria-pressed="true"' in article
    best_answer_set(topic=topic, by=topic.author, post=reply)
    topic.refresh_from_db()
    assert "beste Antwort" in _article(view(), 2)
    reaction_toggle(post=reply, user=reader)
    best_answer_set(topic=topic, by=topic.author, post=None)
    article = _article(view(), 2)
    assert "hilfreich</p>" not in article and 'aria-pressed="false"' in article
    assert "beste Antwort" not in article


def test_text_changed_behind_the_services_back_shows_at_once(page):
    """An erasure rewrites other people's posts with update(): no service, no signal."""
    _topic, reply, _reader, view = page
    Post.objects.filter(pk=reply.pk).update(body_html="<p>ehemaliges Mitglied schrieb</p>")
    assert "ehemaliges Mitglied schrieb" in _article(view(), 2)


def test_author_name_municipality_and_attachments_show_at_once(page):
    _topic, reply, _reader, view = page
    reply.author.name = "Neuer Name"
    reply.author.save(update_fields=["name"])
    assert "Neuer Name" in _article(view(), 2)
    town = MunicipalityFactory(name="Gütersloh")
    Membership.objects.filter(user=reply.author).update(municipality=town)
    PostAttachment.objects.create(
        post=reply,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
        original_name="Plan.pdf",
        content_type="application/pdf",
        size=8,
    )
    article = _article(view(), 2)
    assert "Neuer Name" in article and "Gütersloh" in article and "Plan.pdf" in article
    reply.author.erased_at = timezone.now()
    reply.author.save(update_fields=["erased_at"])
    assert "ehemaliges Mitglied" in _article(view(), 2)


def test_language_is_part_of_the_key(page, client, settings):
    _topic, reply, _reader, view = page
    post_edit(post=reply, by=reply.author, body="Text")
    assert "bearbeitet" in _article(view(), 2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    article = _article(view(), 2)
    assert "edited" in article and "bearbeitet" not in article


def test_unread_marker_is_the_readers_own(page):
    _topic, _reply, reader, view = page
    other = member()
    assert '<span class="tag">neu</span>' in _article(view(other), 2)
    assert '<span class="tag">neu</span>' not in _article(view(reader), 2)


def test_kept_actions_carry_each_requests_form_token(page):
    _topic, _reply, _reader, view = page
    tokens = []
    for _ in range(2):
        html = view()
        assert "\x00" not in html
        in_post, in_header = (
            part.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
            for part in (_article(html, 1), html.split("<article", 1)[0])
        )
        assert _unmask_cipher_token(in_post) == _unmask_cipher_token(in_header)
        tokens.append(in_post)
    assert tokens[0] != tokens[1]  # masked anew for each request, not kept


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
