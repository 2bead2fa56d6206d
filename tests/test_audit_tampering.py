"""With the heads kept outside the database, every tampering of the hardening issue is found.

The trail: two tenants with rows on the last day of last month and yesterday, sealed
(audit.seal_days()), and rows of today written by transactions that have ended. The
operator's heads are read (what `readb audit heads` prints), then a superuser (only one
can, since rea_audit_owner) tampers, and `readb audit verify --heads` must name it
(readb.audit.verify(), the function behind the command, in the test's savepoint; the
command itself runs in test_the_commands_*):

- reseal:      edit a sealed row, delete the seals and sealed_through, seal again: the
               seals are consistent again, the heads are not;
- settings:    delete audit.settings;
- partition:   move retained_from past the month, then drop or detach its partition;
- retention:   drop the 60-month check, retention 0, audit.drop_expired_partitions();
- open day:    forge a row into today, among the rows the provisional head covers;
- sealed day:  forge a row into a sealed day.

Hypothesis picks the tampering, the tenant and the row. Without tampering verify finds
nothing, and without the heads file the reseal and the open-day forgery go unseen
(which is why the heads must leave the database).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_tenant, run_readb, url_for
from readb import audit

ENDED_XID = "3"  # a transaction id that ended long ago (FrozenTransactionId)


def _partition(db: psycopg.Connection, day: date) -> str:
    month = day.replace(day=1)
    name = f"audit_logs_{month:%Y_%m}"
    if db.execute("select to_regclass(%s)", (f"audit.{name}",)).fetchone()[0] is None:
        following = (month + timedelta(days=32)).replace(day=1)
        db.execute(
            f"create table audit.{name} partition of audit.audit_logs"
            f" for values from ('{month} 00:00+00') to ('{following} 00:00+00')"
        )
        db.execute(f"alter table audit.{name} owner to rea_audit_owner")
    return name


def _row(db, client, moment: datetime, record: str) -> None:
    db.execute(
        "insert into audit.audit_logs"
        " (client_id, table_name, record_id, action, new_data, occurred_at, transaction_id)"
        " values (%s, 'deals', %s, 'INSERT', jsonb_build_object('r', %s::text), %s, %s::xid8)",
        (client, record, record, moment, ENDED_XID),
    )


class Trail:
    def __init__(self, db: psycopg.Connection, tenants: list) -> None:
        self.now = db.execute("select now()").fetchone()[0].astimezone(UTC)
        self.today = self.now.date()
        self.last_month_day = self.today.replace(day=1) - timedelta(days=1)
        self.yesterday = self.today - timedelta(days=1)
        self.old_partition = _partition(db, self.last_month_day)
        _partition(db, self.yesterday)
        self.tenants = [t.client_id for t in tenants]
        start_of_today = datetime.combine(self.today, time(0), UTC)
        for n, client in enumerate(self.tenants):
            for day in sorted({self.last_month_day, self.yesterday}):
                for k in range(2):
                    _row(db, client, datetime.combine(day, time(10 + k), UTC), f"{n}-{day}-{k}")
            # today's rows, of ended transactions, before now
            _row(db, client, start_of_today + (self.now - start_of_today) / 3, f"{n}-today")
        db.execute("set local role rea_owner")
        db.execute("select audit.seal_days()")
        db.execute("reset role")


def _replica(db: psycopg.Connection) -> None:
    """Round every trigger: what a superuser can do."""
    db.execute("set local session_replication_role = replica")


def tamper(db: psycopg.Connection, trail: Trail, kind: str, victim: uuid.UUID, k: int) -> None:
    day = trail.last_month_day if k % 2 else trail.yesterday
    if kind == "reseal":
        _replica(db)
        db.execute(
            'update audit.audit_logs set new_data = \'{"r": "edited"}\''
            " where client_id = %s and (occurred_at at time zone 'UTC')::date = %s"
            " and record_id like %s",
            (victim, day, f"%-{k % 2}"),
        )
        db.execute("delete from audit.seals")
        db.execute("update audit.settings set sealed_through = null")
        db.execute("set local session_replication_role = origin")
        db.execute("set local role rea_owner")
        db.execute("select audit.seal_days()")
        db.execute("reset role")
    elif kind == "settings":
        db.execute("delete from audit.settings")
    elif kind in ("drop partition", "detach partition"):
        # retained_from first, as drop_expired_partitions() would have left it
        db.execute("update audit.settings set retained_from = %s", (trail.today.replace(day=1),))
        verb = (
            "drop table audit.{}"
            if kind == "drop partition"
            else ("alter table audit.audit_logs detach partition audit.{}")
        )
        db.execute(verb.format(trail.old_partition))
    elif kind == "retention":
        db.execute("alter table audit.settings drop constraint settings_retention_months_check")
        db.execute("update audit.settings set retention_months = 0")
        db.execute("select audit.drop_expired_partitions()")
    elif kind == "open day":
        start = datetime.combine(trail.today, time(0), UTC)
        moment = start + (trail.now - start) / (k + 4)
        _row(db, victim, moment, "forged")
    elif kind == "sealed day":
        _row(db, victim, datetime.combine(day, time(20, k), UTC), "forged")
    else:
        raise AssertionError(kind)


KINDS = [
    "reseal",
    "settings",
    "drop partition",
    "detach partition",
    "retention",
    "open day",
    "sealed day",
]
SEEN_WITHOUT_HEADS = {"settings", "drop partition", "detach partition", "retention", "sealed day"}


@pytest.fixture
def trail(db) -> Trail:
    db.execute("set jit = off")
    return Trail(db, [make_tenant(db, "Tampered One"), make_tenant(db, "Tampered Two")])


def test_an_untouched_trail_verifies(db, trail):
    heads = audit.heads(db)
    assert {h["client_id"] for h in heads} >= {str(t) for t in trail.tenants}
    assert any("before_xid" in h for h in heads) and any("before_xid" not in h for h in heads)
    assert audit.verify(db, heads) == []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(KINDS), which=st.integers(0, 1), k=st.integers(0, 59))
def test_every_tampering_is_found_with_the_heads_kept_outside(db, trail, kind, which, k):
    heads = audit.heads(db)
    victim = trail.tenants[which]
    with db.transaction(force_rollback=True):
        tamper(db, trail, kind, victim, k)
        with_heads = audit.verify(db, heads)
        without_heads = audit.verify(db)
    assert with_heads, kind
    assert bool(without_heads) == (kind in SEEN_WITHOUT_HEADS), (kind, without_heads)
    if kind in ("reseal", "open day", "sealed day"):
        assert any(str(victim) in problem for problem in with_heads), with_heads


def test_the_commands_seal_print_the_heads_and_name_what_differs(db, tmp_path):
    """readb audit seal, heads and verify --heads in child processes, as an operator runs
    them; then a superuser reseals an edited day and verify exits 1 naming the tenant."""
    tenant = make_tenant(db, "Operator Realty")
    yesterday = db.execute("select (now() at time zone 'UTC')::date - 1").fetchone()[0]
    _partition(db, yesterday)
    _row(db, tenant.client_id, datetime.combine(yesterday, time(9), UTC), "a")
    db.commit()
    dsn = url_for(db.info.dbname)
    sealed = run_readb("audit", "seal", dsn=dsn)
    assert sealed.returncode == 0 and sealed.stdout.startswith("sealed "), sealed.stderr
    printed = run_readb("audit", "heads", dsn=dsn)
    assert printed.returncode == 0, printed.stderr
    lines = [json.loads(line) for line in printed.stdout.splitlines()]
    mine = [h for h in lines if h["client_id"] == str(tenant.client_id) and "before_xid" not in h]
    assert mine and {"client_id", "day", "row_count", "seal_hash"} <= set(mine[0])
    heads = tmp_path / "heads.jsonl"
    heads.write_text(printed.stdout)
    ok = run_readb("audit", "verify", "--heads", str(heads), dsn=dsn)
    assert ok.returncode == 0 and ok.stdout.startswith("ok"), ok.stdout + ok.stderr

    _replica(db)
    db.execute("update audit.audit_logs set record_id = 'b' where record_id = 'a'")
    db.execute("delete from audit.seals")
    db.execute("update audit.settings set sealed_through = null")
    db.execute("set local session_replication_role = origin")
    db.execute("select audit.seal_days()")
    db.commit()
    assert run_readb("audit", "verify", dsn=dsn).returncode == 0  # the seals agree again
    found = run_readb("audit", "verify", "--heads", str(heads), dsn=dsn)
    assert found.returncode == 1
    assert f"head tenant {tenant.client_id} day {yesterday}: the seal changed" in found.stdout
    assert found.stderr.startswith("readb: audit verify found ")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    refused = run_readb("audit", "verify", "--heads", str(bad), dsn=dsn)
    assert refused.returncode == 1 and "bad.jsonl:1: not a head" in refused.stderr
