"""Data migrations under forced RLS: migrations.each_tenant() and the first one that uses it.

7410_won_deal_closes_property: a deal moved to won marks its property sold (sale) or
rented (rental), set-based, as the application. 7420_backfill_closed_properties: the
deals won before it, tenant by tenant in committed batches, through the rules and the
audit trail; readb prints what it changed; a rerun changes nothing.
"""

from __future__ import annotations

import psycopg
import pytest

from conftest import SQL_DIR, as_app, run_readb
from test_deal_and_approval_workflow import _close, _deal


def status_of(db, tenant, property_id) -> str:
    return db.execute(
        "select status from rea.properties where client_id = %s and id = %s",
        (tenant.client_id, property_id),
    ).fetchone()[0]


@pytest.mark.parametrize(("deal_type", "closed"), [("sale", "sold"), ("rental", "rented")])
def test_a_won_deal_closes_its_property_as_the_application(db, tenant, deal_type, closed):
    with as_app(db, tenant):
        deal = _deal(db, tenant, deal_type=deal_type)
        assert status_of(db, tenant, deal["property_id"]) == "available"
        _close(db, tenant, deal, "won")
        assert status_of(db, tenant, deal["property_id"]) == closed


def test_a_lost_deal_leaves_its_property_alone(db, tenant):
    with as_app(db, tenant):
        deal = _deal(db, tenant)
        _close(db, tenant, deal, "lost")
        assert status_of(db, tenant, deal["property_id"]) == "available"


def test_a_property_already_closed_is_not_written_again(db, tenant):
    """A trigger that changes nothing writes nothing, audit included."""
    deal = _deal(db, tenant)
    db.execute(
        "update rea.properties set status = 'sold' where client_id = %s and id = %s",
        (tenant.client_id, deal["property_id"]),
    )
    audited = "select count(*) from audit.audit_logs where table_name = 'properties'"
    before = db.execute(audited).fetchone()[0]
    with as_app(db, tenant):
        _close(db, tenant, deal, "won")
    assert db.execute(audited).fetchone()[0] == before


@pytest.fixture
def before_the_backfill(empty_url):
    """Built to 7410 and seeded, then the properties of won deals set back to what they
    were before the rule existed: available (as the superuser, so the audit trail says
    so too)."""
    assert run_readb("up", "--to", "7410", dsn=empty_url).returncode == 0
    assert run_readb("seed", "--tenants", "3", "--scale", "1", dsn=empty_url).returncode == 0
    with psycopg.connect(empty_url) as conn:
        reopened = conn.execute(
            "with won as (select distinct client_id, property_id from rea.deals"
            " where stage = 'won')"
            " update rea.properties as p set status = 'available' from won as w"
            " where p.client_id = w.client_id and p.id = w.property_id"
        ).rowcount
    assert reopened > 0
    return empty_url, reopened


def test_the_backfill_closes_every_won_property_in_batches_and_reports_it(before_the_backfill):
    url, reopened = before_the_backfill
    result = run_readb("up", dsn=url)
    assert result.returncode == 0, result.stderr
    (line,) = [ln for ln in result.stdout.splitlines() if " changed " in ln]
    assert line.startswith(
        f"  7420_backfill_closed_properties changed {reopened} rows in 3 tenants,"
    )
    assert line.endswith("rows/s")
    with psycopg.connect(url) as conn:
        open_ones = conn.execute(
            "select count(*) from rea.deals as d join rea.properties as p"
            " on p.client_id = d.client_id and p.id = d.property_id"
            " where d.stage = 'won' and p.status not in ('sold', 'rented')"
        ).fetchone()[0]
        assert open_ones == 0
        # Every batch's audit rows: the tenant's own, no actor, in that batch's transaction.
        audited = conn.execute(
            "select count(*), count(*) filter (where l.actor_id is null"
            " and l.client_id = b.client_id)"
            " from audit.audit_logs as l join migrations.batches as b"
            " on b.transaction_id = l.transaction_id"
            " where b.migration = '7420_backfill_closed_properties' and l.table_name = 'properties'"
        ).fetchone()
        assert audited == (reopened, reopened)


def test_a_rerun_changes_nothing_and_small_batches_give_the_same_result(before_the_backfill):
    """The step's own statement with batches of 7: many commits, the same end; and run
    again, it finds nothing left to change (it resumes, it does not redo)."""
    url, reopened = before_the_backfill
    step = (SQL_DIR / "migrations" / "7420_backfill_closed_properties.sql").read_text()
    call = step.replace("    500,\n", "    7,\n")
    assert call != step
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(call)
        count, total = conn.execute(
            "select count(*), sum(rows_changed) from migrations.batches"
        ).fetchone()
        assert total == reopened and count >= reopened // 7
        conn.execute(call)
        again = conn.execute("select sum(rows_changed) from migrations.batches").fetchone()[0]
        assert again == reopened


def test_a_migration_that_changes_no_rows_says_so(db_url):
    with psycopg.connect(db_url, autocommit=True) as conn:
        warnings = []
        conn.add_notice_handler(lambda d: warnings.append((d.severity, d.message_primary)))
        conn.execute(
            "call migrations.each_tenant('noop', $$update rea.properties set title = title"
            " where false and $1 > 0$$, 10)"
        )
    assert ("WARNING", "migration noop changed no rows in any tenant") in warnings


def test_without_the_tenant_set_a_plain_update_in_a_step_changes_nothing(before_the_backfill):
    """Why the procedure exists: as rea_owner under forced RLS, no tenant, no rows."""
    url, _ = before_the_backfill
    with psycopg.connect(url) as conn:
        conn.execute("set local role rea_owner")
        changed = conn.execute(
            "update rea.properties set status = 'sold' where status = 'available'"
        ).rowcount
        assert changed == 0
