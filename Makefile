# Two commands do everything on a fresh machine:
#   make run    set up and start the dashboard on the embedded demo store (data/sla.duckdb)
#   make test   set up and run every test (lint, types, core, app, browser)
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test setup system-deps lint bench demo

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

setup: $(VENV)/.installed

# Browser and spreadsheet tools for the end-to-end and export tests (Debian packages).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v libreoffice >/dev/null || ! command -v pdftoppm >/dev/null || ! fc-list | grep -qi 'Noto Sans CJK'; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q chromium libreoffice-calc poppler-utils fonts-noto-cjk >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium libreoffice-calc poppler-utils fonts-noto-cjk >/dev/null; }; \
	fi

run: setup
	$(BIN)/python -m ui.serve --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy  # strict for sla_core/ (pyproject.toml [tool.mypy])
	$(BIN)/python -m pytest

demo: setup
	$(BIN)/python -m sla_core demo --db data/sla.duckdb

bench: setup
	$(BIN)/python -m sla_core bench
