# The README's two commands: `make run` and `make test`. Both set everything up on a fresh machine.
# `make prod` starts the production topology of deploy/ on this machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
# make run serves on 8000, make prod on 8080, unless PORT says otherwise.
RUN_PORT  := $(or $(PORT),8000)
PROD_PORT := $(or $(PORT),8080)
# make prod's sockets, nginx prefix and logs.
PROD_DIR  := $(CURDIR)/var/prod

.PHONY: run prod test setup lint check serve demo messages clean

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "pip==26.3"
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]"
	touch $@

## setup: install, compile translations, migrate, collect static files
setup: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v 0

## run: set everything up, load the demo data and serve http://127.0.0.1:8000 (ASGI, daphne)
##      with a task worker beside it
# Links in mails, calendar files and certificates point at the server make run starts.
run: export SITE_URL ?= http://$(HOST):$(RUN_PORT)
run: setup
	$(PY) manage.py load_demo
	@echo "kinderstark Lernnetzwerk: http://$(HOST):$(RUN_PORT)/  (demo password: kinderstark-demo)"
	# The task worker sends the mails (core.mail); it stops when the server does.
	$(PY) manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	SITE_URL=$${SITE_URL:-http://$(HOST):$(RUN_PORT)} $(PY) manage.py runserver $(HOST):$(RUN_PORT)

## prod: the production topology (nginx, gunicorn, two daphne) on PostgreSQL and Redis, with the
## demo data, at http://127.0.0.1:8080 (deploy/, README "Production"); Ctrl-C stops it all
# deploy/prod.sh does it all (the fault suite, tests/fault, starts the topology with it too).
prod: export HOST := $(HOST)
prod: export PORT := $(PROD_PORT)
prod: export RUN := $(PROD_DIR)
prod: $(VENV)/.installed
	deploy/prod.sh

## lint: style, which app imports which (import-linter), migrations and translations, as CI checks them
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## test: install what the tests need and run them all (PostgreSQL/Redis/Chromium where reachable)
test: lint
	$(PY) tests/run.py

## messages: update the translation catalogues after changing user-facing strings
messages: $(VENV)/.installed
	for app in core cms events; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l de --no-obsolete -v 0); done
	(cd training && ../$(PY) ../manage.py makemessages -l de --no-obsolete -v 0 \
		--ignore=evaluation)
	(cd network && ../$(PY) ../manage.py makemessages -l de --no-obsolete -v 0 \
		--ignore=forums --ignore=practice)
	for app in network/forums network/practice training/evaluation; do \
		(cd $$app && ../../$(PY) ../../manage.py makemessages -l de --no-obsolete -v 0); done
	$(PY) manage.py makemessages -l de --no-obsolete -v 0 \
		--ignore=.venv --ignore=core --ignore=network --ignore=training --ignore=cms --ignore=events

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
