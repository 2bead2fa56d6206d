"""audit.audit_logs is partitioned by UTC month, with no default partition, and kept for
at least five years.

- The build makes the partitions of the current UTC month and the twelve after it, named
  audit_logs_YYYY_MM and bounded by UTC midnights; audit.create_partitions(n) makes the
  missing ones up to n months ahead (0..120, else 22023), returns only those it made, and
  gives each the no-truncate trigger; the append-only row trigger is cloned onto every
  partition, so neither a partition nor the parent can be updated, deleted or truncated.
- A row outside every partition fails (23514): there is no default partition, where
  rows would pile up that retention could never drop whole.
- audit.settings.retention_months cannot go below 60 (settings_retention_months_check);
  audit.drop_expired_partitions(as_of) drops exactly the partitions whose month ended
  at least retention_months before as_of (a model in Python says which), keeps the rows
  of every other one, moves audit.settings.retained_from past the last one it dropped,
  and refuses an as_of in the future or NULL (22023).
"""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import acting_as, violates

# tgtype bits (pg_trigger.h): ROW 1, BEFORE 2, DELETE 8, UPDATE 16, TRUNCATE 32
BEFORE_UPDATE_OR_DELETE_ROW = 1 | 2 | 8 | 16
BEFORE_TRUNCATE_STATEMENT = 2 | 32


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def _name(month: date) -> str:
    return f"audit_logs_{month:%Y_%m}"


def _utc_month(db) -> date:
    return db.execute("select date_trunc('month', now() at time zone 'UTC')::date").fetchone()[0]


def _partitions(db) -> dict[str, str]:
    """name -> bound, with the bound printed in UTC (the session's time zone is kept)."""
    (zone,) = db.execute("select current_setting('timezone')").fetchone()
    db.execute("set local timezone = 'UTC'")
    partitions = dict(
        db.execute(
            """
            select c.relname, pg_get_expr(c.relpartbound, c.oid)
            from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent = 'audit.audit_logs'::regclass
            """
        ).fetchall()
    )
    db.execute("select set_config('timezone', %s, true)", (zone,))
    return partitions


def _bound(month: date) -> str:
    return f"FOR VALUES FROM ('{month} 00:00:00+00') TO ('{_add_months(month, 1)} 00:00:00+00')"


def _make_partition(db, month: date) -> None:
    """By hand, by the superuser for rea_audit_owner (the owner of the log, as whom
    audit.drop_expired_partitions() drops partitions)."""
    db.execute(
        f"create table audit.{_name(month)} partition of audit.audit_logs for values"
        f" from ('{month} 00:00+00') to ('{_add_months(month, 1)} 00:00+00')"
    )
    db.execute(f"alter table audit.{_name(month)} owner to rea_audit_owner")


def _log_at(db, moment: datetime) -> None:
    """An audit row at a given time, written directly (as the superuser)."""
    db.execute(
        "insert into audit.audit_logs (table_name, record_id, action, occurred_at)"
        " values ('properties', 'test', 'INSERT', %s)",
        (moment,),
    )


def _create(db, months) -> list[str]:
    with acting_as(db, "rea_owner"):
        return [r[0] for r in db.execute("select audit.create_partitions(%s)", (months,))]


# --- Monthly partitions ------------------------------------------------------------------


def test_this_month_and_twelve_ahead_exist_bounded_by_utc_midnights(db):
    month = _utc_month(db)
    expected = {_name(_add_months(month, n)): _bound(_add_months(month, n)) for n in range(13)}
    assert _partitions(db) == expected


def test_create_partitions_makes_only_the_missing_ones(db):
    month = _utc_month(db)
    assert _create(db, 12) == []
    assert _create(db, 0) == []
    with acting_as(db, "rea_owner"):
        assert db.execute("select audit.create_partitions()").fetchall() == []
    db.execute("set local timezone = 'Asia/Riyadh'")  # bounds stay UTC midnights
    assert _create(db, 14) == [_name(_add_months(month, 13)), _name(_add_months(month, 14))]
    assert _create(db, 14) == []
    # a gap is filled, and only the gap is reported
    db.execute(f"drop table audit.{_name(_add_months(month, 5))}")
    assert _create(db, 14) == [_name(_add_months(month, 5))]
    assert _partitions(db)[_name(_add_months(month, 14))] == _bound(_add_months(month, 14))
    with db.transaction(force_rollback=True):
        assert len(_create(db, 120)) == 120 - 14


@pytest.mark.parametrize("months", [-1, 121, None])
def test_create_partitions_refuses_a_bad_horizon(db, months):
    with pytest.raises(errors.InvalidParameterValue), db.transaction():
        _create(db, months)


def test_the_application_cannot_manage_partitions(db):
    for call in ("select audit.create_partitions(1)", "select audit.drop_expired_partitions()"):
        with pytest.raises(errors.InsufficientPrivilege), acting_as(db, "rea_app"):
            db.execute(call)


def test_every_partition_is_append_only_and_cannot_be_truncated(db):
    _create(db, 15)
    triggers = db.execute(
        """
        select c.relname,
               count(*) filter (where t.tgtype = %s and t.tgparentid <> 0),
               count(*) filter (where t.tgtype = %s)
        from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        left join pg_trigger t
          on t.tgrelid = c.oid and t.tgfoid = 'audit.refuse_change'::regproc
          and t.tgenabled in ('O', 'A')
        where i.inhparent = 'audit.audit_logs'::regclass
        group by c.relname
        """,
        (BEFORE_UPDATE_OR_DELETE_ROW, BEFORE_TRUNCATE_STATEMENT),
    ).fetchall()
    assert len(triggers) == 16
    assert all(row[1:] == (1, 1) for row in triggers), triggers

    name = _name(_utc_month(db))
    _log_at(db, datetime.now(UTC))
    for statement in (
        f"update audit.{name} set actor_id = null",
        f"delete from audit.{name}",
        f"truncate audit.{name}",
        "update audit.audit_logs set record_id = 'changed'",
        "delete from audit.audit_logs",
        "truncate audit.audit_logs",
    ):
        with pytest.raises(errors.InsufficientPrivilege) as caught, db.transaction():
            db.execute(statement)  # as the superuser: only the triggers refuse
        assert "the audit trail is append-only" in str(caught.value)


def test_a_row_outside_every_partition_fails(db):
    assert db.execute(
        "select partdefid from pg_partitioned_table where partrelid = 'audit.audit_logs'::regclass"
    ).fetchone() == (0,)
    with pytest.raises(errors.CheckViolation) as caught, db.transaction():
        _log_at(db, datetime(1990, 1, 1, tzinfo=UTC))
    assert "no partition of relation" in str(caught.value)
    # the last microsecond before this month's UTC start lies outside too
    start = datetime.combine(_utc_month(db), datetime.min.time(), UTC)
    with pytest.raises(errors.CheckViolation), db.transaction():
        _log_at(db, start - timedelta(microseconds=1))
    _log_at(db, start)


# --- Retention ---------------------------------------------------------------------------


def test_retention_cannot_go_below_five_years(db):
    violates(
        db,
        "settings_retention_months_check",
        errors.CheckViolation,
        lambda: db.execute("update audit.settings set retention_months = 59"),
    )
    db.execute("update audit.settings set retention_months = 60")
    assert db.execute("select retention_months from audit.settings").fetchone() == (60,)


@pytest.mark.parametrize("as_of", ["now() + interval '1 minute'", "null"])
def test_drop_expired_partitions_refuses_an_as_of_not_passed(db, as_of):
    with pytest.raises(errors.InvalidParameterValue), acting_as(db, "rea_owner"):
        db.execute(f"select audit.drop_expired_partitions({as_of})")


def test_recent_partitions_survive(db):
    before = _partitions(db)
    with acting_as(db, "rea_owner"):
        assert db.execute("select audit.drop_expired_partitions()").fetchall() == []
    assert _partitions(db) == before
    assert db.execute("select retained_from from audit.settings").fetchone() == (None,)


def _expired(month: date, as_of: datetime, retention: int) -> bool:
    """The rule: the month ended at least `retention` months before as_of (in UTC).
    Month ends are midnights on the 1st, so comparing with as_of's month suffices."""
    utc = as_of.astimezone(UTC)
    return _add_months(month, 1 + retention) <= date(utc.year, utc.month, 1)


ZONES = st.sampled_from(["UTC", "Asia/Riyadh", "America/New_York", "Pacific/Kiritimati"])
AS_OF = st.one_of(
    st.datetimes(
        min_value=datetime(2012, 1, 1),
        max_value=datetime(2026, 1, 1),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=3)), timezone(-timedelta(hours=5))]
        ),
    ),
    # a microsecond either side of a UTC month's start: where the rule turns
    st.builds(
        lambda n, us: (
            datetime.combine(_add_months(date(2012, 1, 1), n), time(), UTC)
            + timedelta(microseconds=us)
        ),
        st.integers(0, 12 * 14),
        st.sampled_from([-1, 0, 1]),
    ),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(retention=st.integers(60, 100), as_of=AS_OF, zone=ZONES, data=st.data())
def test_drop_expired_partitions_drops_exactly_the_months_past_retention(
    db, retention, as_of, zone, data
):
    """Months are UTC months whatever the session's time zone."""
    # old months around the last one that may go, and anywhere before it
    utc = as_of.astimezone(UTC)
    last = _add_months(date(utc.year, utc.month, 1), -retention - 1)
    months = data.draw(
        st.sets(
            st.one_of(st.integers(-3, 3), st.integers(-60, -4)).map(lambda n: _add_months(last, n)),
            min_size=1,
            max_size=6,
        ),
        label="months",
    )
    with db.transaction(force_rollback=True):
        db.execute("select set_config('timezone', %s, true)", (zone,))
        db.execute("update audit.settings set retention_months = %s", (retention,))
        for month in months:
            _make_partition(db, month)
            _log_at(db, datetime(month.year, month.month, 15, tzinfo=UTC))
        current = set(_partitions(db))

        with acting_as(db, "rea_owner"):
            dropped = [
                r[0] for r in db.execute("select audit.drop_expired_partitions(%s)", (as_of,))
            ]

        expired = sorted(m for m in months if _expired(m, as_of, retention))
        assert dropped == [_name(m) for m in expired]
        assert set(_partitions(db)) == current - set(dropped)
        # whole partitions only: every other old month keeps its row
        survivors = db.execute(
            "select count(*) from audit.audit_logs where occurred_at < '2022-01-01'"
        ).fetchone()[0]
        assert survivors == len(months) - len(expired)
        retained_from = db.execute("select retained_from from audit.settings").fetchone()[0]
        assert retained_from == (_add_months(expired[-1], 1) if expired else None)


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/New_York"])
def test_drop_expired_partitions_at_the_boundary(db, zone):
    """A month that ended exactly retention_months before as_of goes; one that ended a
    microsecond later stays. UTC months, whatever the session's time zone."""
    db.execute("select set_config('timezone', %s, true)", (zone,))
    for month in (date(2019, 1, 1), date(2019, 2, 1)):
        _make_partition(db, month)
    with acting_as(db, "rea_owner"):
        assert (
            db.execute(
                "select audit.drop_expired_partitions('2024-01-31 23:59:59.999999+00')"
            ).fetchall()
            == []
        )
        assert (
            db.execute(
                "select audit.drop_expired_partitions('2024-02-01 02:00:00+03')"  # 2024-01-31 UTC
            ).fetchall()
            == []
        )
        assert db.execute(
            "select audit.drop_expired_partitions('2024-02-01 00:00:00+00')"
        ).fetchall() == [("audit_logs_2019_01",)]
    assert db.execute("select retained_from from audit.settings").fetchone() == (date(2019, 2, 1),)
