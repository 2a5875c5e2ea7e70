# The set-up contract (SPEC §5): `make run` brings the portal up, `make test` runs the whole suite.
# Both install what they need; installs are skipped when their inputs have not changed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
NPM_FLAGS := --no-audit --no-fund --loglevel=error

# Built static assets (scripts/build-assets.mjs): purged Bootstrap, the Persian-only font, our CSS and
# JS minified. Rebuilt when a template, our CSS/JS, a Python module naming CSS classes or the npm
# packages change. crispy-forms' Bootstrap 5 templates (in the venv) are read for the classes they use.
ASSETS := var/build/.built
ASSET_INPUTS := $(shell find templates static */templates -name '*.html' -o -name '*.css' -o -name '*.js' 2>/dev/null) \
  $(wildcard */forms.py */desk_forms.py */layout.py) scripts/build-assets.mjs
CRISPY_TEMPLATES = $(firstword $(wildcard $(VENV)/lib/python3*/site-packages/crispy_bootstrap5/templates))

# Overrides honoured by scripts/ (e.g. `make run PG_PORT=1 REDIS_PORT=1` forces the embedded mode).
export PG_HOST PG_PORT PG_USER PG_DB REDIS_HOST REDIS_PORT WEB_HOST WEB_PORT

.PHONY: help run test install install-dev messages messages-required ci grep-rules lint-imports migrations-check services clean

help:
	@echo "make run    install, migrate, seed demo data, start web + worker + beat on http://127.0.0.1:8000"
	@echo "make test   install dev tools, make sure PostgreSQL and Redis answer, run the whole suite"
	@echo "make grep-rules | make lint-imports | make services | make clean"

run: install
	@scripts/run.sh

test: install-dev
	@scripts/test.sh $(PYTEST_ARGS)

install: $(VENV)/.installed-runtime node_modules/.installed $(ASSETS) messages
install-dev: $(VENV)/.installed-dev node_modules/.installed $(ASSETS) messages-required

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: sudo apt-get install python3 python3-venv"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "$(PYTHON) is older than 3.11; install Python 3.11"; exit 1; }
	@echo "==> creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { echo "venv failed: sudo apt-get install python3-venv"; exit 1; }
	@$(PY) -m pip install -q --upgrade pip

# Stamps live inside .venv/ and node_modules/, so deleting either folder reinstalls it.
$(VENV)/.installed-runtime: requirements.txt | $(PY)
	@echo "==> pip install -r requirements.txt"
	@$(PY) -m pip install -q -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	@echo "==> pip install -r requirements-dev.txt"
	@$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-runtime

$(ASSETS): node_modules/.installed $(ASSET_INPUTS) | $(PY)
	@echo "==> building static assets (scripts/build-assets.mjs)"
	@node scripts/build-assets.mjs $(if $(CRISPY_TEMPLATES),"$(CRISPY_TEMPLATES)/**/*.html")
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed: sudo apt-get install nodejs npm"; exit 1; }
	@echo "==> npm ci"
	@npm ci $(NPM_FLAGS)
	@touch $@

messages: $(VENV)/.installed-runtime
	@scripts/compilemessages.sh

messages-required: $(VENV)/.installed-dev
	@scripts/compilemessages.sh --required

services:
	@bash -c 'source scripts/lib.sh && services_up && pg_answers && redis_answers && echo "PostgreSQL and Redis answer"'

grep-rules:
	@scripts/grep-rules.sh

# Models and migrations agree (no migration missing, none recording this machine's paths).
migrations-check: $(VENV)/.installed-dev
	@scripts/migrations-check.sh

# The layers of STYLE.md as import contracts (.importlinter).
lint-imports: $(VENV)/.installed-dev
	@$(VENV)/bin/lint-imports

ci:
	@.ci/run

clean:
	rm -rf var/staticfiles var/cache var/broker var/build
