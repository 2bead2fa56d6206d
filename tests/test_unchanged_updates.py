"""A trigger that changes nothing writes nothing (7620, 7630; issue 13).

- every table in rea carries `<table>_skip_unchanged`, a BEFORE UPDATE row trigger with
  WHEN (pg_trigger_depth() > 0 and old *= new): an UPDATE issued by a trigger that
  leaves a row as it was skips it, so updated_at stays and no audit row is written (the
  row never reaches the audit trigger's transition tables); a change the collation
  hides (an e-mail's letter case) is still a change; the application's own UPDATE
  still counts and returns every row it matched;
- closing a deal or an expense cancels its pending approvals in one set-based UPDATE,
  and when the statement closed nothing that had a pending approval it issues no UPDATE
  of rea.approvals at all: the approvals' audit trigger is not even called (counted
  with track_functions); likewise a deal that is not won updates no property, and a
  booking activated or ended updates its property only when its status changes (7640).
"""

from datetime import UTC, datetime
from decimal import Decimal

import psycopg.sql
import pytest

from conftest import as_app, insert

# tgtype bits (pg_trigger.h): ROW 1, BEFORE 2, UPDATE 16
BEFORE_UPDATE_ROW = 1 | 2 | 16
SKIP_WHEN = " WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) "


def test_every_table_in_rea_skips_unchanged_rows(db):
    missing = db.execute(
        """
        select c.relname from pg_class c
        where c.relnamespace = 'rea'::regnamespace and c.relkind = 'r'
          and not exists (
              select from pg_trigger t
              where t.tgrelid = c.oid and t.tgname = c.relname || '_skip_unchanged'
                and t.tgfoid = 'rea.skip_unchanged_update()'::regprocedure
                and t.tgtype = %s and t.tgenabled = 'O'
                and strpos(pg_get_triggerdef(t.oid), %s) > 0
          )
        order by 1
        """,
        (BEFORE_UPDATE_ROW, SKIP_WHEN),
    ).fetchall()
    assert missing == []


def _audit_updates(db, record_id) -> list[list[str]]:
    return [
        row[0]
        for row in db.execute(
            "select changed_columns from audit.audit_logs"
            " where record_id = %s::text and action = 'UPDATE' order by occurred_at",
            (record_id,),
        )
    ]


@pytest.fixture
def cascade(db, tenant):
    """A trigger that runs an UPDATE of the customer of each communication inserted, so a
    test can issue an UPDATE from inside a trigger, as a cascade does."""
    db.execute(
        """
        create function rea.test_cascade() returns trigger language plpgsql volatile
        set search_path = pg_catalog, pg_temp as $$
        begin
            execute tg_argv[0] using new.customer_id;
            return null;
        end;
        $$
        """
    )

    def run(update: str) -> None:
        db.execute(
            psycopg.sql.SQL(
                "create trigger communications_test_cascade after insert on rea.communications"
                " for each row execute function rea.test_cascade({})"
            ).format(psycopg.sql.Literal(update))
        )
        with as_app(db, tenant):
            insert(
                db,
                "communications",
                client_id=tenant.client_id,
                customer_id=tenant.customer_id,
                user_id=tenant.agent_id,
                channel="meeting",
                direction="outbound",
                body="Viewing",
                occurred_at=datetime(2026, 9, 1, tzinfo=UTC),
            )
        db.execute("drop trigger communications_test_cascade on rea.communications")

    return run


def _customer_version(db, tenant):
    return db.execute(
        "select updated_at, xmin::text from rea.customers where id = %s", (tenant.customer_id,)
    ).fetchone()


def test_a_cascade_that_changes_nothing_writes_nothing(db, tenant, cascade):
    before = _customer_version(db, tenant)
    cascade("update rea.customers set full_name = full_name, phone = phone where id = $1")
    assert _customer_version(db, tenant) == before  # no new row version: nothing written
    assert _audit_updates(db, tenant.customer_id) == []


def test_a_cascade_that_changes_a_row_writes_and_audits_it(db, tenant, cascade):
    cascade("update rea.customers set full_name = 'Khalid Al Buyer' where id = $1")
    # (updated_at is now(), the time of this test's transaction, which inserted the row)
    assert [set(c) - {"updated_at"} for c in _audit_updates(db, tenant.customer_id)] == [
        {"full_name"}
    ]


def test_a_change_of_letter_case_is_a_change(db, tenant, cascade):
    """'KHALID@example.com' equals 'khalid@example.com' under the e-mail's collation, but
    it is another value: the skip compares the stored images (*=), not equality."""
    cascade("update rea.customers set email = 'KHALID@example.com' where id = $1")
    assert db.execute(
        'select email collate "C" from rea.customers where id = %s', (tenant.customer_id,)
    ).fetchone() == ("KHALID@example.com",)
    assert [set(c) - {"updated_at"} for c in _audit_updates(db, tenant.customer_id)] == [{"email"}]


def test_the_applications_own_unchanged_update_reports_its_row(db, tenant):
    """At the top level an UPDATE keeps its meaning: it counts and returns the rows it
    matched, changed or not (callers read rows back with RETURNING)."""
    with as_app(db, tenant):
        cur = db.execute(
            "update rea.customers set full_name = full_name where id = %s returning id",
            (tenant.customer_id,),
        )
        assert (cur.rowcount, cur.fetchall()) == (1, [(tenant.customer_id,)])


def _deal(db, tenant):
    return insert(
        db,
        "deals",
        client_id=tenant.client_id,
        property_id=tenant.property(db)["id"],
        customer_id=tenant.customer_id,
        agent_user_id=tenant.agent_id,
        deal_type="sale",
        amount=Decimal("850000"),
        currency="SAR",
    )


def _pending_approval(db, tenant, deal):
    return insert(
        db,
        "approvals",
        client_id=tenant.client_id,
        subject_type="deal",
        deal_id=deal["id"],
        requested_by=tenant.agent_id,
        reason="Discount of 2% for a cash buyer",
    )


def _calls(db, function: str) -> int:
    return db.execute(
        "select coalesce(pg_stat_get_xact_function_calls(%s::regprocedure), 0)", (function,)
    ).fetchone()[0]


@pytest.fixture
def counted(db):
    """Count PL/pgSQL function calls in this transaction (pg_stat_get_xact_function_calls)."""
    db.execute("set local track_functions = 'pl'")
    return db


def test_closing_a_deal_without_pending_approvals_leaves_the_approvals_alone(counted, tenant):
    db = counted
    deal = _deal(db, tenant)
    audit_calls = _calls(db, "audit.log_changes()")
    with as_app(db, tenant):
        db.execute("update rea.deals set stage = 'lost' where id = %s", (deal["id"],))
    # the deals' own UPDATE audit, and nothing on rea.approvals or rea.properties
    assert _calls(db, "audit.log_changes()") - audit_calls == 1
    assert _calls(db, "rea.cancel_pending_approvals()") == 1


def test_closing_deals_cancels_their_pending_approvals_in_one_statement(counted, tenant):
    db = counted
    deals = [_deal(db, tenant) for _ in range(3)]
    approvals = [_pending_approval(db, tenant, deal) for deal in deals[:2]]
    other = _pending_approval(db, tenant, _deal(db, tenant))  # its deal stays open
    audit_calls = _calls(db, "audit.log_changes()")
    with as_app(db, tenant):
        db.execute(
            "update rea.deals set stage = 'lost' where id = any(%s)", ([d["id"] for d in deals],)
        )
    rows = db.execute(
        "select id, status, decision_note from rea.approvals where id = any(%s)",
        ([a["id"] for a in [*approvals, other]],),
    ).fetchall()
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        approvals[0]["id"]: ("cancelled", "deals lost"),
        approvals[1]["id"]: ("cancelled", "deals lost"),
        other["id"]: ("pending", None),
    }
    # one statement on deals, one on approvals: two audit calls, not one per deal
    assert _calls(db, "audit.log_changes()") - audit_calls == 2


def test_an_update_that_does_not_close_a_deal_keeps_its_pending_approval(db, tenant):
    deal = _deal(db, tenant)
    approval = _pending_approval(db, tenant, deal)
    with as_app(db, tenant):
        db.execute("update rea.deals set stage = 'negotiation' where id = %s", (deal["id"],))
    assert db.execute(
        "select status from rea.approvals where id = %s", (approval["id"],)
    ).fetchone() == ("pending",)


def _booking(db, tenant, property_id, status):
    return insert(
        db,
        "bookings",
        client_id=tenant.client_id,
        property_id=property_id,
        customer_id=tenant.customer_id,
        agent_user_id=tenant.agent_id,
        status=status,
        starts_at=datetime(2026, 10, 1, tzinfo=UTC),
        ends_at=datetime(2026, 10, 31, tzinfo=UTC),
    )


def _property_status(db, property_id) -> str:
    return db.execute("select status from rea.properties where id = %s", (property_id,)).fetchone()[
        0
    ]


def test_bookings_reserve_and_release_their_property_set_based(counted, tenant):
    db = counted
    flats = [tenant.property(db)["id"] for _ in range(3)]
    bookings = [_booking(db, tenant, flat, "PENDING") for flat in flats]

    def calls_of(statement, params):
        before = _calls(db, "audit.log_changes()")
        with as_app(db, tenant):
            db.execute(statement, params)
        return _calls(db, "audit.log_changes()") - before

    ids = [b["id"] for b in bookings]
    # one UPDATE of the bookings, one of the three properties
    assert calls_of("update rea.bookings set status = 'ACTIVE' where id = any(%s)", (ids,)) == 2
    assert [_property_status(db, flat) for flat in flats] == ["reserved"] * 3
    # no status moved: the properties are left alone
    assert (
        calls_of("update rea.bookings set notes = 'Keys at the desk' where id = %s", (ids[0],)) == 1
    )
    calls_of("update rea.bookings set status = 'COMPLETED' where id = any(%s)", (ids[:2],))
    assert [_property_status(db, flat) for flat in flats] == ["available", "available", "reserved"]
    with as_app(db, tenant):
        active = _booking(db, tenant, tenant.property(db)["id"], "ACTIVE")
    assert _property_status(db, active["property_id"]) == "reserved"
