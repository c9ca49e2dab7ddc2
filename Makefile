# yearbook — the front door. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

RAW ?= data/raw
PROCESSED ?= data/processed
SITE ?= site
STRICT ?= 1
YEAR ?=
FORCE ?= 0
OUT ?= data/templates
INBOX ?=
SCALE ?= 1
PORT ?= 8000

YEAR_ARG := $(if $(YEAR),--year $(YEAR),)
COMMON := --raw $(RAW) --processed $(PROCESSED) --site $(SITE) $(if $(filter 0,$(STRICT)),--no-strict,--strict)

.PHONY: help yearbook yearbook-all preview validate sample test lab clean venv chromium printlibs templates spec receive status

help:
	@echo "make yearbook YEAR=2022   audit, compute and publish the yearbook of one year (latest if YEAR is empty)"
	@echo "make yearbook-all         every year under RAW, plus SITE/index.html linking them"
	@echo "make preview YEAR=2022    serve SITE on 127.0.0.1:PORT ($(PORT)), rebuild on every change, reload open pages"
	@echo "make validate YEAR=2022   ingest and audit only (validation.csv, feedback workbooks)"
	@echo "make sample               regenerate the shipped sample district under data/raw (SCALE=N RAW=DIR: N times larger)"
	@echo "make templates YEAR=2025  Excel templates of every expected (form, unit) under OUT=$(OUT)/YEAR"
	@echo "make spec                 the reporting system document (docs/reporting-system.md, OUT/报表制度.html)"
	@echo "make receive YEAR=2024 INBOX=folder   file e-mailed returns under RAW/YEAR (收表登记.csv)"
	@echo "make status YEAR=2024     submission board: PROCESSED/YEAR/status.csv, 催报名单.xlsx, 更正情况.csv"
	@echo "make test                 the test suite"
	@echo "make lab                  JupyterLab on the project's kernel"
	@echo "make clean                remove processed data, site and build"
	@echo "variables: YEAR RAW=$(RAW) PROCESSED=$(PROCESSED) SITE=$(SITE) STRICT=$(STRICT) FORCE=$(FORCE)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

yearbook: $(STAMP) printlibs
	$(BIN)/yearbook build $(YEAR_ARG) $(COMMON) $(if $(filter 1,$(FORCE)),--force,)

yearbook-all: $(STAMP) printlibs
	$(BIN)/yearbook build --all $(COMMON) $(if $(filter 1,$(FORCE)),--force,)

preview: $(STAMP)
	$(BIN)/yearbook preview $(YEAR_ARG) $(COMMON) --port $(PORT)

validate: $(STAMP)
	$(BIN)/yearbook validate $(YEAR_ARG) $(COMMON)

templates: $(STAMP)
	@test -n "$(YEAR)" || { echo "make templates 需要 YEAR，如 make templates YEAR=2025"; exit 2; }
	$(BIN)/yearbook templates --year $(YEAR) --raw $(RAW) --out $(OUT)

spec: $(STAMP)
	$(BIN)/yearbook spec --out $(OUT)

receive: $(STAMP)
	@test -n "$(YEAR)" -a -n "$(INBOX)" || { echo "make receive 需要 YEAR 和 INBOX，如 make receive YEAR=2024 INBOX=收件"; exit 2; }
	$(BIN)/yearbook receive --year $(YEAR) --inbox "$(INBOX)" $(COMMON)

status: $(STAMP)
	$(BIN)/yearbook status $(YEAR_ARG) $(COMMON)

sample: $(STAMP)
	$(BIN)/yearbook sample --out $(RAW) --scale $(SCALE)

test: $(STAMP) chromium printlibs
	$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

# The offline test loads every page in Debian's chromium; install it when missing and we may (root, apt).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser test"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "warning: /usr/bin/chromium is missing: run 'sudo apt-get install chromium' for the browser test"; fi; \
	fi

# The printed book (WeasyPrint) needs Debian's pango; install it when missing and we may (root, apt). Without it
# the build still publishes the site and says in one line that the PDF was skipped.
printlibs:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's pango for the printed book"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "warning: pango is missing: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0' for the PDF"; fi; \
	fi

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	cd notebooks && ../$(BIN)/jupyter lab --notebook-dir=. $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

clean:
	rm -rf $(PROCESSED)/[0-9]* $(SITE) build
