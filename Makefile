# Vrijetijdsnet: every target runs from a bare python3; `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install run test lint format migrate demo reindex bench bench-search-page browser-deps check vendor

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $(INSTALLED)

install: $(INSTALLED) ## Create .venv and install the pinned packages

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the real neighbourhoods, the demo catalogue and the demo users (idempotent)
	$(BIN)/python manage.py load_demo

LEAFLET := static/vendor/leaflet/leaflet.js.map
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

# The source map goes too: leaflet.js names it, and the production static files storage refuses a missing one.
$(LEAFLET): node_modules/.package-lock.json
	mkdir -p static/vendor/leaflet
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/

vendor: $(LEAFLET) ## Copy the front-end packages from npm (Leaflet) into the static files

run: demo vendor ## Set everything up and serve the portal on http://127.0.0.1:8000 (SQLite)
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

reindex: migrate ## Rebuild the search indexes from the published catalogue
	$(BIN)/python manage.py reindex

BENCH_PG ?= postgres://postgres@127.0.0.1:5432/bench_vrijetijdsnet
bench: install ## Search latency at 10k and 100k offers, SQLite and PostgreSQL, against the Wagtail baseline
	DATABASE=sqlite:////tmp/vrijetijdsnet-bench.sqlite3 $(BIN)/python bench/search_latency.py --sizes 10000 100000
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'bench_vrijetijdsnet'" | grep -q 1 || \
		psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_vrijetijdsnet"
	DATABASE=$(BENCH_PG) $(BIN)/python bench/search_latency.py --sizes 10000 100000

BENCH_PAGE_PG ?= postgres://postgres@127.0.0.1:5432/bench_search_page
BENCH_PAGE_REDIS ?= redis://127.0.0.1:6379/0
bench-search-page: install vendor ## The public search page under 20 connections: gunicorn, production settings, 10k offers, wrk
	@command -v wrk >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'bench_search_page'" | grep -q 1 || \
		psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE bench_search_page"
	DATABASE=$(BENCH_PAGE_PG) REDIS_URL=$(BENCH_PAGE_REDIS) $(BIN)/python bench/search_page_load.py

browser-deps: ## Install Debian's chromium and axe-core for the browser suite, when missing
	@command -v chromium >/dev/null || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

# One worker more than the cores: the browser tests run on one worker, which mostly waits on chromium and its
# servers. PYTEST_ARGS narrows a run, e.g. PYTEST_ARGS="-m 'not browser'".
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: install browser-deps vendor ## Run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

check: install ## Django system checks and a check for missing migrations
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## ruff fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
