# Union KPI Board — the two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8501
DB := data/kpi.db
SYSTEM_PACKAGES := chromium fonts-noto-cjk fonts-dejavu-core poppler-utils

.PHONY: run run-cores test lint format db seed system-deps office-deps test-office bench test-postgres clean help

help:
	@echo "make run    - create .venv, install, build $(DB) if missing, start the app on port $(PORT)"
	@echo "make test   - install test deps (and chromium + CJK fonts as root), lint, run pytest"
	@echo "make run-cores - one app server per core behind nginx on port $(PORT) (deploy/run-per-core.sh)"
	@echo "make bench  - benchmarks (not timed tests); make test-postgres - the suite on PostgreSQL"
	@echo "make test-office - install LibreOffice Impress (as root) and check the PPTX as it renders"

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

# Debian packages the browser tests and PDF checks need: installed when root, checked otherwise.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf || missing="$$missing fonts-dejavu-core"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (run as root: apt-get install $(SYSTEM_PACKAGES)); browser tests will be skipped"; \
	  fi; \
	fi

# LibreOffice Impress renders the PPTX deck as the audience's office suite would. Only
# test-office installs it (a few hundred MB), so `make test` stays quick; there its tests skip.
OFFICE_PACKAGES := libreoffice-impress
office-deps:
	@if ! command -v soffice >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages: $(OFFICE_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(OFFICE_PACKAGES) >/dev/null; \
	  else \
	    echo "missing Debian packages: $(OFFICE_PACKAGES) (run as root: apt-get install $(OFFICE_PACKAGES))"; \
	  fi; \
	fi

test-office: $(VENV)/.dev-installed system-deps office-deps
	$(PY) -m pytest -q tests/test_pack_office.py

$(DB): $(VENV)/.installed
	$(PY) -m lib.cli db init

db: $(DB)

seed: $(VENV)/.installed
	$(PY) -m lib.cli db seed

run: $(VENV)/.installed $(DB)
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT)

# One app server per core behind nginx on this machine (deploy/run-per-core.sh; nginx needed).
run-cores: $(VENV)/.installed $(DB)
	deploy/run-per-core.sh $(PORT)

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/vulture

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The deploy recipe's end-to-end test (nginx + PostgreSQL) runs in test-postgres, which CI runs next.
test: $(VENV)/.dev-installed system-deps lint
	$(PY) -m pytest -n 2 --dist loadfile -q -m "not deploy"

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache

# The suite against a throwaway PostgreSQL cluster on a loopback port (installs postgresql as root).
test-postgres: $(VENV)/.dev-installed system-deps
	scripts/test-postgres.sh

# Benchmarks: synthetic national-scale stores, page/query/import/memory timings → bench/results/.
bench: $(VENV)/.dev-installed system-deps
	$(PY) -m bench.run
