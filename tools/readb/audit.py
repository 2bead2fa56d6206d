"""readb audit: the seal heads leave the database, and come back to be checked.

`heads` prints audit.heads() as JSON lines, for an operator to append to write-once
storage: per tenant the latest seal, and a provisional head of each day not sealed yet
(`before_xid`: it covers the rows of the transactions that had ended when it was read).
`verify` runs audit.verify_seals() (the rows of every sealed day, the chain, the settings)
and checks that every head of a heads file is still there, unchanged. `seal` runs
audit.seal_days(), what the daily maintenance job runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import psycopg

from readb.errors import ReadbError


def heads(conn: psycopg.Connection) -> list[dict]:
    rows = conn.execute(
        "select client_id, day, row_count, seal_hash, before_xid::text from audit.heads()"
    ).fetchall()
    found = []
    for client_id, day, row_count, seal_hash, before_xid in rows:
        head = {
            "client_id": str(client_id),
            "day": day.isoformat(),
            "row_count": row_count,
            "seal_hash": bytes(seal_hash).hex(),
        }
        if before_xid is not None:
            head["before_xid"] = before_xid  # a day not sealed yet
        found.append(head)
    return found


def read_heads(path: Path) -> list[dict]:
    """The heads of a file of JSON lines (blank lines skipped); refuses a malformed one."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise ReadbError(f"cannot read the heads file {path}: {exc.strerror}") from None
    found = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            head = json.loads(line)
            _ = (head["client_id"], head["day"], int(head["row_count"]), head["seal_hash"])
        except (ValueError, KeyError, TypeError):
            raise ReadbError(
                f"{path}:{number}: not a head (a JSON object with client_id, day, row_count,"
                " seal_hash)"
            ) from None
        found.append(head)
    return found


def verify(conn: psycopg.Connection, file_heads: Iterable[dict] = ()) -> list[str]:
    """Every problem, one line each: what audit.verify_seals() reports, then every head of
    the file that is missing or changed."""
    problems = [
        f"{'tenant ' + str(client) if client else 'settings'}"
        f"{' day ' + day.isoformat() if day else ''}: {problem}"
        + (f" (sealed {sealed} rows, found {found})" if sealed is not None else "")
        for client, day, problem, sealed, found in conn.execute(
            "select client_id, day, problem, sealed_rows, found_rows from audit.verify_seals()"
        ).fetchall()
    ]
    for head in file_heads:
        where = f"head tenant {head['client_id']} day {head['day']}"
        if "before_xid" in head:
            row = conn.execute(
                "select row_count, seal_hash from audit.open_day_head(%s, %s, %s::xid8)",
                (head["client_id"], head["day"], str(head["before_xid"])),
            ).fetchone()
            what = "the rows it covered"
        else:
            row = conn.execute(
                "select row_count, seal_hash from audit.seals where client_id = %s and day = %s",
                (head["client_id"], head["day"]),
            ).fetchone()
            what = "the seal"
        if row is None:
            problems.append(f"{where}: the seal is missing")
            continue
        row_count, seal_hash = row[0], bytes(row[1]).hex() if row[1] is not None else None
        if row_count != int(head["row_count"]) or seal_hash != head["seal_hash"]:
            problems.append(
                f"{where}: {what} changed (row_count {head['row_count']} -> {row_count},"
                f" seal_hash {head['seal_hash'][:12]}... -> {(seal_hash or 'none')[:12]}...)"
            )
    return problems


def seal(conn: psycopg.Connection) -> int:
    (days,) = conn.execute("select audit.seal_days()").fetchone()
    return int(days)
