# Two commands do everything on a machine with Python 3.11+: `make demo` and `make test`.
# The first call creates .venv and installs the project with its test tools.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo demo-dst dev test lint simulator browser

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

# The browser test drives Debian's Chromium; test tools' own browser downloads are not used.
# Installing needs root (CI runs as root); without Chromium the test skips outside CI.
browser:
	@if [ -x /usr/bin/chromium ]; then echo "Chromium is installed: /usr/bin/chromium"; \
	else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; fi

lint: $(BIN)/marketing-assets
	$(BIN)/ruff format --check marketing_assets marketing_assets_tests
	$(BIN)/ruff check marketing_assets marketing_assets_tests
