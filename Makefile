# Two commands on a fresh clone: `make demo` and `make test`. Each creates .venv/ when
# missing and installs the project into it (editable); nothing else is needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
YEAR ?= 2026
PRESET ?= longchuan
SEED ?= 1
OUT ?= out

.PHONY: demo test lint install install-test bench bench-full serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench,dist]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/rotation sample --preset $(PRESET) --seed $(SEED) --out $(OUT)/$(PRESET)
	$(BIN)/rotation check-data $(OUT)/$(PRESET) --year $(YEAR)
	$(BIN)/rotation plan --data $(OUT)/$(PRESET) --year $(YEAR) --out $(OUT)/plan

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: install-test
	$(BIN)/python -m bench.run --quick

bench-full: install-test
	$(BIN)/python -m bench.run --full

serve: install
	$(BIN)/rotation serve

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
