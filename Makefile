# Every target builds .venv on first use, so each works on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check bench run clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("debrief needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

APP    := $(VENV)/.app-installed

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(APP)

# The app alone, for `make demo` and `make run`: not the test tools, and with pip's progress
# shown (a first run downloads for a minute on a slow line).
$(APP): $(BIN)/python pyproject.toml
	@echo "Installing debrief and what it needs into $(VENV) ..."
	$(BIN)/python -m pip install --progress-bar on -e .
	touch $(APP)

## Open the TUI on the demo incident (created on first run).
demo: $(APP)
	$(BIN)/debrief demo

## Open the TUI on the session list.
run: $(APP)
	$(BIN)/debrief

## Lint, type check, and the layers (import-linter contracts in pyproject.toml).
check: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## Lint, type check and the whole test suite.
test: check
	$(BIN)/pytest -q -n auto --dist worksteal

## Speed and memory benchmarks; writes bench/results.md.
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
