# REA INVEST database. `make demo` runs it, `make test` proves it; see README.md.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= rea_demo
DEMO_TENANTS ?= 3
DEMO_SCALE ?= 1
DUMP_DB := readb_schema_dump
DOCS_DB := readb_schema_docs
CLUSTER := $(BIN)/python -m readb.cluster
BACKREST := $(BIN)/python tools/backup/backrest.py
BACKUP_TYPE ?= full

.PHONY: help setup demo demo-reset status stop clean lint fmt test dump docs bench bench-up bench-audit bench-rls \
	backup-init backup backup-info backup-check restore backup-drill backup-stop backup-destroy \
	bench-health health standby bench-search bench-migrations bench-write-path \
	bench-citus citus-up citus-build citus-down citus-status citus-destroy

help:
	@echo "make demo   local PostgreSQL under the project, all steps applied, demo data and logins"
	@echo "make demo-reset  drop the demo database and make it again (other DEMO_TENANTS/DEMO_SCALE)"
	@echo "make status whether the local PostgreSQL runs, its folder and port"
	@echo "make test   lint and the whole test suite (starts the local PostgreSQL if needed)"
	@echo "make lint   sqlfluff on sql/, squawk on sql/migrations/, ruff on Python"
	@echo "make dump   regenerate sql/schema.sql from a freshly built database"
	@echo "make docs   regenerate docs/schema.md (tables, rules, policies, grants, ER diagram)"
	@echo "make bench  the workload at scale: seed or reuse, reads under RLS vs explicit, writes, refresh, sizes"
	@echo "            (BENCH_ARGS='--tenants 20 --scale 20 --skew 20 --fresh'; tools/bench/README.md)"
	@echo "make bench-up  time readb up on an empty database (median of 5)"
	@echo "make bench-audit  the audit trail's cost: bulk and single-row inserts, with and without"
	@echo "make bench-write-path  the single-row write path before and after the issue-9 hardening"
	@echo "make bench-rls    RLS against an explicit client_id filter on typical tenant queries"
	@echo "make bench-citus  one tenant's read and write latency, single server against the Citus cluster"
	@echo "make bench-health  what each monitoring view costs on a seeded database"
	@echo "make bench-search  property search before/after its indexes: RLS, explicit filter, search.properties()"
	@echo "make bench-migrations  7430-7490 applied under application load: longest transaction and lock wait per step"
	@echo "make health  readb health on the demo database (exit 1 when a check pages)"
	@echo "make standby a streaming hot standby of the local PostgreSQL (pg_basebackup -R)"
	@echo "make citus-up    a local Citus cluster: coordinator + 2 workers (citus-status, citus-down, citus-destroy)"
	@echo "make citus-build the schema built on its coordinator and distributed (sql/citus/distribute.sql)"
	@echo "make stop   stop the local PostgreSQL;  make clean  also delete it and the venv"
	@echo "make backup-init   a durable cluster archiving into an encrypted pgBackRest repository, seeded"
	@echo "make backup BACKUP_TYPE=full|diff|incr   a pgBackRest backup of it (then expire)"
	@echo "make restore TARGET_TIME='YYYY-MM-DD HH:MM:SS+00'   PITR into a new folder, started on a free port"
	@echo "make backup-info | backup-check | backup-stop | backup-destroy"
	@echo "make backup-drill  the whole restore drill on a throwaway site: RTO, RPO, sizes, times"

# The venv is rebuilt when pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed (set PYTHON=...)")'
	@echo "setup: creating $(VENV) and installing readb and its Python dependencies into it (first run: about a minute)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip
	@$(BIN)/pip install --quiet -e '.[dev]'
	@echo "setup: done; readb is $(BIN)/readb (or: . $(BIN)/activate)"
	@touch $@

setup: $(BIN)/.installed

demo: setup
	@url=$$($(CLUSTER) url $(DEMO_DB)) && \
	echo "database: $$url" && \
	$(BIN)/readb --dsn "$$url" up && \
	$(BIN)/readb --dsn "$$url" seed --tenants $(DEMO_TENANTS) --scale $(DEMO_SCALE) && \
	$(BIN)/readb --dsn "$$url" refresh && \
	$(BIN)/python -m readb.demo logins "$$url" && \
	echo && $(BIN)/python -m readb.demo summary "$$url"

# Drop the demo database and build it again (for other DEMO_TENANTS or DEMO_SCALE).
demo-reset: setup
	@$(CLUSTER) drop $(DEMO_DB) && echo "dropped $(DEMO_DB)"
	@$(MAKE) --no-print-directory demo

status: setup
	@$(CLUSTER) status

stop: setup
	$(CLUSTER) stop

clean:
	-@[ -x $(BIN)/python ] && $(CLUSTER) destroy
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis tools/*.egg-info

lint: setup
	$(BIN)/sqlfluff lint sql tools/readb/seed.sql
	tools/lint/squawk-migrations sql/migrations
	$(BIN)/ruff check tools tests examples
	$(BIN)/ruff format --check tools tests examples

fmt: setup
	$(BIN)/ruff format tools tests examples
	$(BIN)/ruff check --fix tools tests examples
	$(BIN)/sqlfluff fix sql tools/readb/seed.sql

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

dump: setup
	@url=$$($(CLUSTER) fresh $(DUMP_DB)) && \
	$(BIN)/readb --dsn "$$url" up >/dev/null && \
	$(BIN)/readb --dsn "$$url" dump > sql/schema.sql && \
	$(CLUSTER) drop $(DUMP_DB) && \
	echo "wrote sql/schema.sql"

docs: setup
	@url=$$($(CLUSTER) fresh $(DOCS_DB)) && \
	$(BIN)/readb --dsn "$$url" up >/dev/null && \
	$(BIN)/readb --dsn "$$url" docs > docs/schema.md.tmp && \
	mv docs/schema.md.tmp docs/schema.md && \
	$(CLUSTER) drop $(DOCS_DB) && \
	echo "wrote docs/schema.md"

bench: setup
	$(BIN)/python tools/bench/workload.py $(BENCH_ARGS)

bench-up: setup
	$(BIN)/python tools/bench/up.py --runs 5

bench-audit: setup
	$(BIN)/python tools/bench/audit.py

bench-write-path: setup
	$(BIN)/python tools/bench/write_path.py

bench-rls: setup
	$(BIN)/python tools/bench/rls.py

BENCH_SEARCH_ARGS ?= --tenants 3 --scale 150
bench-search: setup
	$(BIN)/python tools/bench/search.py $(BENCH_SEARCH_ARGS)

bench-migrations: setup
	$(BIN)/pytest -q -s -p no:cacheprovider tests/test_migrations_under_load.py

backup-init: setup
	$(BACKREST) init --tenants $(DEMO_TENANTS) --scale $(DEMO_SCALE)

backup: setup
	$(BACKREST) backup --type $(BACKUP_TYPE)

backup-info: setup
	$(BACKREST) info

backup-check: setup
	$(BACKREST) check && $(BACKREST) verify

restore: setup
	@[ -n "$(TARGET_TIME)" ] || { echo "make restore needs TARGET_TIME='YYYY-MM-DD HH:MM:SS+00'" >&2; exit 2; }
	$(BACKREST) restore --target-time '$(TARGET_TIME)'

backup-drill: setup
	$(BACKREST) drill --tenants $(DEMO_TENANTS) --scale $(DEMO_SCALE)

backup-stop: setup
	$(BACKREST) stop

backup-destroy: setup
	$(BACKREST) destroy

bench-health: setup
	$(BIN)/python tools/bench/health.py

health: setup
	@$(BIN)/readb --dsn "$$($(CLUSTER) url $(DEMO_DB))" health

standby: setup
	@$(CLUSTER) standby start

# A local Citus cluster (coordinator and two workers) for the scale-out work: tools/readb/citus_cluster.py.
CITUS := $(BIN)/python -m readb.citus_cluster
CITUS_DB ?= rea_citus

citus-up: setup
	@$(CITUS) up $(CITUS_DB) && $(CITUS) status

citus-build: setup
	@$(CITUS) build $(CITUS_DB)

bench-citus: setup
	$(BIN)/python tools/bench/citus.py

citus-status: setup
	@$(CITUS) status

citus-down: setup
	@$(CITUS) down

citus-destroy: setup
	@$(CITUS) destroy
