"""Attachments: type read from the content, at most 10 MB, served only through the permission
check (never from a public media URL)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from network.attachments import MAX_ATTACHMENT_SIZE
from network.exceptions import AttachmentRefused
from network.forums.services.moderation import post_hide
from network.forums.services.posts import post_create
from tests.factories import (
    ForumCategoryFactory,
    StaffFactory,
    UserFactory,
    coordinator,
    forum_topic,
    member,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bericht.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("foto.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        (
            "konzept.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("konzept.odt", ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_types_are_accepted(name, content, expected):
    topic = forum_topic(files=[upload(name, content)])
    attachment = topic.posts.get().attachments.get()
    assert attachment.content_type == expected
    assert attachment.original_name == name
    assert attachment.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 32),
        ("getarnt.pdf", b"MZ\x90\x00" + b"\x00" * 32),  # a program named .pdf
        ("seite.pdf", b"<html><script>alert(1)</script></html>"),  # HTML named .pdf
        ("bild.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("bild.png", PDF),  # the content says PDF, the name says PNG
        ("archiv.docx", _zip({"evil.js": "alert(1)"})),  # a zip, not an office document
        ("kaputt.docx", b"PK\x03\x04 not really a zip"),
        ("ohne-endung", PDF),
        ("leer.pdf", b""),
        ("seite.html", b"<html></html>"),
    ],
)
def test_wrong_types_are_refused(name, content):
    topic = forum_topic()
    with pytest.raises(AttachmentRefused):
        post_create(topic=topic, author=topic.author, body="Anhang", files=[upload(name, content)])
    assert topic.posts.count() == 1


def test_too_large_is_refused():
    topic = forum_topic()
    big = upload("gross.pdf", PDF + b"0" * (MAX_ATTACHMENT_SIZE + 1 - len(PDF)))
    with pytest.raises(AttachmentRefused):
        post_create(topic=topic, author=topic.author, body="Anhang", files=[big])
    just = upload("passt.pdf", PDF + b"0" * (MAX_ATTACHMENT_SIZE - len(PDF)))
    post = post_create(topic=topic, author=topic.author, body="Anhang", files=[just])
    assert post.attachments.count() == 1


def test_too_many_files_are_refused():
    topic = forum_topic()
    with pytest.raises(AttachmentRefused):
        post_create(
            topic=topic,
            author=topic.author,
            body="Anhang",
            files=[upload(f"{i}.pdf", PDF) for i in range(6)],
        )


def test_the_form_refuses_a_wrong_type_with_a_message(client):
    topic = forum_topic()
    client.force_login(topic.author)
    response = client.post(
        reverse("network:topic_reply", args=[topic.pk]),
        {"body": "Mit Anhang", "attachments": [upload("x.pdf", b"<html></html>")]},
    )
    assert response.status_code == 200
    with translation.override("de"):
        assert str(AttachmentRefused.message) in response.content.decode()
    assert topic.posts.count() == 1


def test_files_are_not_below_a_public_url(settings):
    topic = forum_topic(files=[upload("bericht.pdf", PDF)])
    attachment = topic.posts.get().attachments.get()
    assert "/private/" in attachment.file.path
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018


@pytest.fixture
def coordinators_topic_with_file():
    category = ForumCategoryFactory(visibility="coordinators")
    author = coordinator()
    topic = forum_topic(category, author, files=[upload("intern.pdf", PDF)])
    return topic, topic.posts.get().attachments.get()


def test_download_for_readers(client, coordinators_topic_with_file):
    topic, attachment = coordinators_topic_with_file
    url = reverse("network:attachment", args=[attachment.pk])
    for reader in (coordinator(), StaffFactory(), topic.author):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]


def test_nobody_outside_the_category_fetches_its_attachments(client, coordinators_topic_with_file):
    _topic, attachment = coordinators_topic_with_file
    url = reverse("network:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for outsider in (member(), UserFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code in (403, 404)


def test_files_of_a_hidden_post_only_for_moderators(client):
    topic = forum_topic(files=[upload("bericht.pdf", PDF)])
    post = topic.posts.get()
    staff = StaffFactory()
    post_hide(post=post, by=staff, reason="Datenschutz")
    url = reverse("network:attachment", args=[post.attachments.get().pk])
    client.force_login(member())
    assert client.get(url).status_code == 404
