"""A notification reads in its reader's language, not in the language of the person whose action
caused it: on the platform the reader's active language, in the e-mail German (the platform's
language; it keeps no language per person)."""

import pytest
from django.conf import settings
from django.urls import reverse

from network.forums.models import Notification
from tests.factories import StaffFactory, coordinator, forum_topic, member, practice_example

pytestmark = pytest.mark.django_db

HIDDEN_DE = "Eine Moderatorin oder ein Moderator hat Ihren Beitrag in „Elternbriefe“ ausgeblendet"
HIDDEN_EN = "A moderator hid your post in „Elternbriefe“"


def _in_english(client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def _list(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("network:notifications")).content.decode()


def _mails_to(mailoutbox, user) -> list[str]:
    return [m.body for m in mailoutbox if user.email in m.to]


def test_a_moderation_in_english_reaches_a_german_reader_in_german(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    topic = forum_topic(title="Elternbriefe")
    author = topic.author
    moderator = StaffFactory()
    client.force_login(moderator)
    _in_english(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network:post_hide", args=[topic.posts.get(number=1).pk]),
            {"reason": "Bitte sachlich bleiben"},
        )
    assert response.status_code == 302

    client.cookies.clear()
    page = _list(client, author)
    assert f"{HIDDEN_DE}: Bitte sachlich bleiben" in page
    assert HIDDEN_EN not in page
    [mail] = _mails_to(mailoutbox, author)
    assert f"{HIDDEN_DE}: Bitte sachlich bleiben" in mail
    # The same notification, read by someone who switched to English, reads in English.
    _in_english(client)
    assert f"{HIDDEN_EN}: Bitte sachlich bleiben" in _list(client, author)


def test_a_submission_in_english_reaches_a_german_coordinator_in_german(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    clara = coordinator(name="Clara Koordination")
    fritz = member(clara.memberships.get().municipality, name="Fritz Fachkraft")
    example = practice_example(fritz, title="Babylotsen")
    client.force_login(fritz)
    _in_english(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:practice_submit", args=[example.pk]))
    assert Notification.objects.filter(user=clara).count() == 1

    client.cookies.clear()
    german = (
        "Fritz Fachkraft hat das Praxisbeispiel „Babylotsen“ eingereicht. Bitte bestätigen "
        "Sie es oder geben Sie es zurück."
    )
    assert german in _list(client, clara)
    [mail] = _mails_to(mailoutbox, clara)
    assert german in " ".join(mail.split())
