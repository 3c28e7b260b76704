"""The topic page shows every post exactly as it did when each post's markup was built in
Python (network/forums/views/post_html.py, before the post became a template partial with
cached fragments): the main content of a topic page with every kind of post, for a member, a
moderator and the topic's author, compared with what that code rendered
(tests/forums/topic_page_markup/*.html).

Only what differs between runs is normalised: the ids in URLs (per run, as the database hands
them out) and the form tokens (masked anew for every request). With WRITE_TOPIC_PAGE_MARKUP=1
the test writes the files instead of comparing, to record a deliberate change of the markup.
"""

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network.forums.models import (
    MentionHandle,
    Post,
    PostAttachment,
    PostStatus,
    TopicReadState,
)
from network.forums.services.moderation import post_delete, post_hide
from network.forums.services.posts import (
    best_answer_set,
    post_create,
    post_edit,
    reaction_toggle,
)
from tests.factories import ForumCategoryFactory, MunicipalityFactory, StaffFactory, member

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "topic_page_markup"
WRITE = os.environ.get("WRITE_TOPIC_PAGE_MARKUP") == "1"
MAIN = re.compile(r"<main\b.*?</main>", re.S)


def _at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 15, tzinfo=UTC)


@pytest.fixture
def topic_page(client):
    """A topic with every kind of post a page shows: attachments, a quoted reply, an edited
    post, a helpful mark, the best answer, a hidden, a deleted, a held and a rejected post, a
    Landesjugendamt author, an erased author and an @handle; and a function that returns the
    page as `user` sees it."""
    dortmund = MunicipalityFactory(name="Dortmund", slug="dortmund")
    koeln = MunicipalityFactory(name="Köln", slug="koeln")
    author = member(dortmund, name="Anna Autorin", email="anna@dortmund.example")
    replier = member(koeln, name="Ben <b>Bold</b> & Co", email="ben@koeln.example")
    MentionHandle.objects.create(user=replier, handle="ben-koeln")
    reader = member(koeln, name="Rita Leserin", email="rita@koeln.example")
    newcomer = member(dortmund, name="Nina Neu", email="nina@dortmund.example")
    gone = member(dortmund, name="Gerd Gegangen", email="gerd@dortmund.example")
    staff = StaffFactory(name="Lena Landesjugendamt", email="lena@lvr.example")
    moderator = StaffFactory(name="Moritz Moderation", email="moritz@lvr.example")
    category = ForumCategoryFactory(name="Frühe Hilfen", slug="fruehe-hilfen")

    from network.forums.services.topics import topic_create

    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"x" * 2000, "application/pdf")
    topic = topic_create(
        category=category,
        author=author,
        title="Lotsendienst <in> der Geburtsklinik",
        body="Wie habt ihr das **organisiert**?\n\n- Klinik\n- Jugendamt",
        files=[pdf],
    )
    first = topic.posts.get(number=1)
    second = post_create(
        topic=topic, author=replier, body="Mit einer *Kooperationsvereinbarung*.", reply_to=first
    )
    post_edit(post=second, by=replier, body="Mit einer *Kooperationsvereinbarung* & Geduld.")
    post_create(topic=topic, author=staff, body="Die Arbeitshilfe liegt im Modul 2.")
    hidden = post_create(topic=topic, author=gone, body="Kauft bei uns ein!")
    deleted = post_create(topic=topic, author=reader, body="Doppelt gepostet.")
    held = post_create(topic=topic, author=newcomer, body="Meine erste Frage.")
    rejected = post_create(topic=topic, author=newcomer, body="Nicht freigegeben.")
    post_create(topic=topic, author=reader, body="@ben-koeln danke, das hilft.")
    Post.objects.filter(pk=held.pk).update(status=PostStatus.HELD)
    Post.objects.filter(pk=rejected.pk).update(status=PostStatus.REJECTED)
    reaction_toggle(post=second, user=reader)
    reaction_toggle(post=second, user=author)
    best_answer_set(topic=topic, by=author, post=second)
    post_hide(post=hidden, by=moderator, reason="Werbung")
    post_delete(post=deleted, by=reader)
    gone.erased_at = timezone.now()
    gone.save(update_fields=["erased_at"])
    for post in topic.posts.all():
        Post.objects.filter(pk=post.pk).update(created_at=_at(post.number, 9 + post.number))
    Post.objects.filter(pk=second.pk).update(edited_at=_at(2, 18))
    for user in (reader, author, moderator):  # their own posts marked the topic read
        TopicReadState.objects.update_or_create(
            topic=topic, user=user, defaults={"last_read_number": 3}
        )

    ids = {
        "thema": {topic.pk: "T"},
        "beitrag": {p.pk: f"P{p.number}" for p in topic.posts.all()},
        "anhang": {
            a.pk: f"A{i}" for i, a in enumerate(PostAttachment.objects.filter(post__topic=topic))
        },
    }
    posts_by_pk = ids["beitrag"]

    def normalise(html: str) -> str:
        html = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+"', r'\1CSRF"', html)
        html = re.sub(
            r"/(thema|beitrag|anhang)/(\d+)/",
            lambda m: f"/{m[1]}/{ids[m[1]].get(int(m[2]), 'other')}/",
            html,
        )
        html = re.sub(r"zitat=(\d+)", lambda m: f"zitat={posts_by_pk[int(m[1])]}", html)
        return re.sub(r'data-topic-id="\d+"', 'data-topic-id="T"', html)

    def view(user, language="de"):
        client.force_login(user)
        client.cookies["django_language"] = language
        response = client.get(reverse("network:topic", args=[topic.pk]))
        assert response.status_code == 200
        # The page's main content: the header and footer belong to every page, not to posts.
        return MAIN.search(normalise(response.content.decode()))[0] + "\n"

    return {"reader": reader, "author": author, "moderator": moderator}, view


@pytest.mark.parametrize(
    ("who", "language"),
    [("reader", "de"), ("author", "de"), ("moderator", "de"), ("reader", "en")],
)
def test_topic_page_markup_is_unchanged(topic_page, who, language):
    users, view = topic_page
    first, second = view(users[who], language), view(users[who], language)
    expected = EXPECTED / f"{who}-{language}.html"
    if WRITE:
        EXPECTED.mkdir(exist_ok=True)
        expected.write_text(first)
        expected.with_suffix(".again.html").write_text(second)
        return
    # The first view renders the posts, the second takes them from the cache; the "new"
    # markers are gone the second time, since the first view marked the posts read.
    assert first == expected.read_text()
    assert second == expected.with_suffix(".again.html").read_text()
