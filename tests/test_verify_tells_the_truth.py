"""`readb verify` says ok only when the database is what its steps build; `status` fails
on steps out of order.

Each case changes a built database the way an operator's hand (or an attacker) would,
commits, and runs `readb verify` as a user does: it must exit 1 and name the change.
The comparison is with the committed snapshot when it was dumped from exactly the
applied steps, else with a scratch database built from them (the second half).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg
import pytest

from conftest import SQL_DIR, run_readb


def verify(url: str, sql_dir: Path = SQL_DIR):
    return run_readb("verify", dsn=url, sql_dir=sql_dir, timeout=300)


def test_a_database_built_by_the_steps_verifies(db_url):
    result = verify(db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")


def first(db: psycopg.Connection, query: str) -> str:
    return db.execute(query).fetchone()[0]


CHANGES = {
    "a dropped policy": (
        "select format('drop policy %I on %I.%I', policyname, schemaname, tablename)"
        " from pg_policies where schemaname = 'rea' order by 1 limit 1",
        "policy ",
        "missing from the database",
    ),
    "a grant made by hand": (
        "select 'grant delete on rea.customers to rea_app'",
        "acl TABLE customers in rea",
        "database has: GRANT",
    ),
    "a disabled trigger": (
        "select format('alter table rea.deals disable trigger %I', tgname) from pg_trigger"
        " where tgrelid = 'rea.deals'::regclass and not tgisinternal order by 1 limit 1",
        "trigger deals ",
        "DISABLE TRIGGER",
    ),
    "a hand-made index": (
        "select 'create index customers_by_hand_idx on rea.customers (client_id, phone)'",
        "index customers_by_hand_idx in rea",
        "in the database, not built by the steps",
    ),
    "row-level security no longer forced": (
        "select 'alter table rea.bookings no force row level security'",
        "table bookings in rea",
        "steps build: ALTER TABLE ONLY rea.bookings FORCE ROW LEVEL SECURITY",
    ),
    "a function replaced": (
        "select $$create or replace function rea.current_actor_id() returns uuid"
        " language sql stable as 'select null::uuid'$$",
        "function current_actor_id() in rea",
        "differs from what the steps build",
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_verify_names_a_change_made_by_hand(db, db_url, change):
    query, what, how = CHANGES[change]
    db.execute(first(db, query))
    db.commit()
    result = verify(db_url)
    assert result.returncode == 1, result.stdout
    named = [line for line in result.stdout.splitlines() if line.startswith("schema: ")]
    assert any(what in line and how in line for line in named), named


def test_verify_fails_on_an_unpopulated_materialized_view(db, db_url):
    db.execute("refresh materialized view reporting.fact_deals_mv with no data")
    db.commit()
    result = verify(db_url)
    assert result.returncode == 1
    assert "reporting.fact_deals_mv is not populated (run readb refresh)" in result.stdout


def test_verify_fails_with_steps_pending_and_on_an_empty_database(empty_url, db_url):
    nothing = verify(empty_url)
    assert nothing.returncode == 1
    assert "step(s) pending" in nothing.stdout

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "delete from readb.applied_steps"
            " where version = (select max(version) from readb.applied_steps)"
        )
    one = verify(db_url)
    assert one.returncode == 1
    assert "1 step(s) pending" in one.stdout


def test_status_fails_on_a_step_out_of_order(db_url, tmp_path):
    steps = tmp_path / "sql"
    shutil.copytree(SQL_DIR, steps)
    (steps / "ddl" / "0105_late.sql").write_text("select 1;\n")
    (steps / "ddl" / "0105_late.down.sql").write_text("select 1;\n")
    result = run_readb("status", dsn=db_url, sql_dir=steps)
    assert result.returncode == 1
    assert "0105_late" in result.stdout and "numbered below the newest applied" in result.stdout


def test_without_a_matching_snapshot_verify_builds_the_steps_to_compare(db, db_url, tmp_path):
    """A step tree whose snapshot was dumped from other steps (or that has none): verify
    builds the applied steps in a scratch database, compares, and drops it."""
    steps = tmp_path / "sql"
    shutil.copytree(SQL_DIR, steps)
    (steps / "schema.sql").unlink()
    assert verify(db_url, steps).returncode == 0

    db.execute("create index customers_by_hand_idx on rea.customers (client_id, phone)")
    db.commit()
    result = verify(db_url, steps)
    assert result.returncode == 1
    assert "index customers_by_hand_idx in rea: in the database" in result.stdout
    leftovers = db.execute(
        "select count(*) from pg_database where datname like 'readb\\_verify\\_%'"
    ).fetchone()[0]
    assert leftovers == 0
