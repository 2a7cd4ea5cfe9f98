# The README's quick start. `make run` and `make test` work on a fresh clone with only Python 3.11+.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test lint bench bench-smoke clean distclean store chromium screenshot

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installed marker files: re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

## run: set up, build the store if there is none (AIJOBS_MIRROR, the network, or a labelled demo), serve on 127.0.0.1
run: $(VENV)/.installed
	$(PY) -m etl ensure-store
	@echo ""
	@echo "  Dashboard: http://127.0.0.1:$(PORT)   (Ctrl+C to stop)"
	@echo ""
	$(PY) -m dashboard.serve --server.address 127.0.0.1 --server.port $(PORT)

## store: (re)build the store from the configured sources (or AIJOBS_MIRROR)
store: $(VENV)/.installed
	$(PY) -m etl refresh

## chromium: Debian's Chromium for the browser tests (installed when running as root)
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is not installed and we are not root: browser tests will be skipped"; fi

## test: set up with the test extra and run the whole suite (unit, integration on ../shared/data, browser)
test: $(VENV)/.installed-test chromium
	$(PY) -m pytest

## lint: ruff
lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check etl dashboard tests benchmarks scripts

## bench: the benchmark table (benchmarks/RESULTS.md)
bench: $(VENV)/.installed-test chromium
	$(PY) benchmarks/run.py

## bench-smoke: the benchmark at its smallest size (CI: proves it works; no timing asserts)
bench-smoke: $(VENV)/.installed-test chromium
	$(PY) benchmarks/run.py --sizes 100k --quick

## screenshot: regenerate docs/screenshot.png from the real app
screenshot: $(VENV)/.installed-test chromium
	$(PY) scripts/screenshot.py

clean:
	rm -rf data/processed data/raw data/cache benchmarks/data tests/screenshots screenshots \
		.pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
