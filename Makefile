# khabar — set-up and everyday commands. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.khabar-installed

.PHONY: demo test lint bench clean-venv postgres-tools web-tools

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/khabar demo

test: $(STAMP) postgres-tools web-tools
	$(PY) -m ruff check src tests bench
	$(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check src tests bench
	$(PY) -m ruff format --check src tests bench

# Every benchmark at its default size (tens of minutes on 2 cores); peers get their own
# environments under bench/.venv-* on first use. Each needs ../shared/data beside the checkout.
BENCHES ?= normalize segment dates dedup search ingest
bench: $(STAMP)
	set -e; for b in $(BENCHES); do echo "== bench/$$b.py"; $(PY) bench/$$b.py; done

postgres-tools:
	sh scripts/ensure-postgres.sh

# Debian chromium + chromium-driver + a Persian font for the browser tests (never a browser download).
web-tools:
	sh scripts/ensure-chromium.sh

clean-venv:
	rm -rf $(VENV)
