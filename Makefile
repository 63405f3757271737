# Two entry points for a fresh machine with only Python >= 3.11 and make:
#   make reproduce   create .venv, install, print the report's numbers
#   make test        create .venv, install the test tools, run every check
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt

.PHONY: reproduce test check lint typecheck pytest bench docs lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "amnesty_model needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)

# Installs are stamped so that a second `make` does not reinstall.
$(VENV)/.installed-run: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[test,docs]"
	@touch $@ $(VENV)/.installed-run

reproduce: $(VENV)/.installed-run
	$(BIN)/amnesty-model reproduce

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy --strict

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest --cov=amnesty_model --cov-report=term --cov-fail-under=95

docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The one test command (the README's, and CI's): lint, types, tests with coverage, docs build.
test: lint typecheck pytest docs

check: test

$(VENV)/.installed-bench: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[bench]"
	@touch $@ $(VENV)/.installed-run

# Benchmarks against PySD, Ciw, solve_ivp and plain loops: writes benchmarks/results/latest.*
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_all.py

lock:
	rm -rf .lockenv
	$(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet -e ".[test,docs,bench]"
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > $(CONSTRAINTS)
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage build dist
