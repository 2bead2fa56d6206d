"""The audit trail has its own owner, whom nobody can become (7540-7570, hardening issue).

- rea_audit_owner is NOLOGIN, no superuser, and nobody is a member of it, directly or
  through other roles (pg_auth_members, walked recursively);
- a LOGIN member of rea_owner (a deployer, rea_maintenance) cannot write the trail, its
  seals, its settings or their record of changes, cannot change their definitions, take
  their row locks, grant itself anything there or set session_replication_role: 42501
  for each statement of WRITES;
- nor can it disable, switch to replica-only or drop any audit trigger of any rea table
  (the event triggers of 7570); with the event trigger disabled it could;
- every change to audit.settings and audit.seals lands in audit.evidence_changes, which
  is append-only;
- the maintenance entry points run for that login: create_partitions, seal_days,
  drop_expired_partitions, rea.analyze_partitioned_tables (audit_logs analyzed);
- writers and the sealer coordinate with row locks on audit.day_locks (finding 5): a
  rea_app login holding the old advisory keys (the day's key exclusively, yesterday's
  shared, the sealer's) stalls neither another tenant's audited write nor seal_days();
  with the steps before 7550 (readb down --to 7540) the same holds do stall them.

Waits are turned into errors by lock_timeout (55P03), so a stall fails the test quickly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import psycopg.sql
import pytest
from psycopg import errors

from conftest import HOST, PORT, make_tenant, refused, run_readb, url_for
from pgbouncer import ensure_login_role

DEPLOYER = "t_audit_deployer"  # a LOGIN member of rea_owner only
APP = "t_audit_app"  # a LOGIN member of rea_app
LOCK_CLASS = 1635083380  # the advisory keys of 6110/6120: 'audt', day - 2000-01-01
EPOCH = date(2000, 1, 1)


def login_url(login: str, dbname: str) -> str:
    return f"postgresql://{login}@{HOST}:{PORT}/{dbname}"


@pytest.fixture
def logins(db, db_url) -> Iterator[callable]:
    """Connections as LOGIN roles to this test's database (rows committed first)."""
    ensure_login_role(db_url, DEPLOYER, "rea_owner")
    ensure_login_role(db_url, APP, "rea_app")
    db.commit()
    opened: list[psycopg.Connection] = []

    def connect(login: str, **kwargs) -> psycopg.Connection:
        conn = psycopg.connect(login_url(login, db.info.dbname), **kwargs)
        opened.append(conn)
        return conn

    yield connect
    for conn in opened:
        conn.close()


def ensure_partition(db: psycopg.Connection, day: date) -> None:
    """The month of `day` (yesterday is last month on the 1st), made by the superuser for
    the trail's owner."""
    month = day.replace(day=1)
    name = f"audit_logs_{month:%Y_%m}"
    if db.execute("select to_regclass(%s)", (f"audit.{name}",)).fetchone()[0] is None:
        following = (month + timedelta(days=32)).replace(day=1)
        db.execute(
            f"create table audit.{name} partition of audit.audit_logs"
            f" for values from ('{month} 00:00+00') to ('{following} 00:00+00')"
        )
        db.execute(f"alter table audit.{name} owner to rea_audit_owner")


# --- Nobody is rea_audit_owner ---------------------------------------------------------------


def members_of_the_audit_owner(db: psycopg.Connection) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            """
            with recursive members (role) as (
                select m.member from pg_auth_members m where m.roleid = 'rea_audit_owner'::regrole
                union
                select m.member from pg_auth_members m join members on m.roleid = members.role
            )
            select pg_get_userbyid(role) from members order by 1
            """
        )
    ]


def test_nobody_is_a_member_of_rea_audit_owner(db):
    assert members_of_the_audit_owner(db) == []
    assert db.execute(
        "select rolcanlogin, rolsuper, rolbypassrls, rolcreaterole from pg_roles"
        " where rolname = 'rea_audit_owner'"
    ).fetchone() == (False, False, False, False)
    # the check sees a member, also one of a member
    with db.transaction(force_rollback=True):
        db.execute("create role t_audit_probe_group nologin")  # rolled back with the rest
        db.execute("grant rea_audit_owner to t_audit_probe_group")
        db.execute("grant t_audit_probe_group to rea_owner")
        # and every member of rea_owner with it (the deployer logins too)
        assert {"rea_owner", "t_audit_probe_group"} <= set(members_of_the_audit_owner(db))


# --- rea_owner cannot write the trail -------------------------------------------------------

THIS_MONTH = "to_char(now() at time zone 'UTC', 'YYYY_MM')"
WRITES = {
    "insert a row": "insert into audit.audit_logs (table_name, record_id, action, occurred_at)"
    " values ('deals', 'x', 'INSERT', now())",
    "insert a seal": "insert into audit.seals (client_id, day, row_count, rows_hash,"
    " previous_hash, seal_hash) values (gen_random_uuid(), current_date, 1, '', '', '')",
    "update settings": "update audit.settings set retained_from = current_date",
    "delete settings": "delete from audit.settings",
    "insert evidence": "insert into audit.evidence_changes (table_name, action)"
    " values ('settings', 'DELETE')",
    "drop the 60-month check": "alter table audit.settings"
    " drop constraint settings_retention_months_check",
    "drop a partition": "do $$ begin execute"
    f" 'drop table audit.audit_logs_' || {THIS_MONTH}; end $$",
    "detach a partition": "do $$ begin execute 'alter table audit.audit_logs detach partition"
    f" audit.audit_logs_' || {THIS_MONTH}; end $$",
    "disable the append-only trigger": "alter table audit.audit_logs"
    " disable trigger audit_logs_append_only",
    "replace a function": "create or replace function audit.row_hash(r audit.audit_logs)"
    " returns bytea language sql immutable as 'select null::bytea'",
    "make the sealer an invoker": "alter function audit.seal_days(date) security invoker",
    "create in audit": "create table audit.not_the_owners (x int)",
    "lock a day": "select from audit.day_locks for update",
    "lock the day table": "lock table audit.day_locks",
    "lock the settings": "select from audit.settings for update",
    "skip every trigger": "set session_replication_role = replica",
    "become the owner": "set role rea_audit_owner",
}


@pytest.mark.parametrize("write", WRITES)
def test_a_member_of_rea_owner_cannot_change_the_trail(db, logins, write):
    deployer = logins(DEPLOYER)
    refused(deployer, errors.InsufficientPrivilege, WRITES[write])


def test_a_member_of_rea_owner_cannot_grant_itself_the_trail(db, logins):
    deployer = logins(DEPLOYER)
    deployer.execute("grant insert, update, delete on audit.audit_logs, audit.seals to rea_owner")
    deployer.execute("grant update, delete on audit.settings to rea_owner")
    assert deployer.execute(
        "select has_table_privilege('audit.audit_logs', 'insert'),"
        " has_table_privilege('audit.seals', 'insert'),"
        " has_table_privilege('audit.settings', 'update, delete')"
    ).fetchone() == (False, False, False)


# --- Audit triggers of rea tables stay -----------------------------------------------------


def audit_triggers(db: psycopg.Connection) -> list[tuple[str, str]]:
    return db.execute(
        """
        select t.tgrelid::regclass::text, t.tgname from pg_trigger t
        join pg_class c on c.oid = t.tgrelid
        where c.relnamespace = 'rea'::regnamespace
          and t.tgfoid in ('audit.log_changes()'::regprocedure,
                           'audit.refuse_change()'::regprocedure)
        order by 1, 2
        """
    ).fetchall()


def test_no_member_of_rea_owner_disables_or_drops_an_audit_trigger(db, logins):
    triggers = audit_triggers(db)
    assert len(triggers) >= 4 * 18  # insert, update, delete, truncate on every rea table
    deployer = logins(DEPLOYER)
    let_through = []
    for table, trigger in triggers:
        for ddl in (
            "alter table {table} disable trigger {trigger}",
            "alter table {table} enable replica trigger {trigger}",
            "drop trigger {trigger} on {table}",
        ):
            statement = psycopg.sql.SQL(ddl).format(
                table=psycopg.sql.SQL(table), trigger=psycopg.sql.Identifier(trigger)
            )
            try:
                refused(deployer, errors.InsufficientPrivilege, statement)
            except pytest.fail.Exception:
                let_through.append(statement.as_string(deployer))
        deployer.rollback()
    assert let_through == []
    # and a table's other DDL goes on: add and drop a column, create and drop a table
    with deployer.transaction(force_rollback=True):
        deployer.execute("alter table rea.deals add column probe integer")
        deployer.execute("alter table rea.deals drop column probe")
        deployer.execute("create table rea.probe (x integer)")
        deployer.execute("drop table rea.probe")


def test_without_the_event_trigger_rea_owner_could_disable_one(db, logins):
    """The test above fails without 7570: with the event trigger off, it lets it through."""
    db.execute("alter event trigger audit_triggers_kept disable")
    db.commit()
    deployer = logins(DEPLOYER)
    try:
        with deployer.transaction(force_rollback=True):
            deployer.execute("alter table rea.deals disable trigger deals_audit_update")
    finally:
        db.execute("alter event trigger audit_triggers_kept enable")
        db.commit()


# --- Changes to the evidence are recorded -------------------------------------------------


def test_every_change_to_settings_and_seals_is_recorded(db, logins, tenant):
    yesterday = db.execute("select (now() at time zone 'UTC')::date - 1").fetchone()[0]
    ensure_partition(db, yesterday)
    db.execute(
        "insert into audit.audit_logs (client_id, table_name, record_id, action, occurred_at)"
        " values (%s, 'deals', 'x', 'INSERT', %s::date + time '12:00' at time zone 'UTC')",
        (tenant.client_id, yesterday),
    )
    db.commit()
    deployer = logins(DEPLOYER)
    deployer.execute("select audit.seal_days()")
    deployer.commit()
    # what only a superuser can do now
    db.execute("update audit.settings set retained_from = %s", (yesterday,))
    db.execute("delete from audit.settings")
    recorded = db.execute(
        "select table_name, action, role_name, db_user, new_row ->> 'client_id'"
        " from audit.evidence_changes order by id"
    ).fetchall()
    assert recorded == [
        ("seals", "INSERT", "rea_audit_owner", DEPLOYER, str(tenant.client_id)),
        ("settings", "UPDATE", "rea_audit_owner", DEPLOYER, None),  # sealed_through
        ("settings", "UPDATE", "postgres", "postgres", None),
        ("settings", "DELETE", "postgres", "postgres", None),
    ]
    refused(db, errors.InsufficientPrivilege, "update audit.evidence_changes set action = 'INSERT'")
    refused(db, errors.InsufficientPrivilege, "delete from audit.evidence_changes")
    error = refused(
        db,
        errors.CheckViolation,
        "insert into audit.evidence_changes (table_name, action) values ('seals', 'TRUNCATE')",
    )
    assert error.diag.constraint_name == "evidence_changes_action_check"


# --- The maintenance entry points -------------------------------------------------------------


def test_the_maintenance_runs_for_a_login_member_of_rea_owner(db, logins):
    make_tenant(db, "Audited Realty")  # rows in the trail, for ANALYZE to find
    db.commit()
    deployer = logins(DEPLOYER, autocommit=True)
    deployer.execute("select audit.create_partitions(14)")
    assert deployer.execute("select audit.seal_days()").fetchone()[0] >= 0
    deployer.execute("select audit.drop_expired_partitions()")
    assert deployer.execute("select rea.analyze_partitioned_tables()").fetchone()[0] >= 1
    assert (  # as the superuser: pg_stats hides tables under row-level security
        db.execute(
            "select count(*) from pg_stats where schemaname = 'audit'"
            " and tablename = 'audit_logs' and inherited"
        ).fetchone()[0]
        > 0
    )
    assert (
        deployer.execute(
            "select count(*) from pg_class where relnamespace = 'audit'::regnamespace"
            " and relispartition and pg_get_userbyid(relowner) <> 'rea_audit_owner'"
        ).fetchone()[0]
        == 0
    )


# --- No advisory key stalls the trail (finding 5) -----------------------------------------


def _write(conn: psycopg.Connection, tenant, title: str) -> None:
    conn.execute("set lock_timeout = '2s'")
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
    conn.commit()


def _hold_the_old_keys(attacker: psycopg.Connection, today: date) -> None:
    attacker.execute("select pg_advisory_lock(%s, %s)", (LOCK_CLASS, (today - EPOCH).days))
    attacker.execute("select pg_advisory_lock(%s, -1)", (LOCK_CLASS,))
    attacker.execute(
        "select pg_advisory_lock_shared(%s, %s)", (LOCK_CLASS, (today - EPOCH).days - 1)
    )


@pytest.mark.parametrize("steps", ["with 7550", "before 7550"])
def test_advisory_keys_of_rea_app_stall_no_audited_write_and_no_sealer(db, logins, steps):
    if steps == "before 7550":
        db.commit()
        result = run_readb("down", "--to", "7540", dsn=url_for(db.info.dbname))
        assert result.returncode == 0, result.stderr
    victim = make_tenant(db, "Victim Realty")
    db.commit()
    today = db.execute("select (now() at time zone 'UTC')::date").fetchone()[0]
    attacker = logins(APP, autocommit=True)
    _hold_the_old_keys(attacker, today)
    writer = logins(APP)
    sealer = logins(DEPLOYER)
    sealer.execute("set lock_timeout = '2s'")
    if steps == "with 7550":
        _write(writer, victim, "Written while rea_app holds the keys")
        assert sealer.execute("select audit.seal_days()").fetchone()[0] >= 0
        sealer.commit()
        refused(attacker, errors.InsufficientPrivilege, "select from audit.day_locks for share")
    else:
        with pytest.raises(errors.LockNotAvailable):
            _write(writer, victim, "Stalled")
        with pytest.raises(errors.LockNotAvailable):
            sealer.execute("select audit.seal_days()")
