# One command each; `make help` lists them. Every target creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: help install run serve test test-fast lint fmt validate clean recognition precision cosing regulation system-deps screenshot
.PHONY: bench load bench-deps ocr

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the app with its test tools

run: $(STAMP)  ## serve http://127.0.0.1:5000
	$(BIN)/flask --app app run --host 127.0.0.1 --port 5000

serve: $(STAMP)  ## serve with gunicorn on 127.0.0.1:8000 (settings: gunicorn.conf.py, AFTERCARE_*)
	$(BIN)/gunicorn -c gunicorn.conf.py

lint: $(STAMP)  ## ruff (lint and format check) and mypy --strict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(STAMP)  ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint system-deps  ## everything CI runs: lint, types, the whole test suite (5-8 min on 2 cores)
	@echo "== the whole test suite, browser and OCR included (5-8 minutes on 2 cores)"
	$(BIN)/pytest

test-fast: $(STAMP)  ## the edit loop: every test but the browser and OCR ones, no lint; ARGS="-k name" picks
	$(BIN)/pytest -m "not browser and not ocr" $(ARGS)

# The browser tests drive Debian's chromium; label photos are read by tesseract, and the
# OCR tests draw their labels in Liberation Sans.
SYSTEM_PACKAGES := chromium fonts-liberation tesseract-ocr tesseract-ocr-eng
LABEL_FONT := /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
system-deps:  ## install Debian's chromium, tesseract-ocr and fonts-liberation when missing (apt-get, as root)
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/tesseract ] && [ -f $(LABEL_FONT) ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "Run as root: apt-get install -y $(SYSTEM_PACKAGES)" >&2; exit 1; fi; \
	$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES)

screenshot: $(STAMP) system-deps  ## retake docs/screenshot-answer.png (the answer page on a phone)
	$(BIN)/python docs/screenshot.py

validate: $(STAMP)  ## validate the knowledge and print a report
	$(BIN)/flask --app app validate

# Speed is measured here, never in tests; neither target is part of `make test`.
bench: $(STAMP) bench-deps  ## speed figures beside their goals (docs/benchmarks.md); ARGS="--only ab"
	$(BIN)/python benchmarks/bench.py $(ARGS)

CONNECTIONS ?= 64
DURATION ?= 60
SLOW_CLIENTS ?= 64
load: $(STAMP) bench-deps  ## bounded loopback load test of gunicorn with an abuse mix beside it (CONNECTIONS=64 DURATION=60 SLOW_CLIENTS=64)
	$(BIN)/python benchmarks/load.py --connections $(CONNECTIONS) --seconds $(DURATION) --slow-clients $(SLOW_CLIENTS) $(ARGS)

bench-deps:  ## install Debian's wrk (the HTTP load generator) when missing
	@if command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; \
	elif command -v sudo >/dev/null; then SUDO=sudo; \
	else echo "Run as root: apt-get install -y wrk" >&2; exit 1; fi; \
	$$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends wrk

ocr: $(STAMP) system-deps  ## label photos at graded qualities read as typed? per quality: same answer, ingredients, p50/p99 s (ARGS="--limit 20")
	$(BIN)/python benchmarks/ocr.py $(ARGS)

recognition: $(STAMP)  ## how much of the dev labels the checker reads, and how fast (ARGS="--show 20")
	$(BIN)/python benchmarks/recognition.py $(ARGS)

precision: $(STAMP)  ## false alarms and misses on ../shared/data/aftercare-dev.csv, every procedure
	$(BIN)/python benchmarks/precision.py $(ARGS)

cosing: $(STAMP)  ## regenerate knowledge/cosing.ttl from ../shared/data/cosing-inci.csv
	$(BIN)/python scripts/generate_cosing.py

regulation: $(STAMP)  ## regenerate knowledge/regulation.ttl from ../shared/data/regulation/
	$(BIN)/python scripts/generate_regulation.py

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache
