"""The topic page carries what events/topic_live.js needs for its live notice; the socket and
the publishing are tested in tests/events/test_live_updates.py, the browser in
tests/e2e/test_network_journey.py."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.factories import forum_topic, member

pytestmark = pytest.mark.django_db


def test_topic_page_has_a_hidden_live_notice_in_a_polite_region(client):
    topic = forum_topic()
    client.force_login(member())
    html = client.get(reverse("network:topic", args=[topic.pk])).content.decode()

    assert '<script src="/static/events/topic_live.js" defer></script>' in html
    region = re.search(
        r'<div class="topic-live" aria-live="polite">(.*?)</div>\s*</div>', html, re.S
    )
    assert region, "the live region is missing"
    notice = region.group(1)
    assert "data-topic-live" in notice and notice.rstrip().endswith("hidden>")
    assert f'data-topic-id="{topic.pk}"' in notice
    assert f'data-url="{reverse("network:topic_unread", args=[topic.pk])}"' in notice
    # German, with the placeholder the script fills in.
    assert 'data-text-new="Neue Beiträge in diesem Thema: %(count)s"' in notice
    assert 'data-text-button="Neue Beiträge anzeigen"' in notice


def test_topic_page_in_english(client):
    topic = forum_topic()
    client.force_login(member())
    client.cookies["django_language"] = "en"
    # The request switches this thread to English; the next tests expect German again.
    with translation.override(settings.LANGUAGE_CODE):
        html = client.get(reverse("network:topic", args=[topic.pk])).content.decode()
    assert 'data-text-new="New posts in this topic: %(count)s"' in html
    assert 'data-text-button="Show new posts"' in html
