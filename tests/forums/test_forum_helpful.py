"""Issue 12: "hilfreich" shows whether the reader marked it, to screen readers (aria-pressed)
and to the eye (a pressed style)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import forum_topic, member

pytestmark = pytest.mark.django_db


def _helpful_button(html: str) -> str:
    return re.search(r"<button[^>]*>hilfreich<span", html).group(0)


def test_the_helpful_button_is_pressed_for_the_reader_who_marked_it(client):
    topic = forum_topic()
    post = topic.posts.get()
    reader, other = member(), member()
    client.force_login(reader)
    page = reverse("network:topic", args=[topic.pk])
    assert 'aria-pressed="false"' in _helpful_button(client.get(page).content.decode())
    assert client.post(reverse("network:post_helpful", args=[post.pk])).status_code == 302
    html = client.get(page).content.decode()
    assert 'aria-pressed="true"' in _helpful_button(html)
    assert "forums/forum.css" in html
    # Another reader sees the count, but the button is not pressed for them.
    client.force_login(other)
    assert 'aria-pressed="false"' in _helpful_button(client.get(page).content.decode())


def test_the_pressed_state_is_visible():
    with open(finders.find("forums/forum.css"), encoding="utf-8") as file:
        css = file.read()
    rule = re.search(r'\.link-button\[aria-pressed="true"\]\s*\{([^}]*)\}', css)
    assert rule is not None
    assert "border" in rule.group(1) and "font-weight: 700" in rule.group(1)
