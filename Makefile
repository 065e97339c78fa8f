# samizdat: `make` sets up .venv and builds every output; `make test` runs the whole test suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all compile build test test-hostile lint check-system cover bench-impose bench-build bench-typography clean

all: build

## Debian packages samizdat needs at run time (Pango) and wants (HarfBuzz subsetting: faster):
## installed when make runs as root with apt-get, else make stops with the command to run.
check-system:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "samizdat needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@.ci/debian-packages

$(STAMP): pyproject.toml | check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

## samizdat's own modules compiled once: where PYTHONDONTWRITEBYTECODE is set (this machine's environment sets it),
## Python would otherwise compile them again in every process, 0.3-0.5 s of each build and of each test's.
compile: $(STAMP)
	@$(BIN)/python -m compileall -q samizdat build.py bench

build: compile
	$(BIN)/python build.py

## Each test module on one worker (--dist loadscope): a module's shared build is made once, not once per worker.
test: compile
	@.ci/debian-packages --tests
	$(BIN)/python -m pytest -n 2 --dist loadscope

## The hostile suite alone: attacks, broken input, faults, leaks, reproducibility across clones.
test-hostile: compile
	$(BIN)/python -m pytest -n 2 --dist loadscope tests/hostile

lint: $(STAMP)
	$(BIN)/ruff check samizdat tests build.py

## Build speed: ratios to one plain weasyprint render, measured in the same run.
bench-build: compile
	$(BIN)/python bench/build.py

## Imposition speed and size against pdfimpose (installs pdfimpose into .venv).
bench-impose: compile
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/impose.py

## Paragraphs: word spaces, hyphens and runts of each text's A5 PDF beside Typst's (installs typst into .venv).
bench-typography: compile
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/typography.py

## The pictures of the covers in the README (each design, and the back cover), from the statement.
cover: $(STAMP)
	$(BIN)/python docs/covers.py

clean:
	rm -rf output $(VENV)
