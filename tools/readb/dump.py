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

Under the title, one line names the applied steps the schema was built from (their
number and a sha256 over their versions and checksums), so `readb verify` can tell
whether the committed snapshot is the schema of a database's applied steps before it
compares the two (`differences()`).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Sequence
from functools import cache

import psycopg

from readb import pgbin
from readb.errors import ReadbError

_VOLATILE = re.compile(r"^(-- Dumped (from|by) |\\restrict |\\unrestrict )")
_HEADER = re.compile(r"^-- Name: (?P<name>.*); Type: (?P<type>.*); Schema: (?P<schema>.*); Owner: ")

# The snapshot names the steps it was built from, so `readb verify` knows whether it may
# compare a database with it (see differences()).
FINGERPRINT_PREFIX = "-- readb steps: "

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


def _fingerprint(dsn: str) -> str | None:
    """The line naming the applied steps the schema was built from, or None."""
    try:
        with psycopg.connect(dsn, connect_timeout=10) as conn:
            if conn.execute("select to_regclass('readb.applied_steps')").fetchone()[0] is None:
                return None
            rows = conn.execute(
                "select version, checksum from readb.applied_steps order by version"
            ).fetchall()
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReadbError(f"cannot read the applied steps: {first}") from None
    if not rows:  # nothing applied: as good as no bookkeeping at all
        return None
    lines = "".join(f"{version}:{checksum}\n" for version, checksum in rows)
    digest = hashlib.sha256(lines.encode()).hexdigest()
    return f"{FINGERPRINT_PREFIX}{len(rows)} applied, sha256 of version:checksum lines {digest}"


def fingerprint_of(text: str) -> str | None:
    """The fingerprint line of a dump, or None."""
    return next((ln for ln in text.splitlines() if ln.startswith(FINGERPRINT_PREFIX)), None)


def schema(dsn: str) -> str:
    pg_dump = pgbin.find("pg_dump")
    children, parents = _partitions(dsn)
    fingerprint = _fingerprint(dsn)
    command = [pg_dump, "--schema-only", "--no-owner", "--exclude-schema=readb", "-d", dsn]
    # Quoted patterns match exactly (no wildcard, no case folding): one per partition.
    command[1:1] = [f"--exclude-table={pattern}" for pattern in children]
    if _supports_restrict_key(pg_dump):
        command.insert(1, "--restrict-key=readb")  # fixed: the default is random per run
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        first = (completed.stderr.strip().splitlines() or ["pg_dump failed"])[0]
        raise ReadbError(f"pg_dump failed: {first}")
    text = normalise(completed.stdout, parents)
    if fingerprint:  # after the dump's own three-line title
        head, _, rest = text.partition("-- PostgreSQL database dump\n--\n")
        text = f"{head}-- PostgreSQL database dump\n--\n{fingerprint}\n{rest}"
    return text


def objects(text: str) -> dict[tuple[str, str, str], list[str]]:
    """A dump cut into its objects: (type, schema, name) -> the object's lines, from
    pg_dump's `-- Name: N; Type: T; Schema: S; Owner: -` headers."""
    out: dict[tuple[str, str, str], list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if header := _HEADER.match(line):
            current = out.setdefault((header["type"], header["schema"], header["name"]), [])
        elif current is not None and line.strip() not in ("", "--"):
            current.append(line)
    return out


def differences(live: str, built: str) -> list[str]:
    """What differs between a database's dump and the dump of what its steps build,
    one line per object, naming it and the first line that differs."""
    have, want = objects(live), objects(built)
    out = []
    for key in sorted(have.keys() | want.keys()):
        kind, schema_name, name = key
        what = f"{kind.lower()} {name}" + ("" if schema_name == "-" else f" in {schema_name}")
        if key not in want:
            out.append(f"{what}: in the database, not built by the steps ({have[key][0][:100]})")
        elif key not in have:
            out.append(f"{what}: built by the steps, missing from the database")
        elif have[key] != want[key]:
            extra = next((ln for ln in have[key] if ln not in want[key]), None)
            lost = next((ln for ln in want[key] if ln not in have[key]), None)
            detail = f"database has: {extra[:100]}" if extra else f"steps build: {lost[:100]}"
            out.append(f"{what}: differs from what the steps build ({detail})")
    return out


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
