# Two entry points for a fresh machine with only Python >= 3.11 and make:
#   make reproduce   create .venv, install, print the report's numbers
#   make test        create .venv, install the test tools, run every check (same verdict on
#                    every run and every machine: Hypothesis derandomised, no example database)
# And, for contributors:
#   make fuzz        look for new failures with fresh randomness (RUNS=20 to repeat it)
#   make notebook    install the project with Jupyter and open notebooks/
#   make lock        regenerate requirements/constraints.txt for every supported Python
# Another interpreter or environment: make test PYTHON=/usr/bin/python3 VENV=.venv-system
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
PIP_INSTALL = $(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS)

.PHONY: reproduce test check lint typecheck pytest bench docs fuzz notebook lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "amnesty_model needs Python >= 3.11; set PYTHON=python3.11 (or newer)")'
	$(PYTHON) -m venv $(VENV)

# Installs are stamped so that a second `make` does not reinstall.
$(VENV)/.installed-run: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP_INSTALL) -e ".[test,docs]"
	@touch $@ $(VENV)/.installed-run

reproduce: $(VENV)/.installed-run
	$(BIN)/amnesty-model reproduce

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy --strict

# The deterministic profile is named here so that a HYPOTHESIS_PROFILE set in the caller's
# shell cannot change the verdict; no cache provider, so no state from an earlier run either.
pytest: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=ci PYTHONHASHSEED=0 $(BIN)/python -m pytest -p no:cacheprovider \
		--cov=amnesty_model --cov-report=term --cov-fail-under=95

docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The one test command (the README's, and CI's): lint, types, tests with coverage, docs build.
test: lint typecheck pytest docs

check: test

# Exploration: the fuzz suite with fresh randomness and ten times the examples, RUNS times.
# Every run goes to the end; the failures of all runs are listed, and the exit code is non-zero
# if any run failed. A failure found here becomes a test in tests/test_regressions.py.
RUNS ?= 1
FUZZ_EXAMPLES ?= 1000
FUZZ_TESTS ?= $(wildcard tests/test_fuzz_*.py)
fuzz: $(VENV)/.installed-test
	@failed=0; for i in $$(seq 1 $(RUNS)); do \
		echo "== fuzz run $$i of $(RUNS)"; \
		HYPOTHESIS_PROFILE=fuzz AM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest \
			-p no:cacheprovider -q -o addopts="--strict-markers --strict-config -rf" \
			$(FUZZ_TESTS) || failed=$$((failed + 1)); \
	done; \
	echo "== fuzz: $$failed of $(RUNS) runs found a failure"; test $$failed -eq 0

$(VENV)/.installed-notebook: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP_INSTALL) -e ".[plot,notebook]"
	@touch $@ $(VENV)/.installed-run

# Jupyter on the project's environment, opened on notebooks/ (Ctrl-C twice to stop it).
notebook: $(VENV)/.installed-notebook
	$(BIN)/jupyter lab notebooks/

$(VENV)/.installed-bench: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(PIP_INSTALL) -e ".[bench]"
	@touch $@ $(VENV)/.installed-run

# Benchmarks against PySD, Ciw, solve_ivp and plain loops: writes benchmarks/results/latest.*
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_all.py

# One lock for every supported Python (3.11.0 and newer, any platform): uv's universal
# resolution writes environment markers where a version holds only for some interpreters
# (fewest forks: one version of a package for all Pythons wherever one fits, so numbers agree);
# pip reads them in `-c`. The pins already in the file are kept where they still fit;
# `make lock UPGRADE=1` moves everything to the newest versions. uv comes from PyPI into a
# throwaway environment.
UV_VERSION := 0.13.9
LOCK_EXTRAS := test docs bench plot notebook
lock: requirements/lock-hints.txt
	rm -rf .lockenv
	$(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	grep -v '^#' $(CONSTRAINTS) > .lockenv/pins.txt || true
	.lockenv/bin/uv pip compile --quiet --universal --python-version 3.11 --fork-strategy fewest \
		--no-header --no-annotate $(if $(UPGRADE),--upgrade) -c requirements/lock-hints.txt \
		$(foreach e,$(LOCK_EXTRAS),--extra $(e)) -o .lockenv/pins.txt pyproject.toml
	{ echo "# Pinned versions for CPython >= 3.11 on every platform (universal resolution; the markers"; \
	  echo "# say where a pin applies), regenerated with 'make lock'. Every install goes through this"; \
	  echo "# file (pip -c), so a number computed today is computed with the same libraries next year."; \
	  cat .lockenv/pins.txt; } > $(CONSTRAINTS)
	rm -rf .lockenv

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage build dist
