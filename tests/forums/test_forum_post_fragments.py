"""The topic page keeps each post's markup that is the same for every reader in the cache, by
the post's version and what else it shows (network/forums/views/post_fragments.py): whatever
changes a post, its author or the topic's best answer shows on the next page view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from django.utils import timezone

from network.forums import privacy
from network.forums.models import Post, PostAttachment
from network.forums.services.moderation import post_delete, post_hide, post_review
from network.forums.services.posts import best_answer_set, post_create, post_edit, reaction_toggle
from network.models import Membership
from tests.factories import MunicipalityFactory, StaffFactory, forum_topic, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("member_page_cache_off")]

FRAGMENTS = {"forums/_post_meta.html", "forums/_post_content.html"}


@pytest.fixture
def page(client):
    """A topic with a reply, and a function that returns the reader's view of it as text."""
    topic = forum_topic(body="Erster Beitrag")
    reply = post_create(topic=topic, author=member(), body="Zweiter Beitrag")
    reader = member()
    client.force_login(reader)
    rendered = []

    def view(user=None):
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("network:topic", args=[topic.pk]))
        assert response.status_code == 200
        rendered[:] = [t.name for t in response.templates if t.name in FRAGMENTS]
        return response.content.decode()

    assert "Zweiter Beitrag" in view()  # the cache now holds both posts
    return topic, reply, reader, view, rendered


def _article(html, number):
    start = html.index(f'<article id="beitrag-{number}"')
    return html[start : html.index("</article>", start)]


def test_a_second_view_takes_the_posts_from_the_cache(page):
    _topic, reply, _reader, view, rendered = page
    view()
    assert rendered == []
    post_edit(post=reply, by=reply.author, body="Korrigiert")
    view()
    assert sorted(rendered) == sorted(FRAGMENTS)  # only the edited post, once


def test_every_change_of_a_post_counts_its_version_up(page):
    _topic, reply, reader, _view, _rendered = page

    def version():
        return Post.objects.get(pk=reply.pk).version

    seen = [version()]
    post_edit(post=reply, by=reply.author, body="Neu")
    seen.append(version())
    reaction_toggle(post=reply, user=reader)
    seen.append(version())
    post_hide(post=Post.objects.get(pk=reply.pk), by=StaffFactory(), reason="Prüfen")
    seen.append(version())
    post_delete(post=Post.objects.get(pk=reply.pk), by=reply.author)
    seen.append(version())
    assert seen == sorted(set(seen))  # always up, never the same twice


def test_edit_shows_at_once(page):
    _topic, reply, _reader, view, _rendered = page
    post_edit(post=reply, by=reply.author, body="Korrigierter Beitrag")
    article = _article(view(), 2)
    assert "Korrigierter Beitrag" in article and "Zweiter Beitrag" not in article
    assert '<span class="tag">bearbeitet</span>' in article


def test_delete_and_hide_show_at_once(page):
    topic, reply, reader, view, _rendered = page
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


def test_approval_shows_at_once(page, client):
    topic, _reply, _reader, view, _rendered = page
    newcomer = member()
    held = post_create(topic=topic, author=newcomer, body="Erste Frage")
    Post.objects.filter(pk=held.pk).update(status="held")
    assert "wartet auf Prüfung" in _article(view(newcomer), 3)
    post_review(post=Post.objects.get(pk=held.pk), by=StaffFactory(), approve=True)
    assert "wartet auf Prüfung" not in _article(view(newcomer), 3)


def test_best_answer_and_helpful_show_at_once(page):
    topic, reply, reader, view, _rendered = page
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


def test_an_erasure_that_rewrites_others_posts_shows_at_once(page):
    """Deleting an account replaces the person's name in other people's posts."""
    _topic, reply, _reader, view, _rendered = page
    post_edit(post=reply, by=reply.author, body="Danke an Zyprian Quast!")
    assert "Zyprian Quast" in _article(view(), 2)
    privacy.forget(words={"Zyprian Quast"})
    article = _article(view(), 2)
    assert "Zyprian Quast" not in article and "ehemaliges Mitglied" in article


def test_author_name_municipality_and_attachments_show_at_once(page):
    _topic, reply, _reader, view, _rendered = page
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
    _topic, reply, _reader, view, _rendered = page
    post_edit(post=reply, by=reply.author, body="Text")
    assert "bearbeitet" in _article(view(), 2)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    article = _article(view(), 2)
    assert "edited" in article and "bearbeitet" not in article


def test_unread_marker_is_the_readers_own(page):
    _topic, _reply, reader, view, _rendered = page
    other = member()
    assert '<span class="tag">neu</span>' in _article(view(other), 2)
    assert '<span class="tag">neu</span>' not in _article(view(reader), 2)


def test_actions_carry_each_requests_form_token(page):
    _topic, _reply, _reader, view, _rendered = page
    tokens = []
    for _ in range(2):
        html = view()
        in_post, in_header = (
            part.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
            for part in (_article(html, 1), html.split("<article", 1)[0])
        )
        assert _unmask_cipher_token(in_post) == _unmask_cipher_token(in_header)
        tokens.append(in_post)
    assert tokens[0] != tokens[1]  # masked anew for each request, not kept
