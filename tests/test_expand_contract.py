"""Expand/contract rename of rea.properties.area_sqm to built_up_area_sqm (7470-7490).

- During expand (7470 applied, 7490 not): old code (writes area_sqm) and new code (writes
  built_up_area_sqm), both as rea_app with its column-list grants, see each other's
  writes, on insert and on update; writing both names with different values is refused.
- The check on the new column is added `not valid` (enforced for new writes at once, not
  yet for the rows that exist), validated by a separate step after the backfill.
- The backfill (7475) copies every existing row, tenant by tenant, through RLS and the
  audit trail; a rerun changes nothing.
- After contract (7490): the old name is gone (old code gets 42703), the trigger too,
  and new code works alone.
"""

from __future__ import annotations

import psycopg
import pytest
from psycopg import errors

from conftest import SQL_DIR, as_app, make_tenant, run_readb


def _areas(conn, pid) -> tuple:
    return conn.execute(
        "select area_sqm, built_up_area_sqm from rea.properties where id = %s", (pid,)
    ).fetchone()


@pytest.fixture
def expanded(empty_url):
    """Built to 7460, two agencies with properties (old code's rows), then the expand
    step, before its backfill: what the application sees during the rollout."""
    assert run_readb("up", "--to", "7460", dsn=empty_url).returncode == 0
    with psycopg.connect(empty_url, autocommit=True) as conn:
        tenants = [make_tenant(conn, "Old Agency"), make_tenant(conn, "Other Agency")]
        for tenant in tenants:
            for area in (80, 120.5, None):
                tenant.property(conn, area_sqm=area)
    result = run_readb("up", "--to", "7470", dsn=empty_url)
    assert result.returncode == 0, result.stderr
    conn = psycopg.connect(empty_url)
    yield conn, tenants, empty_url
    conn.close()


def test_old_and_new_code_see_each_others_writes(expanded):
    conn, (tenant, _), _ = expanded
    with as_app(conn, tenant):
        old = tenant.property(conn, area_sqm=120)  # old code: the old name
        assert _areas(conn, old["id"]) == (120, 120)
        new = tenant.property(conn, built_up_area_sqm=95.5)  # new code: the new name
        assert _areas(conn, new["id"]) == (95.5, 95.5)
        conn.execute(
            "update rea.properties set built_up_area_sqm = 130 where id = %s", (old["id"],)
        )
        assert _areas(conn, old["id"]) == (130, 130)  # old code reads the new code's write
        conn.execute("update rea.properties set area_sqm = 60 where id = %s", (new["id"],))
        assert _areas(conn, new["id"]) == (60, 60)  # new code reads the old code's write
        conn.execute(
            "update rea.properties set built_up_area_sqm = null where id = %s", (new["id"],)
        )
        assert _areas(conn, new["id"]) == (None, None)
        same = tenant.property(conn, area_sqm=70, built_up_area_sqm=70)
        assert _areas(conn, same["id"]) == (70, 70)
        with pytest.raises(errors.CheckViolation) as caught, conn.transaction():
            tenant.property(conn, area_sqm=70, built_up_area_sqm=71)
        assert caught.value.diag.constraint_name == "properties_built_up_area_sqm_check"


def test_an_unrelated_update_fills_a_row_the_backfill_has_not_reached(expanded):
    conn, (tenant, _), _ = expanded
    with as_app(conn, tenant):
        (pid,) = conn.execute(
            "select id from rea.properties where area_sqm = 80 and built_up_area_sqm is null"
        ).fetchone()
        conn.execute("update rea.properties set title = 'Renamed' where id = %s", (pid,))
        assert _areas(conn, pid) == (80, 80)


def test_rea_app_may_write_the_new_column(expanded):
    """The grants of 7470: without them, new code's first insert is 42501."""
    conn, _, _ = expanded
    grants = conn.execute(
        "select has_column_privilege('rea_app', 'rea.properties', 'built_up_area_sqm', p)"
        " from unnest(array['select', 'insert', 'update']) as p"
    ).fetchall()
    assert grants == [(True,), (True,), (True,)]


def test_the_check_is_not_valid_until_the_validate_step_yet_binds_new_rows(expanded):
    conn, (tenant, _), url = expanded
    validated = (
        "select convalidated from pg_constraint"
        " where conname = 'properties_built_up_area_sqm_check'"
    )
    assert conn.execute(validated).fetchone() == (False,)
    with as_app(conn, tenant), pytest.raises(errors.CheckViolation), conn.transaction():
        tenant.property(conn, built_up_area_sqm=0)
    conn.rollback()
    assert run_readb("up", "--to", "7480", dsn=url).returncode == 0
    assert conn.execute(validated).fetchone() == (True,)


def test_the_backfill_copies_every_row_of_every_tenant_and_a_rerun_changes_nothing(expanded):
    conn, _, url = expanded
    conn.rollback()
    result = run_readb("up", "--to", "7475", dsn=url)
    assert result.returncode == 0, result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if "changed" in ln]
    assert line.startswith("  7475_properties_built_up_area_backfill changed 4 rows in 2 tenants")
    left = conn.execute(
        "select count(*) from rea.properties where built_up_area_sqm is distinct from area_sqm"
    ).fetchone()
    assert left == (0,)
    audited = conn.execute(
        "select count(*) from audit.audit_logs as l join migrations.batches as b"
        " on b.transaction_id = l.transaction_id and b.client_id = l.client_id"
        " where b.migration = '7475_properties_built_up_area_backfill'"
        " and 'built_up_area_sqm' = any(l.changed_columns)"
    ).fetchone()
    assert audited == (4,)
    step = (SQL_DIR / "migrations" / "7475_properties_built_up_area_backfill.sql").read_text()
    with psycopg.connect(url, autocommit=True) as again:
        again.execute(step)
        (total,) = again.execute(
            "select sum(rows_changed) from migrations.batches"
            " where migration = '7475_properties_built_up_area_backfill'"
        ).fetchone()
    assert total == 4


def test_after_the_contract_step_only_the_new_name_exists(db, tenant):
    with as_app(db, tenant):
        new = tenant.property(db, built_up_area_sqm=88)
        assert db.execute(
            "select built_up_area_sqm from rea.properties where id = %s", (new["id"],)
        ).fetchone() == (88,)
        with pytest.raises(errors.UndefinedColumn), db.transaction():
            tenant.property(db, area_sqm=88)  # old code, after the contract step
    assert db.execute(
        "select count(*) from pg_trigger where tgname = 'properties_sync_built_up_area'"
    ).fetchone() == (0,)
    assert db.execute(
        "select to_regprocedure('rea.properties_sync_built_up_area()')"
    ).fetchone() == (None,)


def test_reverting_the_contract_step_brings_the_old_name_back_filled(expanded):
    conn, (tenant, _), url = expanded
    conn.rollback()
    assert run_readb("up", dsn=url).returncode == 0
    assert run_readb("down", "--to", "7480", dsn=url).returncode == 0
    missing = conn.execute(
        "select count(*) from rea.properties where built_up_area_sqm is distinct from area_sqm"
    ).fetchone()
    assert missing == (0,)
    with as_app(conn, tenant):
        old = tenant.property(conn, area_sqm=42)
        assert _areas(conn, old["id"]) == (42, 42)
