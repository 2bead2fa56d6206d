"""Seals make tampering with the audit trail evident, without serialising writers.

- audit.seal_days(through) seals every UTC day after the last sealed one up to `through`,
  per tenant (rows of shared tables under the nil UUID): row_count, rows_hash = SHA-256
  over audit.row_hash() of the day's rows in (occurred_at, id) order, and seal_hash =
  SHA-256(previous_hash || rows_hash), chained to the tenant's previous seal (32 zero
  bytes for the first). A day that has not ended (UTC) cannot be sealed (22023).
- audit.verify_seals() returns nothing while the trail is intact, and names the tenant
  and day of every altered, removed or added row, of rows that appeared in a day sealed
  without any, and of every broken link of the chain; whichever row and column is
  altered, it is found (Hypothesis). Seals are append-only; an auditor sees only its own
  tenant's problems.
- Writers never wait for each other or for the sealer: each audited write locks its UTC
  day's row of audit.day_locks FOR KEY SHARE (audit.stamp()); the sealer locks that row
  FOR UPDATE, so it waits only for writers still open on the day it seals. Proven with
  real concurrent connections, lock_timeout turning a wait into an error (55P03). (Row
  locks on a table only rea_audit_owner may touch, not advisory keys: see
  tests/test_audit_owner.py for rea_app holding the old keys.)

Audit rows for past days are written directly by the superuser (the triggers stamp the
clock's time), into a partition made by hand when the day lies in last month.
"""

import hashlib
import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta

import psycopg
import psycopg.sql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors

from conftest import acting_as, make_tenant

NIL = uuid.UUID(int=0)
ZERO = bytes(32)


def _today(db) -> date:
    return db.execute("select (now() at time zone 'UTC')::date").fetchone()[0]


def _ensure_partition(db, day: date) -> None:
    """The monthly partition holding `day`, made by hand (by the superuser, for the trail's
    owner rea_audit_owner, whom nobody can become) if missing."""
    month = day.replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    name = f"audit_logs_{month:%Y_%m}"
    if db.execute("select to_regclass(%s)", (f"audit.{name}",)).fetchone()[0] is None:
        db.execute(
            f"create table audit.{name} partition of audit.audit_logs"
            f" for values from ('{month} 00:00+00') to ('{following} 00:00+00')"
        )
        db.execute(f"alter table audit.{name} owner to rea_audit_owner")


def _log(db, client_id, day: date, count: int = 1, at: time = time(12)) -> list[int]:
    """`count` audit rows of `client_id` (None: a shared table) on a past UTC day."""
    _ensure_partition(db, day)
    moment = datetime.combine(day, at, UTC)
    return [
        db.execute(
            """
            insert into audit.audit_logs
                (client_id, table_name, record_id, action, new_data, actor_id, occurred_at)
            values (%s, %s, %s, 'INSERT', jsonb_build_object('n', %s::int), %s, %s)
            returning id
            """,
            (
                client_id,
                "properties" if client_id else "fx_rates",
                str(uuid.uuid4()),
                n,
                uuid.uuid4(),
                moment + timedelta(minutes=n),
            ),
        ).fetchone()[0]
        for n in range(count)
    ]


def _seal(db, through) -> int:
    with acting_as(db, "rea_owner"):
        return db.execute("select audit.seal_days(%s)", (through,)).fetchone()[0]


def _verify(db) -> list[tuple]:
    return db.execute("select * from audit.verify_seals()").fetchall()


def _tamper(db, *statements: tuple) -> None:
    """What only a superuser can do: write round the append-only triggers. Call inside a
    rolled-back savepoint (session_replication_role = replica fires no ordinary trigger).
    Each statement is (sql, params)."""
    db.execute("set local session_replication_role = replica")
    for statement, params in statements:
        db.execute(statement, params)
    db.execute("set local session_replication_role = origin")


class Trail:
    """Three past days D1, D2, D3 (the last is yesterday), sealed:
    tenant A: 2, 3, 1 rows; tenant B: 1, 0, 2; shared tables: 0, 2, 0."""

    def __init__(self, db, a, b):
        self.today = _today(db)
        self.d1, self.d2, self.d3 = (self.today - timedelta(days=n) for n in (3, 2, 1))
        self.a, self.b = a.client_id, b.client_id
        self.rows = {
            (self.a, self.d1): _log(db, self.a, self.d1, 2),
            (self.a, self.d2): _log(db, self.a, self.d2, 3),
            (self.a, self.d3): _log(db, self.a, self.d3, 1),
            (self.b, self.d1): _log(db, self.b, self.d1, 1),
            (self.b, self.d3): _log(db, self.b, self.d3, 2),
            (NIL, self.d2): _log(db, None, self.d2, 2),
        }


@pytest.fixture
def trail(db, tenant, other_tenant) -> Trail:
    # verify_seals() is planned with default estimates (a never-analysed audit.settings,
    # 1000 rows from day_hashes()) that cross jit_above_cost: half a second of JIT
    # compilation per call on a handful of rows. Not what these tests are about.
    db.execute("set jit = off")
    t = Trail(db, tenant, other_tenant)
    assert _seal(db, t.d3) == 3
    return t


# --- Sealing -----------------------------------------------------------------------------


def test_seals_chain_the_hash_of_each_tenants_days(db, trail):
    seals = db.execute(
        "select client_id, day, row_count, rows_hash, previous_hash, seal_hash"
        " from audit.seals order by client_id, day"
    ).fetchall()
    assert {(c, d): n for c, d, n, *_ in seals} == {
        key: len(ids) for key, ids in trail.rows.items()
    }
    previous = {}
    for client, day, _, rows_hash, previous_hash, seal_hash in seals:
        hashes = db.execute(
            """
            select audit.row_hash(l) from audit.audit_logs l
            where coalesce(l.client_id, %s) = %s
              and occurred_at >= %s and occurred_at < %s
            order by l.occurred_at, l.id
            """,
            (
                NIL,
                client,
                datetime.combine(day, time(), UTC),
                datetime.combine(day + timedelta(days=1), time(), UTC),
            ),
        ).fetchall()
        assert rows_hash == hashlib.sha256(b"".join(h for (h,) in hashes)).digest()
        assert previous_hash == previous.get(client, ZERO)
        assert seal_hash == hashlib.sha256(previous_hash + rows_hash).digest()
        previous[client] = seal_hash
    assert db.execute("select sealed_through from audit.settings").fetchone() == (trail.d3,)
    assert _verify(db) == []


def test_sealing_again_seals_only_new_days_and_continues_the_chain(db, tenant, other_tenant):
    t = Trail(db, tenant, other_tenant)
    with db.transaction(force_rollback=True):
        _seal(db, t.d3)
        at_once = db.execute("select * from audit.seals order by 1, 2").fetchall()
    assert _seal(db, t.d1) == 1
    assert _seal(db, t.d1) == 0  # nothing new
    assert _seal(db, t.d3) == 2
    in_steps = db.execute("select * from audit.seals order by 1, 2").fetchall()
    strip = [s[:6] for s in at_once], [s[:6] for s in in_steps]  # sealed_at differs
    assert strip[0] == strip[1]


@pytest.mark.parametrize("days_ahead", [0, 1, None])
def test_a_day_that_has_not_ended_cannot_be_sealed(db, days_ahead):
    through = None if days_ahead is None else _today(db) + timedelta(days=days_ahead)
    with pytest.raises(errors.InvalidParameterValue), db.transaction():
        _seal(db, through)


def test_rows_of_shared_tables_are_sealed_under_the_nil_uuid(db, trail):
    assert db.execute(
        "select day, row_count from audit.seals where client_id = %s", (NIL,)
    ).fetchall() == [(trail.d2, 2)]


def test_seals_are_append_only(db, trail):
    for statement in (
        "update audit.seals set row_count = row_count + 1",
        "delete from audit.seals",
        "truncate audit.seals",
    ):
        with pytest.raises(errors.InsufficientPrivilege), db.transaction():
            db.execute(statement)  # as the superuser: the triggers refuse
        with pytest.raises(errors.InsufficientPrivilege), acting_as(db, "rea_owner"):
            db.execute(statement)  # its owner holds no such privilege either


# --- Verifying ---------------------------------------------------------------------------


def _problems(db, statement, params: tuple = (), *more: tuple) -> list[tuple]:
    """What verify_seals() reports after tampering (rolled back afterwards)."""
    with db.transaction(force_rollback=True):
        _tamper(db, (statement, params), *more)
        return _verify(db)


def test_verify_names_each_kind_of_tampering(db, trail):
    a, b, d1, d2, d3 = trail.a, trail.b, trail.d1, trail.d2, trail.d3
    row = trail.rows[(a, d2)][1]
    assert _problems(
        db, "update audit.audit_logs set new_data = '{\"n\": 7}' where id = %s", (row,)
    ) == [(a, d2, "rows altered", 3, 3)]
    assert _problems(db, "delete from audit.audit_logs where id = %s", (row,)) == [
        (a, d2, "rows added or removed", 3, 2)
    ]
    assert _problems(
        db, "delete from audit.audit_logs where id = %s", (trail.rows[(a, d3)][0],)
    ) == [(a, d3, "sealed rows missing", 1, 0)]

    with db.transaction(force_rollback=True):
        _log(db, a, d1, at=time(18))  # a plain INSERT: nothing refuses it
        assert _verify(db) == [(a, d1, "rows added or removed", 2, 3)]
    with db.transaction(force_rollback=True):
        _log(db, b, d2)  # B had no rows that day
        assert _verify(db) == [(b, d2, "rows in a day sealed without them", None, 1)]
    with db.transaction(force_rollback=True):
        _log(db, make_tenant(db, "Late Comer").client_id, d1)  # a tenant never sealed
        ((_, day, problem, *_),) = _verify(db)
        assert (day, problem) == (d1, "rows in a day sealed without them")


def test_verify_names_a_broken_chain(db, trail):
    a, d1, d2, d3 = trail.a, trail.d1, trail.d2, trail.d3
    forged = hashlib.sha256(b"forged").digest()
    where = "where client_id = %s and day = %s"
    # the rows' hash no longer matches, nor does the seal's own hash
    assert _problems(db, f"update audit.seals set rows_hash = %s {where}", (forged, a, d2)) == [
        (a, d2, "rows altered", 3, 3),
        (a, d2, "seal chain broken", None, None),
    ]
    # a seal's hash is no longer what its inputs give, nor what the next seal chains to
    assert _problems(db, f"update audit.seals set seal_hash = %s {where}", (forged, a, d1)) == [
        (a, d1, "seal chain broken", None, None),
        (a, d2, "seal chain broken", None, None),
    ]
    assert _problems(db, f"update audit.seals set previous_hash = %s {where}", (forged, a, d3)) == [
        (a, d3, "seal chain broken", None, None)
    ]
    # a seal taken out: its day's rows are unsealed, and the chain skips a link
    assert _problems(db, f"delete from audit.seals {where}", (a, d2)) == [
        (a, d2, "rows in a day sealed without them", None, 3),
        (a, d3, "seal chain broken", None, None),
    ]
    # a seal recomputed consistently for altered rows still breaks the next link
    reseal = """
        update audit.seals s set rows_hash = h.rows_hash,
               seal_hash = sha256(s.previous_hash || h.rows_hash)
        from audit.day_hashes(%s, %s) h
        where s.client_id = h.client_id and s.day = h.day and s.client_id = %s
    """
    assert _problems(
        db,
        "update audit.audit_logs set new_data = '{\"n\": 9}' where id = %s",
        (trail.rows[(a, d2)][0],),
        (reseal, (d2, d2, a)),
    ) == [(a, d3, "seal chain broken", None, None)]


def test_a_row_forged_before_the_first_sealed_day_is_found(db, trail):
    """Every day up to sealed_through counts as sealed, also those before the first
    day that had rows."""
    d0 = trail.d1 - timedelta(days=1)
    _log(db, trail.a, d0)
    assert _verify(db) == [(trail.a, d0, "rows in a day sealed without them", None, 1)]


COLUMNS = {
    "id": st.integers(1, 10**6).map(lambda k: ("id + %s", k)),
    "client_id": st.integers(0, 4),  # which of: NULL, nil, tenant A, tenant B, a new UUID
    "table_name": st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1).map(
        lambda s: ("table_name || %s", s)
    ),
    "record_id": st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1).map(
        lambda s: ("record_id || %s", s)
    ),
    "action": st.sampled_from(["INSERT", "UPDATE", "DELETE"]),
    "old_data": st.integers().map(
        lambda k: ("coalesce(old_data, '{}') || jsonb_build_object('tampered', %s::numeric)", k)
    ),
    "new_data": st.one_of(
        st.just(("null", None)),
        st.integers().map(lambda k: ("new_data || jsonb_build_object('tampered', %s::numeric)", k)),
    ),
    "changed_columns": st.text(max_size=5)
    .filter(lambda s: "\x00" not in s)
    .map(lambda s: ("array_append(coalesce(changed_columns, '{}'), %s)", s)),
    "actor_id": st.sampled_from(["null", "random"]),
    "db_user": st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1).map(
        lambda s: ("db_user || %s", s)
    ),
    "transaction_id": st.integers(1, 10**6).map(
        lambda k: ("(transaction_id::text::bigint + %s)::text::xid8", k)
    ),
    "occurred_at": st.one_of(
        st.integers(-3600 * 10**6, 3600 * 10**6)
        .filter(bool)
        .map(lambda us: ("occurred_at + %s * interval '1 microsecond'", us)),
        st.sampled_from([-1, 1]).map(lambda d: ("occurred_at + %s * interval '1 day'", d)),
    ),
}


@st.composite
def alterations(draw):
    column = draw(st.sampled_from(sorted(COLUMNS)))
    return column, draw(COLUMNS[column])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.integers(0, 10), alteration=alterations())
def test_any_altered_value_of_any_sealed_row_is_found(db, trail, which, alteration):
    """Whichever sealed row, whichever column, whatever new value: verify_seals() names
    the row's original tenant and day."""
    rows = sorted((i, c, d) for (c, d), ids in trail.rows.items() for i in ids)
    row, client, day = rows[which % len(rows)]
    column, change = alteration
    current = db.execute(
        "select client_id, actor_id, action, occurred_at from audit.audit_logs where id = %s",
        (row,),
    ).fetchone()
    if column == "client_id":
        candidates = [None, NIL, trail.a, trail.b, uuid.uuid4()]
        if candidates[change] == current[0]:
            change = (change + 1) % len(candidates)
        expression, parameter = "%s::uuid", candidates[change]
    elif column == "actor_id":
        expression, parameter = ("%s::uuid", None if change == "null" else uuid.uuid4())
    elif column == "action":
        expression = "%s"
        parameter = change if change != current[2] else {"INSERT": "UPDATE"}.get(change, "INSERT")
    else:
        expression, parameter = change
    if column == "occurred_at" and "day" in expression:
        moved = day + timedelta(days=parameter)
        if not trail.d1 <= moved <= trail.d3:
            parameter = -parameter  # stay in the sealed days (and their partitions)
    statement = psycopg.sql.SQL("update audit.audit_logs set {} = {} where id = %s").format(
        psycopg.sql.Identifier(column), psycopg.sql.SQL(expression)
    )
    params = (row,) if "%s" not in expression else (parameter, row)
    problems = _problems(db, statement.as_string(db), params)
    assert (client, day) in {(c, d) for c, d, *_ in problems}, (column, parameter, problems)


def test_an_auditor_sees_only_its_own_tenants_problems(db, trail):
    a, b = trail.a, trail.b
    with acting_as(db, "rea_auditor", a):
        assert _verify(db) == []
    with db.transaction(force_rollback=True):
        _tamper(
            db,
            (
                "update audit.audit_logs set record_id = 'forged' where id = any(%s)",
                ([trail.rows[(a, trail.d2)][0], trail.rows[(b, trail.d1)][0]],),
            ),
        )
        _log(db, None, trail.d1)  # and a row of a shared table
        assert {(c, d) for c, d, *_ in _verify(db)} == {
            (a, trail.d2),
            (b, trail.d1),
            (NIL, trail.d1),
        }
        with acting_as(db, "rea_auditor", a):
            assert _verify(db) == [(a, trail.d2, "rows altered", 3, 3)]
        with acting_as(db, "rea_auditor", b):
            assert _verify(db) == [(b, trail.d1, "rows altered", 1, 1)]
        with acting_as(db, "rea_auditor", None):
            assert _verify(db) == []


# --- Without serialising writers ---------------------------------------------------------


def _app_write(conn: psycopg.Connection, tenant, title: str) -> None:
    """An audited insert by the application, left in an open transaction."""
    conn.execute("set local lock_timeout = '5s'")
    conn.execute("set local role rea_app")
    conn.execute(
        "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
        (str(tenant.client_id), str(tenant.agent_id)),
    )
    conn.execute(
        "insert into rea.properties"
        " (client_id, listing_type, property_type, title, city, asking_price, currency)"
        " values (%s, 'agency_owned', 'office', %s, 'Dammam', 500000, 'SAR')",
        (tenant.client_id, title),
    )


def _day_is_held(conn: psycopg.Connection, day: date) -> bool:
    """Whether some transaction holds `day`'s row of audit.day_locks (the sealer's lock
    would wait): FOR UPDATE NOWAIT, as the superuser, in a savepoint."""
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("select from audit.day_locks where day = %s for update nowait", (day,))
        return False
    except errors.LockNotAvailable:
        return True


@pytest.fixture
def committed(db, db_url, tenant):
    """The test's database with its rows committed, and a way to open more connections."""
    _log(db, tenant.client_id, _today(db) - timedelta(days=1), 2)
    db.commit()
    opened: list[psycopg.Connection] = []

    def connect() -> psycopg.Connection:
        conn = psycopg.connect(db_url)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


def test_concurrent_writers_of_one_tenant_do_not_wait_for_each_other(db, tenant, committed):
    first, second, observer = committed(), committed(), committed()
    _app_write(first, tenant, "First writer")
    _app_write(second, tenant, "Second writer")  # would time out (55P03) if first blocked it
    today = _today(observer)
    assert _day_is_held(observer, today)
    first.commit()
    assert _day_is_held(observer, today)  # the second writer still holds it
    second.commit()
    assert observer.execute(
        "select count(distinct transaction_id) from audit.audit_logs where table_name ="
        " 'properties' and new_data ->> 'title' in ('First writer', 'Second writer')"
    ).fetchone() == (2,)


def test_sealing_yesterday_does_not_wait_for_todays_writers(db, tenant, committed):
    writer, sealer = committed(), committed()
    _app_write(writer, tenant, "Open all along")
    yesterday = _today(sealer) - timedelta(days=1)
    sealer.execute("set lock_timeout = '5s'")
    with acting_as(sealer, "rea_owner"):
        assert sealer.execute("select audit.seal_days(%s)", (yesterday,)).fetchone()[0] >= 1
    sealer.commit()
    assert sealer.execute(
        "select row_count from audit.seals where client_id = %s and day = %s",
        (tenant.client_id, yesterday),
    ).fetchone() == (2,)
    writer.commit()


def test_the_sealer_waits_for_a_writer_still_open_on_the_day_it_seals(db, tenant, committed):
    writer, sealer = committed(), committed()
    yesterday = _today(writer) - timedelta(days=1)
    # what audit.stamp() holds for a transaction that wrote rows into yesterday
    writer.execute("insert into audit.day_locks values (%s) on conflict do nothing", (yesterday,))
    writer.execute("select from audit.day_locks where day = %s for key share", (yesterday,))
    sealer.execute("set lock_timeout = '1s'")
    with pytest.raises(errors.LockNotAvailable), acting_as(sealer, "rea_owner"):
        sealer.execute("select audit.seal_days(%s)", (yesterday,))
    sealer.rollback()
    assert sealer.execute("select count(*) from audit.seals").fetchone() == (0,)
    writer.commit()
    with acting_as(sealer, "rea_owner"):
        assert sealer.execute("select audit.seal_days(%s)", (yesterday,)).fetchone()[0] >= 1
    sealer.commit()


def _wait_until_blocked(observer: psycopg.Connection, day: date, sealer: threading.Thread) -> None:
    """Until a session waits for a row lock (the sealer for `day`'s row of audit.day_locks:
    polls pg_stat_activity), or the sealer has ended without waiting."""
    for _ in range(600):
        if not sealer.is_alive():
            return
        waiting = observer.execute(
            "select count(*) from pg_stat_activity where datname = current_database()"
            " and wait_event_type = 'Lock' and query like '%%seal_days%%'"
        ).fetchone()[0]
        observer.rollback()
        if waiting:
            return
        threading.Event().wait(0.05)
    raise AssertionError("the sealer never waited for the day's lock")


def _seal_in_thread(conn: psycopg.Connection, day: date, isolation: str) -> dict:
    outcome: dict = {}

    def run() -> None:
        try:
            conn.execute(f"set transaction isolation level {isolation}")
            conn.execute("set local role rea_owner")
            outcome["days"] = conn.execute("select audit.seal_days(%s)", (day,)).fetchone()[0]
            conn.commit()
        except psycopg.Error as error:
            outcome["error"] = error
            conn.rollback()

    thread = threading.Thread(target=run)
    thread.start()
    outcome["thread"] = thread
    return outcome


def _writer_into(conn: psycopg.Connection, tenant, day: date) -> None:
    """A transaction that wrote a row into `day` and is still open: the day's row lock
    audit.stamp() takes, and the row (written directly: the clock cannot be turned back)."""
    conn.execute("insert into audit.day_locks values (%s) on conflict do nothing", (day,))
    conn.execute("select from audit.day_locks where day = %s for key share", (day,))
    conn.execute(
        "insert into audit.audit_logs (client_id, table_name, record_id, action, occurred_at)"
        " values (%s, 'properties', 'late writer', 'INSERT', %s)",
        (tenant.client_id, datetime.combine(day, time(23, 59, 59), UTC)),
    )


@pytest.mark.parametrize(
    "isolation",
    [
        "read committed",
        "repeatable read",
    ],
)
def test_the_sealer_seals_the_rows_of_the_writer_it_waited_for(db, tenant, committed, isolation):
    writer, sealer, observer = committed(), committed(), committed()
    yesterday = _today(observer) - timedelta(days=1)
    _writer_into(writer, tenant, yesterday)
    outcome = _seal_in_thread(sealer, yesterday, isolation)
    _wait_until_blocked(observer, yesterday, outcome["thread"])
    writer.commit()
    outcome["thread"].join()
    if "error" in outcome:
        return  # refusing to seal is safe too
    assert observer.execute(
        "select row_count from audit.seals where client_id = %s and day = %s",
        (tenant.client_id, yesterday),
    ).fetchone() == (3,)
    observer.execute("set jit = off")
    assert observer.execute("select * from audit.verify_seals()").fetchall() == []
