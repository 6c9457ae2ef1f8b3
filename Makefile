# One entry point for every task. Each target sets up the pinned virtual environment first (once).
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QUIET_PIP := grep -v 'is ignored: it is neither a file nor a directory' || true
# datasets are extracted here (ignored by git) unless the caller says otherwise
export FILTERVIT_DATA ?= $(CURDIR)/data

.PHONY: setup test test-fast reproduce study figures lab export export-check readme docs clean-venv

$(STAMP): requirements-dev.txt settings.ini setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt 2>&1 | { $(QUIET_PIP); }
	$(BIN)/pip install -q --no-deps -e . 2>&1 | { $(QUIET_PIP); }
	touch $(STAMP)

setup: $(STAMP)

## Every test: the notebooks (slow cells included; cuda cells when a GPU is present; shared cells, which read the photos
## and reference files of ../shared, when ../shared/data and ../shared/reference are there, as in CI), then tests/; then a
## check that no test wrote a tracked file (tools/untouched.py: any tracked file modified after the tests began fails the run).
test: setup
	$(MAKE) --no-print-directory export-check
	touch $(VENV)/.test-start
	flags="slow"; if $(BIN)/python -c 'import torch,sys; sys.exit(not torch.cuda.is_available())'; then flags="$$flags cuda"; \
	  else echo "no GPU: the #| cuda cells are skipped"; fi; \
	if [ -d ../shared/data ] && [ -d ../shared/reference ]; then flags="$$flags shared"; \
	  else echo "../shared/data or ../shared/reference is absent: the #| shared cells are skipped"; fi; \
	echo "nbdev_test --flags '$$flags'"; $(BIN)/nbdev_test --n_workers 2 --timing --flags "$$flags"
	$(BIN)/pytest -q tests
	$(BIN)/python tools/untouched.py $(VENV)/.test-start

## The main job: FilterViT-XS, DropoutViT-XS and MobileViT-S at 112² on an Imagenette subset (2-core CPU: ~15 min),
## printed beside the committed study. Writes runs/reproduce (not committed).
reproduce: setup
	$(BIN)/filtervit-reproduce --out runs/reproduce

## The study (hours): every run of the grid not yet in its results folder, resuming from ~/.cache/filtervit.
## The 10-epoch grid is in runs/study-imagenette-112; STUDY_ARGS="--epochs 30" runs the long one (runs/study-imagenette-112-e30).
## STUDY_ARGS passes flags on, e.g. two sittings side by side on 2 cores (after `make setup`):
##   make study STUDY_ARGS="--epochs 30 --runs filtervit_xs-s0 --threads 1" & make study STUDY_ARGS="--epochs 30 --runs dropoutvit_xs-s0 --threads 1"
study: setup
	$(BIN)/filtervit-study $(STUDY_ARGS)

## The study's figures in figures/ (the README and the docs show them): Figs. 3, 4, 6 with seed bands, Fig. 5's masks.
figures: setup
	$(BIN)/filtervit-verdicts --results runs/study-imagenette-112 --figures figures

## The notebooks in JupyterLab, on this machine only (open the printed link; the explorer is at the end of 14_interpret).
lab: setup
	$(BIN)/jupyter lab --no-browser --ip 127.0.0.1 --ServerApp.root_dir=nbs

## The quick loop while editing notebooks: plain nbdev_test (no slow, no cuda, no shared cells).
test-fast: setup
	$(BIN)/nbdev_test --n_workers 2

## The exported package must be exactly what the notebooks export.
export-check: setup
	$(BIN)/nbdev_export
	if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- filtervit; then \
	  git --no-pager diff --stat -- filtervit; echo "filtervit/ differs from what nbs/ exports: run nbdev_export and commit"; exit 1; fi

export: setup
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean && $(BIN)/python tools/readme.py

## The docs site, offline: nbdev's notebook processing rendered by MkDocs -> _site/ (tests/test_docs.py checks it in Chromium).
docs: setup
	$(BIN)/python tools/docs.py

readme: setup
	$(BIN)/python tools/readme.py

clean-venv:
	rm -rf $(VENV)
