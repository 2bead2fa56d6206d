"""readb seed: deterministic demo data, and readb refresh: the reporting views.

The data itself is made by seed.sql, set-based, in one transaction; this module
passes the arguments, refuses to seed twice, and counts what arrived. Each
--random-seed is one set of tenants: the arguments it was loaded with are kept in
readb.seed_runs, so the same arguments again do nothing, other arguments for the same
--random-seed are refused (they would be other rows under the same ids), and another
--random-seed adds its tenants beside the others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from importlib import resources

import psycopg
from psycopg import sql

from readb.errors import ReadbError

# Tables seed.sql fills, in the order it fills them.
SEEDED_TABLES = (
    "fx_rates",
    "clients",
    "branches",
    "users",
    "roles",
    "role_permissions",
    "user_roles",
    "customers",
    "properties",
    "commission_rules",
    "deals",
    "approvals",
    "bookings",
    "expenses",
    "communications",
)

DEFAULT_AS_OF = date(2026, 9, 30)  # fixed, so the same arguments give the same rows


# One row per --random-seed loaded: the arguments it was loaded with. The runner's own
# schema, so it is neither domain data nor part of the schema dump.
_RUNS_TABLE = """
create table if not exists readb.seed_runs (
    random_seed integer primary key,
    tenants integer not null,
    scale integer not null,
    as_of date not null,
    seeded_at timestamptz not null default now()
)
"""


def _arguments(tenants: int, scale: int, as_of: date) -> str:
    return f"--tenants {tenants} --scale {scale} --as-of {as_of.isoformat()}"


@dataclass(frozen=True)
class SeedResult:
    rows: dict[str, int]  # rows added per table
    seconds: float

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    return {
        table: conn.execute(
            sql.SQL("select count(*) from rea.{}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in SEEDED_TABLES
    }


def _for_this_schema(conn: psycopg.Connection, script: str) -> str:
    """The seed is application code too, and lives through an expand/contract rename
    like the application: it writes built_up_area_sqm (7470 on), and on a database
    built to a step before 7470 (the data-migration tests seed those) the old name."""
    (renamed,) = conn.execute(
        "select exists (select from pg_attribute where attrelid = to_regclass('rea.properties')"
        " and attname = 'built_up_area_sqm' and not attisdropped)"
    ).fetchone()
    return script if renamed else script.replace("built_up_area_sqm", "area_sqm")


def seed(
    conn: psycopg.Connection, tenants: int, scale: int, random_seed: int, as_of: date
) -> SeedResult | None:
    """Load the data in one transaction; None if these tenants are there already."""
    if tenants < 1 or scale < 1:
        raise ReadbError("--tenants and --scale must be at least 1")
    if conn.execute("select to_regclass('rea.communications')").fetchone()[0] is None:
        raise ReadbError("the schema is not built: run 'readb up' first")
    # The history ends on as_of, and the rules refuse events in the future: a later
    # as_of than the server's own date (a typo, or a server clock that is behind) would
    # fail deep inside the load, so refuse it here, before anything is written.
    (today,) = conn.execute("select (now() at time zone 'UTC')::date").fetchone()
    if as_of > today:
        raise ReadbError(
            f"--as-of {as_of.isoformat()} is after the server's date {today.isoformat()} (UTC):"
            " the rules refuse a history that ends in the future; give an earlier --as-of"
        )
    conn.execute(_RUNS_TABLE)
    asked = (tenants, scale, as_of)
    held = conn.execute(
        "select tenants, scale, as_of from readb.seed_runs where random_seed = %s", (random_seed,)
    ).fetchone()
    if held is not None and tuple(held) != asked:
        raise ReadbError(
            f"this database holds the data of --random-seed {random_seed} loaded with"
            f" {_arguments(*held)}; {_arguments(*asked)} would be other data under the same"
            " ids: load it into a new database (for the demo: make demo-reset), or pass"
            " another --random-seed to add tenants beside these"
        )
    first_client = conn.execute(
        "select exists (select from rea.clients where id = md5(%s)::uuid)",
        (f"{random_seed}:client:1",),
    ).fetchone()[0]
    if first_client:
        return None  # these arguments were loaded already (before runs were recorded, too)
    script = _for_this_schema(conn, resources.files("readb").joinpath("seed.sql").read_text())
    started = time.perf_counter()
    with conn.transaction():
        before = _counts(conn)
        conn.execute("set local timezone = 'UTC'")
        # The cross joins' row estimates make PostgreSQL JIT-compile almost every
        # statement, which cost ten times the work itself (measured: 8.5 s -> 0.7 s).
        conn.execute("set local jit = off")
        conn.execute(
            "create temp table seed_args on commit drop as select"
            " %s::int as seed, %s::int as tenants, %s::int as scale, %s::date as as_of",
            (random_seed, tenants, scale, as_of),
        )
        try:
            conn.execute(script)
        except psycopg.Error as exc:
            message = exc.diag.message_primary or str(exc).splitlines()[0]
            raise ReadbError(
                f"seeding failed, nothing was loaded: SQLSTATE {exc.diag.sqlstate}: {message}"
            ) from None
        after = _counts(conn)
        conn.execute(
            "insert into readb.seed_runs (random_seed, tenants, scale, as_of)"
            " values (%s, %s, %s, %s)",
            (random_seed, tenants, scale, as_of),
        )
    rows = {table: after[table] - before[table] for table in SEEDED_TABLES}
    return SeedResult(rows, time.perf_counter() - started)


@dataclass(frozen=True)
class Refreshed:
    view: str
    concurrently: bool
    seconds: float


def refresh(conn: psycopg.Connection) -> list[Refreshed]:
    """Refresh every materialized view in `reporting`: concurrently once it holds data
    (readers keep reading meanwhile), plainly the first time."""
    views = conn.execute(
        "select format('%I.%I', schemaname, matviewname), ispopulated from pg_matviews"
        " where schemaname = 'reporting' order by matviewname"
    ).fetchall()
    done = []
    for name, populated in views:
        started = time.perf_counter()
        statement = "refresh materialized view {} {}".format(
            "concurrently" if populated else "", name
        )
        try:
            conn.execute(statement)
        except psycopg.Error as exc:
            raise ReadbError(f"refreshing {name} failed: {exc.diag.sqlstate}: {exc}") from None
        done.append(Refreshed(name, populated, time.perf_counter() - started))
    return done
