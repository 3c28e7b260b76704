"""The database connection as production uses it: on PostgreSQL a query's parameters travel apart
from its SQL (server-side binding), and what every request asks is planned once per connection
(psycopg's prepared statements)."""

import pytest
from django.db import connection

from core.auth_backends import request_user_queryset
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def test_postgres_receives_the_parameters_apart_from_the_sql():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::int, query FROM pg_stat_activity WHERE pid = pg_backend_pid()", [4711]
        )
        value, seen_by_postgres = cursor.fetchone()
    assert value == 4711
    assert "$1" in seen_by_postgres
    assert "4711" not in seen_by_postgres


def test_the_request_users_query_is_prepared_once_it_repeats():
    user = UserFactory()
    for _ in range(6):  # psycopg prepares a statement on its fifth run on a connection
        assert request_user_queryset().get(pk=user.pk) == user
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "core_user"' in sql and "_unread_notifications" in sql for sql in prepared)
