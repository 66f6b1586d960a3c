# Two commands do everything on a machine with Python 3.11+: `make demo` and `make test`.
# The first call creates .venv and installs the project with its test tools.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo demo-dst dev test lint simulator

$(BIN)/marketing-assets: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/marketing-assets
	$(BIN)/marketing-assets demo

# Three UTC days around 2026-11-01, when America/New_York has 25 local hours.
demo-dst: $(BIN)/marketing-assets
	$(BIN)/marketing-assets demo --end 2026-11-03T00:00Z --hours 72

dev: $(BIN)/marketing-assets
	$(BIN)/marketing-assets dev

simulator: $(BIN)/marketing-assets
	$(BIN)/marketing-assets simulator

test: $(BIN)/marketing-assets
	$(BIN)/python -m pytest

lint: $(BIN)/marketing-assets
	$(BIN)/ruff format --check marketing_assets marketing_assets_tests
	$(BIN)/ruff check marketing_assets marketing_assets_tests
