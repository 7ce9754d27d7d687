# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

## Install, migrate a local SQLite database, load the demo scenario and serve it on 127.0.0.1:8000.
demo: $(VENV)/.installed
	$(BIN)/netra demo

## Install the development dependencies and run the whole test suite.
test: $(VENV)/.installed-dev
	$(BIN)/pytest -n 2 --dist loadgroup

## Lint and type-check (CI runs this beside the tests).
lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy netra tests bench

serve: $(VENV)/.installed
	$(BIN)/netra serve

clean:
	rm -rf $(VENV) var
