"""up, down, status, verify and plan: the runner's verbs over steps and bookkeeping."""

from __future__ import annotations

import dataclasses
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from readb import dump, psql, script
from readb.errors import ReadbError
from readb.lock import rollout_lock
from readb.record import (
    StepState,
    compare,
    ensure_bookkeeping,
    read_applied,
    refuse_drift,
    refuse_out_of_order,
)
from readb.steps import Step, discover

Say = Callable[[str], None]


@dataclass(frozen=True)
class Options:
    dsn: str
    sql_dir: Path
    lock_timeout: float = 60.0  # seconds to wait for another readb run
    step_lock_timeout: str = "5s"  # PostgreSQL lock_timeout while a step runs
    admin_dsn: str = ""  # superuser connection for the steps that need one (steps.superuser)


@contextmanager
def connect(dsn: str) -> Iterator[psycopg.Connection]:
    try:
        conn = psycopg.connect(dsn, autocommit=True, application_name="readb", connect_timeout=10)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReadbError(f"cannot connect to the database: {first}") from None
    with conn:
        yield conn


def check_settings(conn: psycopg.Connection, opts: Options) -> None:
    """Refuse a bad --step-lock-timeout before any step runs, not halfway through."""
    try:
        conn.execute("select set_config('lock_timeout', %s, false)", (opts.step_lock_timeout,))
        conn.execute("reset lock_timeout")
    except psycopg.Error as exc:
        message = exc.diag.message_primary or str(exc)
        raise ReadbError(
            f"invalid --step-lock-timeout {opts.step_lock_timeout!r}: {message}"
        ) from None


def refuse_replica(conn: psycopg.Connection) -> None:
    """Steps are applied on the primary only: a hot standby is read-only, and a step
    would fail halfway through its first statement."""
    row = conn.execute("select pg_is_in_recovery()").fetchone()
    if row and row[0]:
        raise ReadbError(
            "the database is a read-only replica (in recovery): apply steps on the primary"
        )


def states(opts: Options) -> list[StepState]:
    steps = discover(opts.sql_dir)
    with connect(opts.dsn) as conn:
        return compare(steps, read_applied(conn))


def up(opts: Options, to: int | None, say: Say) -> list[str]:
    """Apply pending steps (up to version `to`) in order; the names applied."""
    steps = discover(opts.sql_dir)
    done: list[str] = []
    with connect(opts.dsn) as conn:
        refuse_replica(conn)
        check_settings(conn, opts)
        with rollout_lock(conn, opts.lock_timeout):
            admin = admin_dsn(conn, opts)
            _bookkeeping(conn, admin)
            current = compare(steps, read_applied(conn))
            refuse_drift(current)
            refuse_out_of_order(current)
            pending = [s.step for s in current if s.state == "pending" and s.step]
            todo = [s for s in pending if to is None or s.version <= to]
            refuse_without_admin(admin, todo, "apply")
            for step in todo:
                started = time.monotonic()
                dsn = admin if step.superuser else opts.dsn
                _run(opts, dsn, step, script.up_chunk(step), step.up_sql, step.up_path, "apply")
                seconds = time.monotonic() - started
                say(f"applied {step.name} ({seconds * 1000:.0f} ms)")
                if changed := rows_changed(conn, step.name, seconds):
                    say(changed)
                done.append(step.name)
            made = runtime_maintenance(conn)
    if not done:
        say("nothing to apply")
    for name in made:
        say(f"made {name} (audit partitions ahead: runtime state, not a step)")
    return done


def _is_superuser(conn: psycopg.Connection) -> bool:
    (su,) = conn.execute(
        "select rolsuper from pg_catalog.pg_roles where rolname = session_user"
    ).fetchone()
    return bool(su)


def admin_dsn(conn: psycopg.Connection, opts: Options) -> str:
    """The connection for the steps that need a superuser (and for the bookkeeping
    schema): --admin-dsn, else --dsn itself when it is a superuser (the demo, the tests),
    else none."""
    if opts.admin_dsn:
        with connect(opts.admin_dsn) as admin:
            if not _is_superuser(admin):
                raise ReadbError("--admin-dsn is not a superuser; nothing was changed")
        return opts.admin_dsn
    return opts.dsn if _is_superuser(conn) else ""


def refuse_without_admin(admin: str, todo: list[Step], verb: str) -> None:
    """Up front, before anything runs: a step that needs a superuser, and no admin DSN."""
    if admin:
        return
    needing = [s.name for s in todo if s.superuser]
    if needing:
        raise ReadbError(
            f"--dsn is not a superuser and these steps need one: {', '.join(needing)};"
            f" pass --admin-dsn URL (or $READB_ADMIN_DSN) to {verb} them; nothing was changed"
        )


def _bookkeeping(conn: psycopg.Connection, admin: str) -> None:
    """The schema readb needs CREATE on the database: made through the admin connection,
    with the rollout login granted what it needs on it."""
    if not admin:
        return  # read_applied() finds no table: every step is pending, and refused
    (login,) = conn.execute("select session_user::text").fetchone()
    with connect(admin) as admin_conn:
        ensure_bookkeeping(admin_conn, login)


def _batches(conn: psycopg.Connection, name: str) -> tuple[int, int, int] | None:
    """(rows, tenants, batches) that migrations.each_tenant() recorded for step `name`."""
    (exists,) = conn.execute("select to_regclass('migrations.batches') is not null").fetchone()
    if not exists:
        return None
    row = conn.execute(
        "select coalesce(sum(rows_changed), 0), count(distinct client_id), count(*)"
        " from migrations.batches where migration = %s",
        (name,),
    ).fetchone()
    return None if row[2] == 0 else (int(row[0]), int(row[1]), int(row[2]))


def rows_changed(conn: psycopg.Connection, name: str, seconds: float) -> str | None:
    """What a data-migration step changed, for the line under `applied ...`."""
    found = _batches(conn, name)
    if found is None:
        return None
    rows, tenants, batches = found
    rate = f", {rows / seconds:,.0f} rows/s" if seconds > 0 else ""
    return f"  {name} changed {rows} rows in {tenants} tenants, {batches} batches{rate}"


def runtime_maintenance(conn: psycopg.Connection) -> list[str]:
    """What the clock, not a step, decides: the audit trail's partitions for the months
    ahead. The 6100 step makes this month and the next twelve on the day it runs; a
    database upgraded months later would run out of them, so every `readb up` ends with
    the same idempotent call the monthly maintenance job makes. Nothing to do before the
    audit step exists (or after it was reverted)."""
    (exists,) = conn.execute(
        "select to_regprocedure('audit.create_partitions(integer)') is not null"
    ).fetchone()
    if not exists:
        return []
    try:
        rows = conn.execute("select audit.create_partitions()").fetchall()
    except psycopg.Error as exc:
        state = exc.sqlstate or "?"
        message = exc.diag.message_primary or str(exc)
        raise ReadbError(
            f"steps applied, but audit.create_partitions() failed: SQLSTATE {state}: {message}"
        ) from None
    return [f"audit.{name}" for (name,) in rows]


def down(opts: Options, to: int, say: Say) -> list[str]:
    """Revert applied steps newer than version `to`, newest first; the names reverted."""
    steps = discover(opts.sql_dir)
    done: list[str] = []
    with connect(opts.dsn) as conn:
        refuse_replica(conn)
        check_settings(conn, opts)
        with rollout_lock(conn, opts.lock_timeout):
            admin = admin_dsn(conn, opts)
            _bookkeeping(conn, admin)
            current = compare(steps, read_applied(conn))
            refuse_drift(current)
            applied = [s.step for s in reversed(current) if s.applied and s.step]
            todo = [s for s in applied if s.version > to]
            refuse_without_admin(admin, todo, "revert")
            for step in todo:
                started = time.monotonic()
                dsn = admin if step.superuser else opts.dsn
                text, path = step.down_sql, step.down_path
                _run(opts, dsn, step, script.down_chunk(step), text, path, "revert")
                say(f"reverted {step.name} ({(time.monotonic() - started) * 1000:.0f} ms)")
                done.append(step.name)
    if not done:
        say("nothing to revert")
    return done


def plan_sql(opts: Options) -> str:
    """The reviewable psql script for the pending steps; reads, never writes."""
    steps = discover(opts.sql_dir)
    with connect(opts.dsn) as conn:
        current = compare(steps, read_applied(conn))
    refuse_drift(current)
    refuse_out_of_order(current)
    pending = [s.step for s in current if s.state == "pending" and s.step]
    return script.plan(pending, opts.step_lock_timeout)


def verify(opts: Options) -> list[str]:
    """Problems that make the database differ from its steps or unfit to use."""
    steps = discover(opts.sql_dir)
    problems: list[str] = []
    with connect(opts.admin_dsn or opts.dsn) as conn:
        current = compare(steps, read_applied(conn))
        for s in current:
            if s.state == "drift":
                problems.append(f"{s.name}: file changed since it was applied")
            elif s.state == "missing":
                problems.append(f"{s.name}: applied, but its file is gone")
        try:
            refuse_out_of_order(current)
        except ReadbError as exc:
            problems.append(str(exc))
        # A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind: the database
        # then enforces and serves less than the steps say.
        invalid = conn.execute(
            "select format('%I.%I', n.nspname, c.relname) from pg_index i"
            " join pg_class c on c.oid = i.indexrelid"
            " join pg_namespace n on n.oid = c.relnamespace"
            " where not i.indisvalid order by 1"
        ).fetchall()
        for (name,) in invalid:
            problems.append(f"index {name} is INVALID (a failed concurrent build?)")
        problems += _missing_audit_partitions(conn)
        problems += _security_model_lost(conn, current)
        problems += _temp_for_public(conn, current)
        for (view,) in conn.execute(
            "select format('%I.%I', schemaname, matviewname) from pg_matviews"
            " where not ispopulated and schemaname <> 'readb' order by 1"
        ):
            problems.append(f"materialized view {view} is not populated (run readb refresh)")
    pending = [s.name for s in current if s.state == "pending"]
    if pending:
        problems.append(f"{len(pending)} step(s) pending: {', '.join(pending)} (run readb up)")
    newest = max((s.version for s in current if s.applied), default=0)
    if newest:
        problems += schema_differences(opts, newest)
    return problems


def schema_differences(opts: Options, newest_applied: int) -> list[str]:
    """How the live schema differs from what its applied steps build: a dropped policy,
    a grant made by hand, a disabled trigger, an extra index. The steps' schema is the
    committed snapshot when it was dumped from exactly these applied steps (its
    fingerprint line says so), else a scratch database built from them on the same
    server and dropped again."""
    live = dump.schema(opts.admin_dsn or opts.dsn)
    snapshot = opts.sql_dir / "schema.sql"
    built = snapshot.read_text() if snapshot.is_file() else ""
    if dump.fingerprint_of(built) != dump.fingerprint_of(live) or not built:
        built = _scratch_build(opts, newest_applied)
    return [f"schema: {line}" for line in dump.differences(live, built)]


def _scratch_build(opts: Options, to: int) -> str:
    name = f"readb_verify_{os.getpid()}_{secrets.token_hex(4)}"
    scratch = make_conninfo(opts.dsn, dbname=name)
    admin = make_conninfo(opts.admin_dsn, dbname=name) if opts.admin_dsn else ""
    with connect(opts.admin_dsn or opts.dsn) as conn:
        try:
            conn.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        except psycopg.Error as exc:
            raise ReadbError(
                "cannot compare the schema with its steps: the snapshot sql/schema.sql was"
                " not dumped from the applied steps, and a scratch database cannot be made"
                f" ({exc.diag.message_primary or exc})"
            ) from None
        try:
            up(dataclasses.replace(opts, dsn=scratch, admin_dsn=admin), to, lambda _line: None)
            return dump.schema(admin or scratch)
        finally:
            conn.execute(
                sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name))
            )


def _missing_audit_partitions(conn: psycopg.Connection) -> list[str]:
    """The audit trail has no default partition: without next month's partition every
    audited write fails once the month turns. audit.create_partitions() makes them."""
    (exists,) = conn.execute("select to_regclass('audit.audit_logs') is not null").fetchone()
    if not exists:
        return []
    missing = conn.execute(
        "select m.partition from (select 'audit.audit_logs_'"
        " || to_char(now() at time zone 'UTC' + make_interval(months => k), 'YYYY_MM')"
        " as partition from generate_series(0, 1) as k) as m"
        " where to_regclass(m.partition) is null order by 1"
    ).fetchall()
    return [
        f"{name} is missing: audited writes will fail"
        " (run readb up, or select audit.create_partitions())"
        for (name,) in missing
    ]


_INVALID_INDEXES = (
    "select i.indexrelid::bigint, format('%I.%I', n.nspname, c.relname) from pg_index as i"
    " join pg_class as c on c.oid = i.indexrelid join pg_namespace as n on n.oid = c.relnamespace"
    " where not i.indisvalid"
)


CONTRACT_ROLES = ("rea_owner", "rea_app", "rea_reporting", "rea_auditor", "rea_operator")


def _temp_for_public(conn: psycopg.Connection, current: list[StepState]) -> list[str]:
    """7510_no_temp_for_public revokes TEMP from PUBLIC, but database privileges are not
    in a schema dump: a database made by pg_restore, createdb or a template has PUBLIC's
    default TEMP again, and every role may plant temporary objects."""
    if not any(s.name == "7510_no_temp_for_public" and s.applied for s in current):
        return []
    (holds, name) = conn.execute(
        "select has_database_privilege('public', current_database(), 'TEMP'), current_database()"
    ).fetchone()
    if not holds:
        return []
    return [
        f"database {name}: PUBLIC holds TEMP (a restore or createdb grants it again):"
        " run sql/rls/7510_no_temp_for_public.sql once more as a superuser"
    ]


def _security_model_lost(conn: psycopg.Connection, current: list[StepState]) -> list[str]:
    """What a logical restore loses without its roles, while every row arrives: a
    pg_restore into a cluster without the contract's roles fails each owner, grant and
    policy statement, and the database looks fine otherwise (FORCE RLS tables with no
    policy, owned by whoever restored them). Checked once the policies step is applied.
    (A failed REFRESH at the end of a restore leaves views unpopulated: verify() names
    every unpopulated materialized view.)"""
    if not any(s.name == "6310_policies" and s.applied for s in current):
        return []
    problems = [
        f"role {role} does not exist: restore the roles before the database"
        " (pg_dumpall --roles-only), then restore again"
        for (role,) in conn.execute(
            "select r from unnest(%s::text[]) as r"
            " where not exists (select from pg_roles where rolname = r) order by 1",
            (list(CONTRACT_ROLES),),
        ).fetchall()
    ]
    # Owned by a superuser: the restoring user kept what it created, the roles' owners
    # were lost. (Who owns what otherwise is the steps' business and the catalog tests'.)
    (foreign,) = conn.execute(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " join pg_roles r on r.oid = c.relowner"
        " where n.nspname in ('rea', 'audit', 'reporting') and c.relkind in ('r', 'p', 'v', 'm')"
        " and r.rolsuper"
    ).fetchone()
    if foreign:
        problems.append(
            f"{foreign} tables and views in rea, audit, reporting are owned by a superuser,"
            " not by the project's roles"
        )
    bare = conn.execute(
        "select format('%I.%I', n.nspname, c.relname) from pg_class c"
        " join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname in ('rea', 'audit', 'reporting') and c.relrowsecurity"
        " and not exists (select from pg_policy p where p.polrelid = c.oid) order by 1"
    ).fetchall()
    if bare:
        names = ", ".join(name for (name,) in bare[:3]) + (", ..." if len(bare) > 3 else "")
        problems.append(f"{len(bare)} tables have row-level security but no policy: {names}")
    (ungranted,) = conn.execute(
        "select to_regrole('rea_app') is not null"
        " and not has_schema_privilege('rea_app', 'rea', 'usage')"
    ).fetchone()
    if ungranted:
        problems.append("rea_app has no usage on schema rea: the grants are missing")
    return problems  # unpopulated views: verify() checks every materialized view


def _run(
    opts: Options, dsn: str, step: Step, chunk: script.Chunk, text: str, path: Path, verb: str
) -> None:
    """One step through psql on `dsn`: the admin connection for a superuser step, the
    rollout login's for every other (and the INVALID-index cleanup on the same one)."""
    transactional = step.transactional if verb == "apply" else step.down_transactional
    before = set() if transactional else _invalid_indexes(dsn)
    failure = psql.run(dsn, script.session_settings(opts.step_lock_timeout) + chunk.text)
    if failure is None:
        return
    cleaned = "" if transactional else _drop_left_invalid(dsn, before)
    offset = script.session_settings(opts.step_lock_timeout).count("\n")
    shifted = dataclasses.replace(
        failure,
        script_line=None if failure.script_line is None else failure.script_line - offset,
    )
    where = psql.describe(shifted, chunk, text, f"sql/{step.folder}/{path.name}")
    outcome = (
        "rolled back, nothing recorded"
        if transactional
        else f"ran outside a transaction and is not recorded{cleaned}"
    )
    hint = ""
    if failure.sqlstate == "55P03":
        hint = "; another transaction holds a lock it needs (--step-lock-timeout)"
    raise ReadbError(f"could not {verb} {step.name}: {where} ({outcome}{hint})")


def _invalid_indexes(dsn: str) -> dict[int, str]:
    with connect(dsn) as conn:
        return dict(conn.execute(_INVALID_INDEXES).fetchall())


def _drop_left_invalid(dsn: str, before: dict[int, str]) -> str:
    """A failed CREATE INDEX CONCURRENTLY leaves its index behind, INVALID: enforcing
    nothing, costing every write, and in the way of the rerun (42P07). The ones this
    step left (invalid now, not before it ran) are dropped again, concurrently, so the
    step can simply be run again once its cause is fixed."""
    left = {oid: name for oid, name in _invalid_indexes(dsn).items() if oid not in before}
    if not left:
        return ""
    dropped, kept = [], []
    with connect(dsn) as conn:
        for name in sorted(left.values()):
            try:
                conn.execute(sql.SQL("drop index concurrently if exists {}").format(sql.SQL(name)))
                dropped.append(name)
            except psycopg.Error:
                kept.append(name)
    said = f"; dropped the INVALID index it left: {', '.join(dropped)}" if dropped else ""
    if kept:
        said += f"; could not drop the INVALID index it left: {', '.join(kept)} (drop it by hand)"
    return said
