"""core/db/sqlite3: a closed connection to a database file is handed to the next one."""

import pytest

from core.db.sqlite3 import base as pool
from core.db.sqlite3.base import DatabaseWrapper


def wrapper(path, size=2):
    """A connection of its own to a database file, whatever database the suite runs on."""
    return DatabaseWrapper(
        {
            "ENGINE": "core.db.sqlite3",
            "NAME": str(path),
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "TEST": {},
            "OPTIONS": {"pool": size, "init_command": "PRAGMA synchronous=NORMAL;"},
        },
        alias="pool-test",
    )


@pytest.fixture(autouse=True)
def empty_pool(django_db_blocker):
    with django_db_blocker.unblock():
        yield
    for idle in pool._idle.values():
        for conn in idle:
            conn.close()
    pool._idle.clear()


def test_a_closed_connection_is_used_again(tmp_path):
    first = wrapper(tmp_path / "db.sqlite3")
    first.ensure_connection()
    raw = first.connection
    with first.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys = OFF")
    first.close()
    assert first.connection is None

    second = wrapper(tmp_path / "db.sqlite3")
    second.ensure_connection()
    assert second.connection is raw
    with second.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1  # as on a new connection
    second.close()


def test_a_connection_in_a_transaction_is_closed_and_the_pool_has_a_limit(tmp_path):
    path = tmp_path / "db.sqlite3"
    busy = wrapper(path)
    busy.ensure_connection()
    busy.connection.execute("BEGIN")
    busy.connection.execute("CREATE TABLE t (x)")
    busy.close()
    assert pool._idle.get((str(path), busy._pool_key()[1]), []) == []

    opened = [wrapper(path, size=2) for _ in range(3)]
    for db in opened:
        db.ensure_connection()
    for db in opened:
        db.close()
    assert len(pool._idle[(str(path), opened[0]._pool_key()[1])]) == 2


def test_without_the_option_nothing_is_kept(tmp_path):
    db = wrapper(tmp_path / "db.sqlite3", size=0)
    db.ensure_connection()
    db.close()
    assert pool._idle == {}
