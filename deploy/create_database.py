"""Creates DATABASE_URL's PostgreSQL database when it does not exist yet (make prod on a fresh
machine); a server's database is made once by its operator."""

import os
import sys

import environ
import psycopg
from psycopg import sql

url = os.environ.get("DATABASE_URL", "")
config = environ.Env.db_url_config(url) if url else {}
if config.get("ENGINE") != "django.db.backends.postgresql":
    sys.exit(0)
params = {
    "host": config.get("HOST") or None,
    "port": config.get("PORT") or None,
    "user": config.get("USER") or None,
    "password": config.get("PASSWORD") or None,
}
with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
    exists = connection.execute(
        "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
    ).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        print(f"created database {config['NAME']}")
