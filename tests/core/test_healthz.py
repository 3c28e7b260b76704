import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
        "tasks": "ok",
    }


@pytest.mark.django_db
def test_healthz_names_a_failing_channel_layer(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},  # nothing listens on port 1
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["channel_layer"] == "error"
    assert body["database"] == "ok"
    assert body["failing"] == ["channel_layer"]


@pytest.mark.django_db
def test_healthz_names_a_failing_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.OperationalError("database is gone")

    # The database itself cannot be switched off inside a test; its cursor can fail like it.
    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["failing"] == ["database"]


def tasks_down():
    raise ConnectionError("no worker answers")


@pytest.mark.django_db
def test_an_app_joins_healthz_by_one_line_in_the_setting(client, settings):
    # core imports no app: the channel layer's check comes from events through this setting.
    assert settings.HEALTH_CHECKS == {"channel_layer": "events.health.channel_layer"}
    settings.HEALTH_CHECKS = {**settings.HEALTH_CHECKS, "tasks": f"{__name__}.tasks_down"}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "channel_layer": "ok",
        "tasks": "error",
        "failing": ["tasks"],
    }
