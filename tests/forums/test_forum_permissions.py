"""Who may see, write, edit, delete and moderate in which category."""

import pytest

from network.exceptions import NotAllowed
from network.forums.exceptions import TopicClosed
from network.forums.models import ForumModerator, ModerationAction
from network.forums.selectors.permissions import (
    category_readers,
    posts_set_permissions,
    user_is_forum_moderator,
    user_may_delete_post,
    user_may_edit_post,
    user_may_read_category,
    user_may_read_topic,
)
from network.forums.selectors.posts import topic_visible_posts
from network.forums.selectors.topics import category_topics
from network.forums.services.moderation import post_delete, post_hide, topic_moderate
from network.forums.services.posts import post_create, post_edit
from network.forums.services.topics import topic_create
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


@pytest.fixture
def people():
    town = MunicipalityFactory()
    inactive = MunicipalityFactory(active=False)
    return {
        "coordinator": coordinator(town),
        "staff_member": member(town),
        "lja": StaffFactory(),
        "outsider": UserFactory(),
        "inactive_member": member(inactive),
    }


def test_members_category_is_read_by_members_and_staff_only(people):
    category = ForumCategoryFactory(visibility="members")
    may = {k: user_may_read_category(user=u, category=category) for k, u in people.items()}
    assert may == {
        "coordinator": True,
        "staff_member": True,
        "lja": True,
        "outsider": False,
        "inactive_member": False,
    }


def test_coordinators_category_is_closed_to_fachkraefte(people):
    category = ForumCategoryFactory(visibility="coordinators")
    may = {k: user_may_read_category(user=u, category=category) for k, u in people.items()}
    assert may == {
        "coordinator": True,
        "staff_member": False,
        "lja": True,
        "outsider": False,
        "inactive_member": False,
    }


def test_an_appointed_moderator_reads_the_coordinators_category_they_moderate(people):
    category = ForumCategoryFactory(visibility="coordinators")
    ForumModerator.objects.create(user=people["staff_member"], category=category)
    assert user_may_read_category(user=people["staff_member"], category=category)
    assert user_is_forum_moderator(user=people["staff_member"], category=category)
    assert not user_is_forum_moderator(user=people["staff_member"], category=ForumCategoryFactory())


def test_readers_q_agrees_with_the_rule(people):
    for visibility in ("members", "coordinators"):
        category = ForumCategoryFactory(visibility=visibility)
        ids = [u.pk for u in people.values()]
        readers = {u.pk for u in category_readers(category=category, among=ids)}
        expected = {
            u.pk for u in people.values() if user_may_read_category(user=u, category=category)
        }
        assert readers == expected


def test_outsider_cannot_write_or_start_topics(people):
    category = ForumCategoryFactory(visibility="coordinators")
    with pytest.raises(NotAllowed):
        topic_create(category=category, author=people["staff_member"], title="T", body="B")
    topic = forum_topic(category, people["coordinator"])
    with pytest.raises(NotAllowed):
        post_create(topic=topic, author=people["staff_member"], body="Hallo")
    with pytest.raises(NotAllowed):
        post_create(topic=topic, author=people["outsider"], body="Hallo")


def test_closed_topic_only_moderators_reply(people):
    category = ForumCategoryFactory()
    topic = forum_topic(category, people["coordinator"])
    topic_moderate(topic=topic, by=people["lja"], action=ModerationAction.CLOSE, reason="Ende")
    with pytest.raises(TopicClosed):
        post_create(topic=topic, author=people["staff_member"], body="Noch was")
    post = post_create(topic=topic, author=people["lja"], body="Abschluss")
    assert post.number == 2


def test_edit_rules(people):
    category = ForumCategoryFactory()
    topic = forum_topic(category, people["coordinator"])
    first = topic.posts.get()
    reply = post_create(topic=topic, author=people["staff_member"], body="Antwort")
    assert user_may_edit_post(user=people["staff_member"], post=reply)
    assert not user_may_edit_post(user=people["coordinator"], post=reply)
    assert user_may_edit_post(user=people["lja"], post=reply)
    with pytest.raises(NotAllowed):
        post_edit(post=first, by=people["staff_member"], body="fremd")
    topic.is_closed = True
    topic.save()
    reply.topic = topic
    assert not user_may_edit_post(user=people["staff_member"], post=reply)


def test_delete_rules(people):
    topic = forum_topic(ForumCategoryFactory(), people["coordinator"])
    reply = post_create(topic=topic, author=people["staff_member"], body="Antwort")
    other = member()
    with pytest.raises(NotAllowed):
        post_delete(post=reply, by=other)
    post_delete(post=reply, by=people["staff_member"])
    reply.refresh_from_db()
    assert reply.is_deleted
    topic.refresh_from_db()
    assert topic.post_count == 1


def test_moderation_rules(people):
    category = ForumCategoryFactory()
    topic = forum_topic(category, people["staff_member"])
    post = topic.posts.get()
    for user in (people["coordinator"], people["staff_member"]):
        with pytest.raises(NotAllowed):
            topic_moderate(topic=topic, by=user, action=ModerationAction.PIN, reason="x")
        with pytest.raises(NotAllowed):
            post_hide(post=post, by=user, reason="x")
    mod = member()
    ForumModerator.objects.create(user=mod, category=category)
    topic_moderate(topic=topic, by=mod, action=ModerationAction.PIN, reason="wichtig")
    topic.refresh_from_db()
    assert topic.is_pinned
    # An appointed moderator of one category cannot move a topic into a category they do not
    # moderate.
    with pytest.raises(NotAllowed):
        topic_moderate(
            topic=topic,
            by=mod,
            action=ModerationAction.MOVE,
            reason="passt besser",
            category=ForumCategoryFactory(),
        )


def test_deleted_topic_is_gone_except_for_moderators(people):
    topic = forum_topic(ForumCategoryFactory(), people["coordinator"])
    topic_moderate(
        topic=topic, by=people["lja"], action=ModerationAction.DELETE_TOPIC, reason="Spam"
    )
    assert not user_may_read_topic(user=people["coordinator"], topic=topic)
    assert user_may_read_topic(user=people["lja"], topic=topic)
    assert topic not in category_topics(category=topic.category, user=people["coordinator"])


def test_page_permissions_agree_with_the_single_post_rules(people):
    topic = forum_topic(ForumCategoryFactory(), people["coordinator"])
    own = post_create(topic=topic, author=people["staff_member"], body="eigen")
    post_create(topic=topic, author=people["coordinator"], body="fremd")
    post_delete(post=own, by=people["staff_member"])
    for user in (people["staff_member"], people["coordinator"], people["lja"]):
        posts = list(topic_visible_posts(topic=topic, user=user))
        for post in posts:
            post.topic = topic
        moderator = user_is_forum_moderator(user=user, category=topic.category)
        posts_set_permissions(
            user=user, topic=topic, posts=posts, is_moderator=moderator, may_post=True
        )
        for post in posts:
            assert post.may_edit == user_may_edit_post(user=user, post=post)
            assert post.may_delete == user_may_delete_post(user=user, post=post)
