"""The bookkeeping table: which steps are applied, when, and with which checksum.

It lives in its own schema `readb`, created by the runner (and by the top of every
`readb plan --sql` script), not by a step, so `readb down --to 0` leaves it behind,
empty: it is the runner's memory, not part of the product's schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import sql

from readb.errors import ReadbError
from readb.steps import Step

BOOKKEEPING_SQL = """\
create schema if not exists readb;
create table if not exists readb.applied_steps (
    version integer primary key,
    name text not null,
    checksum text not null check (checksum ~ '^[0-9a-f]{64}$'),
    transactional boolean not null,
    applied_at timestamptz not null default clock_timestamp(),
    applied_by text not null default current_user
);
"""


@dataclass(frozen=True)
class Applied:
    version: int
    name: str
    checksum: str
    applied_at: datetime


@dataclass(frozen=True)
class StepState:
    version: int
    name: str
    state: str  # applied, pending, drift (file changed), missing (applied, file gone)
    step: Step | None
    applied: Applied | None


def ensure_bookkeeping(conn: psycopg.Connection, rollout_login: str | None = None) -> None:
    """Through a superuser's connection (CREATE on the database). A rollout login that
    is not a superuser gets what it needs to record and read the steps it applies."""
    conn.execute(BOOKKEEPING_SQL)
    if rollout_login is None:
        return
    (su,) = conn.execute(
        "select rolsuper from pg_catalog.pg_roles where rolname = %s", (rollout_login,)
    ).fetchone()
    if not su:
        login = sql.Identifier(rollout_login)
        conn.execute(sql.SQL("grant usage on schema readb to {}").format(login))
        conn.execute(
            sql.SQL("grant select, insert, delete on readb.applied_steps to {}").format(login)
        )


def read_applied(conn: psycopg.Connection) -> dict[int, Applied]:
    exists = conn.execute("select to_regclass('readb.applied_steps') is not null").fetchone()
    if not exists or not exists[0]:
        return {}
    rows = conn.execute(
        "select version, name, checksum, applied_at from readb.applied_steps order by version"
    ).fetchall()
    return {row[0]: Applied(*row) for row in rows}


def compare(steps: list[Step], applied: dict[int, Applied]) -> list[StepState]:
    """Every step on disk and every recorded step, in version order, with its state."""
    states: list[StepState] = []
    by_version = {step.version: step for step in steps}
    for version in sorted(by_version.keys() | applied.keys()):
        step, record = by_version.get(version), applied.get(version)
        if record is None:
            state = "pending"
        elif step is None:
            state = "missing"
        elif step.name != record.name or step.checksum != record.checksum:
            state = "drift"
        else:
            state = "applied"
        name = step.name if step else record.name  # type: ignore[union-attr]
        states.append(StepState(version, name, state, step, record))
    return states


def refuse_drift(states: list[StepState]) -> None:
    drifted = [s.name for s in states if s.state == "drift"]
    missing = [s.name for s in states if s.state == "missing"]
    problems = []
    if drifted:
        problems.append(
            "applied steps changed since they were applied: "
            + ", ".join(drifted)
            + " (an applied step is never edited: restore it and put the fix in a new step)"
        )
    if missing:
        problems.append("applied steps whose files are gone: " + ", ".join(missing))
    if problems:
        raise ReadbError("; ".join(problems))


def refuse_out_of_order(states: list[StepState]) -> None:
    """A pending step older than an applied one would run in a different order here than
    on a fresh database; renumber it above the newest applied step instead."""
    newest_applied = max((s.version for s in states if s.applied), default=0)
    late = [s.name for s in states if s.state == "pending" and s.version < newest_applied]
    if late:
        raise ReadbError(
            "pending steps are numbered below the newest applied step "
            f"({newest_applied:04d}): {', '.join(late)}; give them higher numbers"
        )
