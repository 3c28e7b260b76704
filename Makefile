# The README's two commands: `make run` and `make test`. Both set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test setup lint check serve demo messages clean

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
# Links in mails, calendar files and certificates point at the server make run starts.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(PY) manage.py load_demo
	@echo "kinderstark Lernnetzwerk: http://$(HOST):$(PORT)/  (demo password: kinderstark-demo)"
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(PY) manage.py runserver $(HOST):$(PORT)

## lint: style, migrations and translations, as CI checks them
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

## test: install what the tests need and run them all (PostgreSQL/Redis/Chromium where reachable)
test: lint
	$(PY) tests/run.py

## messages: update the translation catalogues after changing user-facing strings
messages: $(VENV)/.installed
	for app in core training cms events; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l de --no-obsolete -v 0); done
	(cd network && ../$(PY) ../manage.py makemessages -l de --no-obsolete -v 0 \
		--ignore=forums --ignore=practice)
	for app in network/forums network/practice; do \
		(cd $$app && ../../$(PY) ../../manage.py makemessages -l de --no-obsolete -v 0); done
	$(PY) manage.py makemessages -l de --no-obsolete -v 0 \
		--ignore=.venv --ignore=core --ignore=network --ignore=training --ignore=cms --ignore=events

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
