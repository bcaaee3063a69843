# Two commands for a newcomer: `make site` and `make test`.
# Everything else here is a step those two depend on.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# axe-core, the accessibility checker the browser tests run in each page
# (from the npm registry, pinned; into a git-ignored folder)
AXE_VERSION := 4.10.3
AXE    := .ea-test/node_modules/axe-core/axe.min.js
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test lint serve clean graphviz chromium

## Set everything up, validate the example council and build its site into site/.
site: $(STAMP) graphviz
	$(BIN)/ea validate .
	$(BIN)/ea build .
	@echo "To browse it with live reload: make serve (http://127.0.0.1:8000)"

## Run every test (unit, CLI, example council, site build and browser).
test: $(STAMP) graphviz chromium $(AXE)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks

serve: $(STAMP) graphviz
	$(BIN)/ea serve .

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@# An editable install writes no bytecode; where PYTHONDONTWRITEBYTECODE is set
	@# (CI images often do), every `ea` run would compile the package again.
	$(BIN)/python -m compileall -q generator
	touch $(STAMP)

$(AXE):
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: the accessibility tests will be skipped (sudo apt-get install npm)."; exit 0; }; \
	npm install --prefix .ea-test --no-save --no-package-lock --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

# Graphviz's `dot` draws the diagrams. Installed from Debian's packages when we are root.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Graphviz (Debian package 'graphviz')..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's 'dot' is missing. Install it, then run make again:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install graphviz"; \
	    echo "  macOS:         brew install graphviz"; \
	    echo "  Windows:       winget install graphviz"; \
	    exit 1; \
	  fi; }

# Debian's Chromium for the browser tests (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Chromium for the browser tests (Debian packages chromium, chromium-driver)..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "Chromium is missing: the browser tests will be skipped (sudo apt-get install chromium)."; \
	  fi; }

clean:
	rm -rf site .ea-build test-output .pytest_cache .ea-test
