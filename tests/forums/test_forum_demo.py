"""The demo forums, practice examples and notifications load, twice without duplicates, and the
pages show them."""

import pytest
from django.urls import reverse

from core.models import User
from network import demo
from network.forums import demo as forums_demo
from network.forums.models import ForumCategory, Notification, Post, Topic
from network.practice import demo as practice_demo
from network.practice.models import PracticeExample

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_browsable(client):
    for _ in range(2):
        demo.load(password="kinderstark-demo", log=lambda m: None)
        forums_demo.load(password="kinderstark-demo", log=lambda m: None)
        practice_demo.load(password="kinderstark-demo", log=lambda m: None)
    assert ForumCategory.objects.count() == 7
    assert Topic.objects.count() == 7 + 3
    assert PracticeExample.objects.filter(status="published").count() == 3
    assert Post.objects.count() == 14 + 3
    katrin = User.objects.get(email="koordination@koeln.example")
    assert Notification.objects.filter(user=katrin).count() == 1
    client.force_login(katrin)
    for url in (
        reverse("network:forum"),
        reverse("network:forum_category", args=["fruehe-hilfen"]),
        reverse("network:topic", args=[Topic.objects.get(title__startswith="Babylotsen:").pk]),
        reverse("network:practice_list"),
        reverse(
            "network:practice_detail",
            args=[PracticeExample.objects.filter(status="published").first().pk],
        ),
        reverse("network:directory"),
        reverse("network:notifications"),
    ):
        assert client.get(url).status_code == 200, url
    felix = User.objects.get(email="fachkraft@dortmund.example")
    client.force_login(felix)
    restricted = ForumCategory.objects.get(slug="finanzierung-und-foerderung")
    assert client.get(reverse("network:forum_category", args=[restricted.slug])).status_code == 404
