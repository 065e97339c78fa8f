# samizdat: `make` sets up .venv and builds every output; `make test` runs the whole test suite.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: all build test lint check-system cover bench-impose bench-build clean

all: build

## Debian packages samizdat needs at run time (Pango) and wants (HarfBuzz subsetting: faster, reproducible).
check-system:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "samizdat needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@/sbin/ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || \
	  { echo "Pango is missing: install it with  sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; exit 1; }
	@/sbin/ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' || \
	  echo "note: HarfBuzz subsetting is missing, so fonts are subset with fontTools (about 5x slower)." \
	       "Install it with  sudo apt-get install libharfbuzz-subset0"

$(STAMP): pyproject.toml | check-system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

build: $(STAMP)
	$(BIN)/python build.py

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check samizdat tests build.py

## Build speed: ratios to one plain weasyprint render, measured in the same run.
bench-build: $(STAMP)
	$(BIN)/python bench/build.py

## Imposition speed and size against pdfimpose (installs pdfimpose into .venv).
bench-impose: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/impose.py

## The picture of the cover in the README, rendered from the built pamphlet.
cover: build
	$(BIN)/python -c 'import pypdfium2 as p; p.PdfDocument("output/stop-the-war/stop-the-war-a5.pdf")[0].render(scale=1).to_pil().save("docs/cover.png", optimize=True)'

clean:
	rm -rf output $(VENV)
