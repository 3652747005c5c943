# Concertation: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite install install-test messages extract-messages lint format migrations-check bench bench-burden bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

## Front-end packages from package-lock.json: the design system's tokens, axe-core for the tests.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-test: $(VENV)/.installed-test node_modules/.installed

## Compile the translation catalogues (needs gettext's msgfmt).
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || scripts/require-packages gettext
	$(MANAGE) compilemessages --ignore "$(VENV)" -v 0

## Extract new interface strings into the French catalogue (then translate them there).
extract-messages: $(VENV)/.installed
	$(MANAGE) makemessages -l fr --no-obsolete --ignore "*/migrations/*" --ignore "$(VENV)/*" --ignore "node_modules/*" \
		--ignore "var/*" --ignore "tests/*" --ignore "benches/*" --ignore "scripts/*"

## Serve the site with demo data on http://$(HOST):$(PORT) (SQLite under var/), with the
## rounds scheduler beside the server (scripts/serve; Ctrl-C stops both).
run: messages node_modules/.installed
	mkdir -p var
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) createcachetable
	$(MANAGE) load_demo
	$(MANAGE) ensure_admin
	scripts/serve $(HOST) $(PORT)

## The whole suite against a real Elasticsearch and PostgreSQL (started and stopped here).
test: install-test
	scripts/test $(ARGS)

## Unit tests only, on SQLite, without Elasticsearch (its tests are skipped).
test-sqlite: install-test messages
	env -u DATABASE_URL -u ELASTICSEARCH_URL $(BIN)/pytest $(ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

## Every benchmark, one table of measures against their targets (benches/run.py):
## the quick scale by default, SCALE=1 for the full one (see docs/performance.md).
SCALE ?= 0.1
bench: install
	$(BIN)/python benches/run.py --scale $(SCALE) $(ARGS)

## Time the representation burden over 10,000 organizations, 50,000 seats and 500,000
## meetings on PostgreSQL (DATABASE_URL's server, or a throwaway cluster started here), in
## a throwaway database: see docs/burden.md. A quick run: make bench-burden ARGS="--scale 0.01".
bench-burden: install
	$(BIN)/python benches/burden.py $(ARGS)

## Time the archive search over 100,000 documents (10,000 organizations and 90,000 fora):
## full rebuild against a plain bulk, faceted API query against the raw request. Needs
## Elasticsearch (ELASTICSEARCH_URL's, or a throwaway node started here) and PostgreSQL
## (as bench-burden): see docs/search.md. A quick run: make bench-search ARGS="--scale 0.02".
bench-search: install
	$(BIN)/python benches/search.py $(ARGS)

clean:
	rm -rf $(VENV) var
