"""Writing: Markdown rendered once, quoting, editing with revisions, soft delete, hilfreich,
best answer, held first posts, unread tracking and pagination."""

import pytest

from network.exceptions import NotAllowed, TextTooLong
from network.forums.exceptions import (
    BestAnswerInvalid,
    EmptyText,
    HandleInvalid,
    HandleTaken,
    ReasonRequired,
)
from network.forums.models import PostRevision, PostStatus, TopicReadState
from network.forums.selectors.posts import POSTS_PER_PAGE, topic_visible_posts
from network.forums.selectors.topics import (
    category_topics,
    topic_first_unread_number,
    topic_page_of_number,
)
from network.forums.services.mentions import mention_handle_set
from network.forums.services.moderation import post_delete, post_review
from network.forums.services.posts import (
    best_answer_set,
    post_create,
    post_edit,
    quote_text,
    reaction_toggle,
    read_mark,
)
from tests.factories import ForumCategoryFactory, StaffFactory, coordinator, forum_topic, member

pytestmark = pytest.mark.django_db


def test_markdown_is_rendered_once_and_sanitised_on_save():
    topic = forum_topic(body="**fett** <script>alert(1)</script>")
    post = topic.posts.get()
    assert "<strong>fett</strong>" in post.body_html
    assert "<script" not in post.body_html
    assert post.body == "**fett** <script>alert(1)</script>"
    topic.refresh_from_db()
    assert (topic.post_count, topic.last_number) == (1, 1)


@pytest.mark.parametrize("body", ["", "   ", "\x00"])
def test_empty_post_is_refused(body):
    topic = forum_topic()
    with pytest.raises(EmptyText):
        post_create(topic=topic, author=topic.author, body=body)
    assert topic.posts.count() == 1


def test_too_long_post_and_title_are_refused():
    topic = forum_topic()
    with pytest.raises(TextTooLong):
        post_create(topic=topic, author=topic.author, body="x" * 20_001)
    with pytest.raises(TextTooLong):
        forum_topic(title="t" * 201)


def test_quote_and_reply_to():
    topic = forum_topic(body="Erste Zeile\nZweite Zeile")
    first = topic.posts.get()
    quote = quote_text(post=first)
    assert "> Erste Zeile\n> Zweite Zeile" in quote
    reply = post_create(topic=topic, author=member(), body=quote + "Danke!", reply_to=first)
    assert reply.reply_to == first
    assert "<blockquote>" in reply.body_html


def test_reply_to_a_post_of_another_topic_is_ignored():
    topic = forum_topic()
    other = forum_topic().posts.get()
    reply = post_create(topic=topic, author=member(), body="x", reply_to=other)
    assert reply.reply_to is None


def test_edit_keeps_the_previous_version_and_marks_the_post():
    topic = forum_topic(body="Version 1")
    post = topic.posts.get()
    post_edit(post=post, by=topic.author, body="Version **2**")
    post.refresh_from_db()
    assert post.edited_at is not None
    assert "<strong>2</strong>" in post.body_html
    revision = PostRevision.objects.get(post=post)
    assert revision.body == "Version 1"
    assert revision.edited_by == topic.author


def test_soft_delete_keeps_the_row_and_clears_best_answer():
    topic = forum_topic()
    reply = post_create(topic=topic, author=member(), body="Antwort")
    best_answer_set(topic=topic, by=topic.author, post=reply)
    post_delete(post=reply, by=reply.author)
    reply.refresh_from_db()
    topic.refresh_from_db()
    assert reply.is_deleted and reply.body == "Antwort"
    assert topic.best_answer is None


def test_helpful_once_per_person_and_not_on_own_posts():
    topic = forum_topic()
    post = topic.posts.get()
    reader = member()
    assert reaction_toggle(post=post, user=reader) is True
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert reaction_toggle(post=post, user=reader) is False
    post.refresh_from_db()
    assert post.helpful_count == 0
    with pytest.raises(NotAllowed):
        reaction_toggle(post=post, user=topic.author)


def test_best_answer_only_by_the_topic_author_and_only_a_reply():
    topic = forum_topic()
    answerer = member()
    reply = post_create(topic=topic, author=answerer, body="So geht es")
    with pytest.raises(NotAllowed):
        best_answer_set(topic=topic, by=answerer, post=reply)
    with pytest.raises(NotAllowed):
        best_answer_set(topic=topic, by=StaffFactory(), post=reply)
    with pytest.raises(BestAnswerInvalid):
        best_answer_set(topic=topic, by=topic.author, post=topic.posts.get(number=1))
    with pytest.raises(BestAnswerInvalid):
        best_answer_set(topic=topic, by=topic.author, post=forum_topic().posts.get())
    best_answer_set(topic=topic, by=topic.author, post=reply)
    topic.refresh_from_db()
    assert topic.best_answer == reply


def test_first_posts_of_a_new_member_are_held_until_approved():
    category = ForumCategoryFactory(hold_first_posts=True)
    topic = forum_topic(category, coordinator())
    newcomer = member()
    held = post_create(topic=topic, author=newcomer, body="Mein erster Beitrag")
    assert held.status == PostStatus.HELD
    reader = member()
    assert held not in topic_visible_posts(topic=topic, user=reader)
    assert held in topic_visible_posts(topic=topic, user=newcomer)
    topic.refresh_from_db()
    assert topic.post_count == 1
    post_review(post=held, by=StaffFactory(), approve=True)
    held.refresh_from_db()
    assert held.status == PostStatus.PUBLISHED
    # Once one post was approved, the next appears at once.
    second = post_create(topic=topic, author=newcomer, body="Zweiter")
    assert second.status == PostStatus.PUBLISHED


def test_a_held_post_can_be_rejected_with_a_reason():
    category = ForumCategoryFactory(hold_first_posts=True)
    topic = forum_topic(category, coordinator())
    held = post_create(topic=topic, author=member(), body="Werbung")
    with pytest.raises(ReasonRequired):
        post_review(post=held, by=StaffFactory(), approve=False, reason="")
    post_review(post=held, by=StaffFactory(), approve=False, reason="Werbung")
    held.refresh_from_db()
    assert held.status == PostStatus.REJECTED


def test_unread_tracking_and_jump_to_first_unread():
    topic = forum_topic()
    reader = member()
    assert topic_first_unread_number(topic=topic, user=reader) == 1
    read_mark(topic=topic, user=reader, number=1)
    for i in range(3):
        post_create(topic=topic, author=member(), body=f"Antwort {i}")
    assert topic_first_unread_number(topic=topic, user=reader) == 2
    read_mark(topic=topic, user=reader, number=4)
    read_mark(topic=topic, user=reader, number=2)  # never backwards
    assert TopicReadState.objects.get(topic=topic, user=reader).last_read_number == 4
    assert topic_first_unread_number(topic=topic, user=reader) is None
    # The author's own post counts as read.
    assert topic_first_unread_number(topic=topic, user=topic.author) == 2


def test_topics_sorted_by_last_activity_pinned_first():
    category = ForumCategoryFactory()
    author = member()
    old = forum_topic(category, author, title="alt")
    new = forum_topic(category, author, title="neu")
    pinned = forum_topic(category, author, title="oben")
    pinned.is_pinned = True
    pinned.save()
    assert list(category_topics(category=category, user=author)) == [pinned, new, old]
    post_create(topic=old, author=member(), body="wieder aktuell")
    assert list(category_topics(category=category, user=author)) == [pinned, old, new]


def test_page_of_a_post_number():
    topic = forum_topic()
    author = member()
    for i in range(POSTS_PER_PAGE + 5):
        post_create(topic=topic, author=author, body=f"#{i}")
    reader = member()
    assert topic_page_of_number(topic=topic, user=reader, number=1) == 1
    assert topic_page_of_number(topic=topic, user=reader, number=POSTS_PER_PAGE + 1) == 2


def test_mention_handle_rules():
    a, b = member(), member()
    assert mention_handle_set(user=a, handle="@Dana-Demir").handle == "dana-demir"
    with pytest.raises(HandleTaken):
        mention_handle_set(user=b, handle="dana-demir")
    for bad in ("a", "<script>", "dana demir", "ä-x", "x" * 41):
        with pytest.raises(HandleInvalid):
            mention_handle_set(user=b, handle=bad)
    assert mention_handle_set(user=a, handle="") is None
