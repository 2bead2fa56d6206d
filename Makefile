# REA INVEST database. `make demo` runs it, `make test` proves it; see README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= rea_demo
DEMO_TENANTS ?= 3
DEMO_SCALE ?= 1
DUMP_DB := readb_schema_dump
CLUSTER := $(BIN)/python -m readb.cluster

.PHONY: help setup demo status stop clean lint fmt test dump bench bench-audit bench-rls bench-health health standby

help:
	@echo "make demo   local PostgreSQL under the project, all steps applied, status shown"
	@echo "make test   lint and the whole test suite (starts the local PostgreSQL if needed)"
	@echo "make lint   sqlfluff on sql/, squawk on sql/migrations/, ruff on Python"
	@echo "make dump   regenerate sql/schema.sql from a freshly built database"
	@echo "make bench  time readb up on an empty database (median of 5)"
	@echo "make bench-audit  the audit trail's cost: bulk and single-row inserts, with and without"
	@echo "make bench-rls    RLS against an explicit client_id filter on typical tenant queries"
	@echo "make bench-health  what each monitoring view costs on a seeded database"
	@echo "make health  readb health on the demo database (exit 1 when a check pages)"
	@echo "make standby a streaming hot standby of the local PostgreSQL (pg_basebackup -R)"
	@echo "make stop   stop the local PostgreSQL;  make clean  also delete it and the venv"

# The venv is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

setup: $(BIN)/.installed

demo: setup
	@url=$$($(CLUSTER) url $(DEMO_DB)) && \
	echo "database: $$url" && \
	$(BIN)/readb --dsn "$$url" up && \
	$(BIN)/readb --dsn "$$url" seed --tenants $(DEMO_TENANTS) --scale $(DEMO_SCALE) && \
	$(BIN)/readb --dsn "$$url" refresh && \
	$(BIN)/readb --dsn "$$url" status && \
	echo "psql $$url"

status: setup
	@$(CLUSTER) status

stop: setup
	$(CLUSTER) stop

clean:
	-@[ -x $(BIN)/python ] && $(CLUSTER) destroy
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tools/*.egg-info

lint: setup
	$(BIN)/sqlfluff lint sql tools/readb/seed.sql
	@migrations=$$(ls sql/migrations/*.sql 2>/dev/null); \
	if [ -n "$$migrations" ]; then echo "squawk sql/migrations"; $(BIN)/squawk $$migrations; \
	else echo "squawk: no migrations yet"; fi
	$(BIN)/ruff check tools tests
	$(BIN)/ruff format --check tools tests

fmt: setup
	$(BIN)/ruff format tools tests
	$(BIN)/ruff check --fix tools tests
	$(BIN)/sqlfluff fix sql tools/readb/seed.sql

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

dump: setup
	@url=$$($(CLUSTER) fresh $(DUMP_DB)) && \
	$(BIN)/readb --dsn "$$url" up >/dev/null && \
	$(BIN)/readb --dsn "$$url" dump > sql/schema.sql && \
	$(CLUSTER) drop $(DUMP_DB) && \
	echo "wrote sql/schema.sql"

bench: setup
	$(BIN)/python tools/bench/up.py --runs 5

bench-audit: setup
	$(BIN)/python tools/bench/audit.py

bench-rls: setup
	$(BIN)/python tools/bench/rls.py

bench-health: setup
	$(BIN)/python tools/bench/health.py

health: setup
	@$(BIN)/readb --dsn "$$($(CLUSTER) url $(DEMO_DB))" health

standby: setup
	@$(CLUSTER) standby start
