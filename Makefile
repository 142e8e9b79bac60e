# onething: `make run` sets everything up and serves the demo; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install run demo serve worker test test-pg soak bench lint typecheck clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/onething demo
	$(BIN)/onething serve --host $(HOST) --port $(PORT)

demo: install
	$(BIN)/onething demo

worker: install
	$(BIN)/onething worker

test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-pg: install
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(BIN)/python -m pytest -q -p no:cacheprovider

soak: install
	ONETHING_SOAK_ROUNDS=2000 $(BIN)/python -m pytest -q -p no:cacheprovider tests/long_cases tests/engine/test_long_case.py

bench: install
	$(BIN)/python -m tests.perf.bench_engine

lint: install
	$(BIN)/ruff check engine web adapters tests

typecheck: install
	$(BIN)/mypy --strict engine adapters

clean:
	rm -rf $(VENV) instance .pytest_cache
