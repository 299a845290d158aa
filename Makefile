# 총무 — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export OMP_THREAD_LIMIT ?= 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-fast e2e lint typecheck format migrate migrations createadmin audit-verify db-start db-stop deps venv clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# torch (CPU build, 2.13.0 lies on our machines) and onnx, only for the recogniser's training tests.
TRAIN_STAMP := $(VENV)/.installed-train
$(TRAIN_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,train]'
	@touch $(TRAIN_STAMP)

venv: $(STAMP)

deps:
	@bash scripts/system-deps.sh

run: deps $(STAMP)  ## web + worker (+ embedded PostgreSQL when DATABASE_URL is unset)
	$(PY) scripts/dev.py

test: $(TRAIN_STAMP)  ## the whole suite against a real PostgreSQL (embedded unless DATABASE_URL is set)
	@WITH_BROWSER=1 bash scripts/system-deps.sh
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)  ## everything but the browser tests
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

e2e: $(STAMP)
	$(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(STAMP)
	$(PY) -m mypy web components tasks

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

db-start: $(STAMP)
	@[ -n "$$DATABASE_URL" ] || $(PY) scripts/devdb.py start

db-stop:
	@$(PY) scripts/devdb.py stop

migrate: db-start
	$(PY) -m piccolo.main migrations forwards all

migrations: db-start  ## APP=<component>: generate a migration from table changes (review it!)
	$(PY) -m piccolo.main migrations new $(APP) --auto

createadmin: migrate
	$(PY) -m components.accounts createadmin

audit-verify: db-start
	$(PY) -m components.audit verify

clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache

-include mk/*.mk
