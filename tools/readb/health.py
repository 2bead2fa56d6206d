"""readb health: the monitoring checks (monitoring.health), and the runner's own.

Each check is one line: its status (ok, warn or page), its name, a detail. `page` means
someone should act now (audited writes will fail, the audit trail is days behind its
seals, a replica is broken, a reporting view cannot be read, wraparound is near, a
scheduled job failed); the command then exits 1, so it can run from cron or a probe.
The runner adds `readb_steps`: steps on disk not applied here (warn), applied steps
whose file changed or is gone (page), which only it can know (the files are not in the
database).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

from readb.errors import ReadbError
from readb.record import compare, read_applied
from readb.steps import discover

SEVERITY = {"ok": 0, "warn": 1, "page": 2}


@dataclass(frozen=True)
class Check:
    name: str
    status: str
    detail: str


def checks(conn: psycopg.Connection, sql_dir: Path) -> list[Check]:
    """Every check of monitoring.health, then readb_steps."""
    if not conn.execute("select to_regclass('monitoring.health') is not null").fetchone()[0]:
        raise ReadbError("no monitoring schema here: apply the steps first (readb up)")
    try:
        rows = conn.execute("select check_name, status, detail from monitoring.health").fetchall()
    except psycopg.Error as exc:
        raise ReadbError(
            f"reading monitoring.health failed: SQLSTATE {exc.diag.sqlstate}: "
            f"{exc.diag.message_primary or exc}"
        ) from None
    found = [Check(*row) for row in rows]
    found.append(_steps_check(conn, sql_dir))
    return found


def _steps_check(conn: psycopg.Connection, sql_dir: Path) -> Check:
    states = compare(discover(sql_dir), read_applied(conn))
    pending = [s.name for s in states if s.state == "pending"]
    broken = [f"{s.name} ({s.state})" for s in states if s.state in ("drift", "missing")]
    if broken:
        return Check(
            "readb_steps", "page", "applied steps differ from their files: " + ", ".join(broken)
        )
    if pending:
        return Check("readb_steps", "warn", f"{len(pending)} pending: " + ", ".join(pending))
    return Check("readb_steps", "ok", f"{len(states)} applied, none pending")


def worst(found: list[Check]) -> str:
    return max((c.status for c in found), key=SEVERITY.__getitem__, default="ok")
