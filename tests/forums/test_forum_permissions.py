"""Who may see, write, edit, delete and moderate in which category."""

import pytest

from network.exceptions import NotAllowed
from network.forums.exceptions import TopicClosed
from network.forums.models import ForumModerator, ModerationAction
from network.forums.selectors import forums as sel
from network.forums.services import forums as svc
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
    may = {k: sel.user_may_read_category(user=u, category=category) for k, u in people.items()}
    assert may == {
        "coordinator": True,
        "staff_member": True,
        "lja": True,
        "outsider": False,
        "inactive_member": False,
    }


def test_coordinators_category_is_closed_to_fachkraefte(people):
    category = ForumCategoryFactory(visibility="coordinators")
    may = {k: sel.user_may_read_category(user=u, category=category) for k, u in people.items()}
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
    assert sel.user_may_read_category(user=people["staff_member"], category=category)
    assert sel.user_is_forum_moderator(user=people["staff_member"], category=category)
    assert not sel.user_is_forum_moderator(
        user=people["staff_member"], category=ForumCategoryFactory()
    )


def test_readers_q_agrees_with_the_rule(people):
    for visibility in ("members", "coordinators"):
        category = ForumCategoryFactory(visibility=visibility)
        ids = [u.pk for u in people.values()]
        readers = {u.pk for u in sel.category_readers(category=category, among=ids)}
        expected = {
            u.pk for u in people.values() if sel.user_may_read_category(user=u, category=category)
        }
        assert readers == expected


def test_outsider_cannot_write_or_start_topics(people):
    category = ForumCategoryFactory(visibility="coordinators")
    with pytest.raises(NotAllowed):
        svc.topic_create(category=category, author=people["staff_member"], title="T", body="B")
    topic = forum_topic(category, people["coordinator"])
    with pytest.raises(NotAllowed):
        svc.post_create(topic=topic, author=people["staff_member"], body="Hallo")
    with pytest.raises(NotAllowed):
        svc.post_create(topic=topic, author=people["outsider"], body="Hallo")


def test_closed_topic_only_moderators_reply(people):
    category = ForumCategoryFactory()
    topic = forum_topic(category, people["coordinator"])
    svc.topic_moderate(topic=topic, by=people["lja"], action=ModerationAction.CLOSE, reason="Ende")
    with pytest.raises(TopicClosed):
        svc.post_create(topic=topic, author=people["staff_member"], body="Noch was")
    post = svc.post_create(topic=topic, author=people["lja"], body="Abschluss")
    assert post.number == 2


def test_edit_rules(people):
    category = ForumCategoryFactory()
    topic = forum_topic(category, people["coordinator"])
    first = topic.posts.get()
    reply = svc.post_create(topic=topic, author=people["staff_member"], body="Antwort")
    assert sel.user_may_edit_post(user=people["staff_member"], post=reply)
    assert not sel.user_may_edit_post(user=people["coordinator"], post=reply)
    assert sel.user_may_edit_post(user=people["lja"], post=reply)
    with pytest.raises(NotAllowed):
        svc.post_edit(post=first, by=people["staff_member"], body="fremd")
    topic.is_closed = True
    topic.save()
    reply.topic = topic
    assert not sel.user_may_edit_post(user=people["staff_member"], post=reply)


def test_delete_rules(people):
    topic = forum_topic(ForumCategoryFactory(), people["coordinator"])
    reply = svc.post_create(topic=topic, author=people["staff_member"], body="Antwort")
    other = member()
    with pytest.raises(NotAllowed):
        svc.post_delete(post=reply, by=other)
    svc.post_delete(post=reply, by=people["staff_member"])
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
            svc.topic_moderate(topic=topic, by=user, action=ModerationAction.PIN, reason="x")
        with pytest.raises(NotAllowed):
            svc.post_hide(post=post, by=user, reason="x")
    mod = member()
    ForumModerator.objects.create(user=mod, category=category)
    svc.topic_moderate(topic=topic, by=mod, action=ModerationAction.PIN, reason="wichtig")
    topic.refresh_from_db()
    assert topic.is_pinned
    # An appointed moderator of one category cannot move a topic into a category they do not
    # moderate.
    with pytest.raises(NotAllowed):
        svc.topic_moderate(
            topic=topic,
            by=mod,
            action=ModerationAction.MOVE,
            reason="passt besser",
            category=ForumCategoryFactory(),
        )


def test_deleted_topic_is_gone_except_for_moderators(people):
    topic = forum_topic(ForumCategoryFactory(), people["coordinator"])
    svc.topic_moderate(
        topic=topic, by=people["lja"], action=ModerationAction.DELETE_TOPIC, reason="Spam"
    )
    assert not sel.user_may_read_topic(user=people["coordinator"], topic=topic)
    assert sel.user_may_read_topic(user=people["lja"], topic=topic)
    assert topic not in sel.category_topics(category=topic.category, user=people["coordinator"])


def test_page_permissions_agree_with_the_single_post_rules(people):
    topic = forum_topic(ForumCategoryFactory(), people["coordinator"])
    own = svc.post_create(topic=topic, author=people["staff_member"], body="eigen")
    svc.post_create(topic=topic, author=people["coordinator"], body="fremd")
    svc.post_delete(post=own, by=people["staff_member"])
    for user in (people["staff_member"], people["coordinator"], people["lja"]):
        posts = list(sel.topic_visible_posts(topic=topic, user=user))
        for post in posts:
            post.topic = topic
        moderator = sel.user_is_forum_moderator(user=user, category=topic.category)
        sel.posts_set_permissions(user=user, topic=topic, posts=posts, is_moderator=moderator)
        for post in posts:
            assert post.may_edit == sel.user_may_edit_post(user=user, post=post)
            assert post.may_delete == sel.user_may_delete_post(user=user, post=post)
