"""up, down, status, verify and plan: the runner's verbs over steps and bookkeeping."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from readb import psql, script
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
            ensure_bookkeeping(conn)
            current = compare(steps, read_applied(conn))
            refuse_drift(current)
            refuse_out_of_order(current)
            pending = [s.step for s in current if s.state == "pending" and s.step]
            for step in [s for s in pending if to is None or s.version <= to]:
                started = time.monotonic()
                _run(opts, step, script.up_chunk(step), step.up_sql, step.up_path, "apply")
                say(f"applied {step.name} ({(time.monotonic() - started) * 1000:.0f} ms)")
                done.append(step.name)
    if not done:
        say("nothing to apply")
    return done


def down(opts: Options, to: int, say: Say) -> list[str]:
    """Revert applied steps newer than version `to`, newest first; the names reverted."""
    steps = discover(opts.sql_dir)
    done: list[str] = []
    with connect(opts.dsn) as conn:
        refuse_replica(conn)
        check_settings(conn, opts)
        with rollout_lock(conn, opts.lock_timeout):
            ensure_bookkeeping(conn)
            current = compare(steps, read_applied(conn))
            refuse_drift(current)
            applied = [s.step for s in reversed(current) if s.applied and s.step]
            for step in [s for s in applied if s.version > to]:
                started = time.monotonic()
                _run(opts, step, script.down_chunk(step), step.down_sql, step.down_path, "revert")
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
    with connect(opts.dsn) as conn:
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
    return problems


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
        f"{name} is missing: audited writes will fail (run select audit.create_partitions())"
        for (name,) in missing
    ]


def _run(opts: Options, step: Step, chunk: script.Chunk, text: str, path: Path, verb: str) -> None:
    failure = psql.run(opts.dsn, script.session_settings(opts.step_lock_timeout) + chunk.text)
    if failure is None:
        return
    offset = script.session_settings(opts.step_lock_timeout).count("\n")
    shifted = dataclasses.replace(
        failure,
        script_line=None if failure.script_line is None else failure.script_line - offset,
    )
    where = psql.describe(shifted, chunk, text, f"sql/{step.folder}/{path.name}")
    transactional = step.transactional if verb == "apply" else step.down_transactional
    outcome = (
        "rolled back, nothing recorded"
        if transactional
        else "ran outside a transaction and is not recorded: check for a half-built (INVALID) index"
    )
    hint = ""
    if failure.sqlstate == "55P03":
        hint = "; another transaction holds a lock it needs (--step-lock-timeout)"
    raise ReadbError(f"could not {verb} {step.name}: {where} ({outcome}{hint})")
