#!/usr/bin/env bash
# The production topology of deploy/ on this machine: `make prod` runs it, and so does the fault
# suite (tests/fault), so there is one way to start it. Creates the database if needed, compiles
# the catalogues, migrates, collects static files, loads the demo data, renders the nginx site
# for an unprivileged nginx and runs deploy/Procfile with honcho (nginx, gunicorn, two daphne, two
# task workers) in the foreground; Ctrl-C (SIGINT/SIGTERM to honcho) stops it all.
#
# DATABASE_URL, REDIS_URL  PostgreSQL and Redis (their local addresses by default)
# HOST, PORT               where nginx listens (127.0.0.1:8080)
# RUN                      the processes' sockets, nginx's prefix (var/prod)
# RESTART=1                a process that dies is started again a second later, as systemd's
#                          Restart= does on a server (honcho alone stops everything then; the
#                          fault suite kills processes on purpose)
# SITE_URL, TRUSTED_PROXY_COUNT, GUNICORN_WORKERS and every other setting pass through.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8080}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kinderstark}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
export TRUSTED_PROXY_COUNT="${TRUSTED_PROXY_COUNT:-1}"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-3}"
export RUN="${RUN:-$ROOT/var/prod}"

"$PY" deploy/create_database.py
"$PY" manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py collectstatic --no-input -v 0
"$PY" manage.py load_demo
mkdir -p "$RUN/nginx/temp"
cp deploy/nginx/local.conf "$RUN/nginx/nginx.conf"
sed -e "s#/run/kinderstark#$RUN#g" -e "s#/srv/kinderstark#$ROOT#g" \
  -e "s#listen 80;#listen $HOST:$PORT;#" \
  deploy/nginx/kinderstark.conf >"$RUN/nginx/site.conf"
PROCFILE=deploy/Procfile
if [ "${RESTART:-0}" = 1 ]; then
  PROCFILE="$RUN/Procfile"
  sed -E 's/^([A-Za-z0-9_]+): (.*)$/\1: while :; do \2; sleep 1; done/' deploy/Procfile >"$PROCFILE"
fi
echo "kinderstark Lernnetzwerk (production topology): $SITE_URL/  (demo password: kinderstark-demo)"
exec "$ROOT/.venv/bin/honcho" --procfile "$PROCFILE" --app-root "$ROOT" start
