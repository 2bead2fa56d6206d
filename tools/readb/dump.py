"""The normalised schema dump committed as sql/schema.sql.

`pg_dump --schema-only` of the built database, without the runner's own `readb`
schema, without owners (they depend on who ran the steps; ownership is checked by
catalog tests instead) and without the lines that change from run to run or from one
pg_dump release to the next (version headers, the \\restrict key).

Partitions are left out too. Which partitions of a partitioned table exist is decided
by the clock, not by the steps: `audit.audit_logs` gets one partition per month, made
by `audit.create_partitions()` when its step runs and by maintenance afterwards, so a
database built in December holds other partitions than one built in November. The
snapshot shows the partitioned parent (its columns, key, indexes, triggers, policies
and grants, which every partition inherits or is given by the function that makes it)
and, right after its CREATE TABLE, one comment line saying that its partitions are
runtime state. The same schema then dumps the same on any day.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from functools import cache

import psycopg

from readb import pgbin
from readb.errors import ReadbError

_VOLATILE = re.compile(r"^(-- Dumped (from|by) |\\restrict |\\unrestrict )")

_PARTITIONS = """
select pg_catalog.format('"%s"."%s"', n.nspname, c.relname)
from pg_catalog.pg_class as c
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
where c.relispartition and n.nspname <> 'readb'
order by 1
"""

_PARTITIONED = """
select pg_catalog.format('%I.%I', n.nspname, c.relname)
from pg_catalog.pg_partitioned_table as p
join pg_catalog.pg_class as c on c.oid = p.partrelid
join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
where not c.relispartition and n.nspname <> 'readb'
order by 1
"""

RUNTIME_NOTE = (
    "-- Partitions of {table} are runtime state, not schema: the clock decides which"
    " exist (made when its step runs, then by readb up and scheduled maintenance), so readb dump"
    " leaves them out."
)


@cache
def _supports_restrict_key(pg_dump: str) -> bool:
    helptext = subprocess.run([pg_dump, "--help"], capture_output=True, text=True).stdout
    return "--restrict-key" in helptext


def _partitions(dsn: str) -> tuple[list[str], list[str]]:
    """(the partitions to leave out as pg_dump patterns, the partitioned parents)."""
    try:
        with psycopg.connect(dsn, connect_timeout=10) as conn:
            children = [row[0] for row in conn.execute(_PARTITIONS)]
            parents = [row[0] for row in conn.execute(_PARTITIONED)]
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReadbError(f"cannot read the partitions to leave out of the dump: {first}") from None
    return children, parents


def schema(dsn: str) -> str:
    pg_dump = pgbin.find("pg_dump")
    children, parents = _partitions(dsn)
    command = [pg_dump, "--schema-only", "--no-owner", "--exclude-schema=readb", "-d", dsn]
    # Quoted patterns match exactly (no wildcard, no case folding): one per partition.
    command[1:1] = [f"--exclude-table={pattern}" for pattern in children]
    if _supports_restrict_key(pg_dump):
        command.insert(1, "--restrict-key=readb")  # fixed: the default is random per run
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        first = (completed.stderr.strip().splitlines() or ["pg_dump failed"])[0]
        raise ReadbError(f"pg_dump failed: {first}")
    return normalise(completed.stdout, parents)


def normalise(text: str, partitioned: Sequence[str] = ()) -> str:
    kept = [line for line in text.splitlines() if not _VOLATILE.match(line)]
    out: list[str] = []
    parent: str | None = None
    for line in kept:
        if line.strip() == "" and out and out[-1].strip() == "":
            continue  # one blank line where the volatile ones left several
        out.append(line.rstrip())
        if line.startswith("CREATE TABLE "):
            name = line.removeprefix("CREATE TABLE ").removesuffix(" (")
            parent = name if name in partitioned else None
        elif parent and line.startswith(("PARTITION BY ", ") PARTITION BY ")):
            out.append(RUNTIME_NOTE.format(table=parent))
            parent = None
    return "\n".join(out).strip("\n") + "\n"
