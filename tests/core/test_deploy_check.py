"""Production settings: `check --deploy` is silent, and the security settings are on. Each runs
the settings in a fresh process with the production variables, as a server would."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DATABASE_URL", "EMAIL_URL", "ALLOWED_HOSTS"}
    }
    env.update(
        PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="lernnetzwerk.example",
        DATABASE_URL="postgres://kinderstark:geheim@127.0.0.1:5432/kinderstark",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(extra)
    return env


def test_check_deploy_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_turns_on_https_only_settings():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_HSTS_PRELOAD',"
        "'SECURE_REFERRER_POLICY','SECURE_CONTENT_TYPE_NOSNIFF','SESSION_COOKIE_HTTPONLY',"
        "'SECURE_PROXY_SSL_HEADER','ACCOUNT_DEFAULT_HTTP_PROTOCOL')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"


def test_production_without_secret_key_refuses_to_start():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def database_settings(**extra) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(json.dumps({'ENGINE': d['ENGINE'], 'OPTIONS': d.get('OPTIONS', {})}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(**extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgres_connections_come_from_a_pool_unless_persistent_ones_are_asked_for():
    # Under ASGI each request has a thread of its own: without the pool, every request connects.
    assert database_settings()["OPTIONS"]["pool"]["max_size"] >= 10
    assert "pool" not in database_settings(CONN_MAX_AGE="60")["OPTIONS"]
    assert "pool" not in database_settings(DB_POOL="0")["OPTIONS"]


def test_postgres_binds_parameters_on_the_server_unless_turned_off():
    # PostgreSQL then plans each repeated query once per connection (bench/registration_storm.py);
    # DB_SERVER_SIDE_BINDING=0 for a pooler in front of it that cannot keep prepared statements.
    options = database_settings()["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    options = database_settings(DB_SERVER_SIDE_BINDING="0")["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_sqlite_waits_for_a_writer_instead_of_failing():
    # The server and a management command write at once in the embedded default.
    values = database_settings(DATABASE_URL="sqlite:////tmp/kinderstark-settings.sqlite3")
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in values["OPTIONS"]["init_command"]
    assert values["OPTIONS"]["timeout"] >= 5
