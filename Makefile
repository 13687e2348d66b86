# The two commands: `make run` (serve the demo on SQLite) and `make test` (everything CI checks).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PYTEST_WORKERS ?= auto
TEST_ENV := DJANGO_SETTINGS_MODULE=config.settings.test

.PHONY: run demo test install install-dev lint format check pytest browser-deps pdf-deps bench-deps collectstatic bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: pdf-deps $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

## Migrate, load the territories and the demo data (idempotent: safe and fast to re-run).
demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_territories
	$(MANAGE) seed_content
	$(MANAGE) seed_demo

## Serve http://127.0.0.1:8000 on SQLite with the demo data.
run: demo
	$(MANAGE) runserver 127.0.0.1:8000

## Debian's chromium drives the browser tests (Playwright cannot download browsers here).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

## Debian's nginx: the reverse proxy of the multi-node benches (bench.load/bench.faults --nodes 2) and its tests.
bench-deps:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null)

## WeasyPrint (statistics PDF) needs Pango and HarfBuzz from Debian; installed only when missing.
pdf-deps:
	@ldconfig -p | grep -q libpango-1.0 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev
	$(TEST_ENV) $(MANAGE) check --fail-level WARNING
	$(TEST_ENV) $(MANAGE) makemigrations --check --dry-run --noinput

## loadgroup: the tests of one xdist_group (the demo world) share a worker, so it is built once per run.
pytest: install-dev browser-deps pdf-deps bench-deps
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

## Lint, system checks, missing migrations, then the whole test suite.
test: lint check pytest

collectstatic: install
	DJANGO_SETTINGS_MODULE=config.settings.base $(MANAGE) collectstatic --noinput

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-shm db.sqlite3-wal
