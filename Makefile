# onething: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install assets browser run demo serve worker test test-pg soak bench lint typecheck clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP) assets

# front-end packages (bpmn-js, chart.js, htmx) from npm; served by the app, never committed
ASSETS := node_modules/.installed-$(shell cat package.json | sha1sum | cut -c1-12)
$(ASSETS): package.json
	npm install --no-audit --no-fund --loglevel=error
	rm -f node_modules/.installed-*
	touch $@

assets: $(ASSETS)

# Debian's chromium and a CJK font for the browser tests (Playwright drives it; no
# browser download)
browser:
	@{ test -x /usr/bin/chromium && test -d /usr/share/fonts/opentype/noto; } || { \
	  echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-noto-cjk \
	    >/dev/null 2>&1 || { \
	    $$SUDO apt-get update -q >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium fonts-noto-cjk \
	      >/dev/null; } || \
	  echo "warning: could not install chromium; browser tests will skip"; }

run: install
	$(BIN)/onething demo
	$(BIN)/onething serve --host $(HOST) --port $(PORT)

demo: install
	$(BIN)/onething demo

worker: install
	$(BIN)/onething worker

test: install browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-pg: install browser
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest -q -p no:cacheprovider

soak: install
	ONETHING_SOAK_ROUNDS=2000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/runtime/long_cases tests/runtime/test_long_case.py

bench: install
	$(BIN)/python -m tests.perf.bench_engine

lint: install
	$(BIN)/ruff check engine web adapters tests

typecheck: install
	$(BIN)/mypy --strict engine adapters

clean:
	rm -rf $(VENV) instance .pytest_cache
