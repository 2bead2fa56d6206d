"""The test harness: one PostgreSQL server, a template built by the runner, a clone per test.

The server is the project's local cluster (started here if it is not running, as an
unprivileged OS user when we are root), or any server named by READB_TEST_PGHOST,
READB_TEST_PGPORT and READB_TEST_PGUSER. pytest-postgresql's janitor makes:

- `readb_test_tmpl`: built once per session by running `readb up` (the runner itself,
  not some other loader), cloned into a fresh `readb_test` database for each test that
  asks for `db`;
- `readb_empty_tmpl`: an empty template, cloned for each test that asks for `empty_db`
  (runner tests that build their own steps).

Databases are dropped after each test, and leftovers of a crashed run before a session,
so the suite passes twice in a row against one cluster.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import psycopg.conninfo
import psycopg.rows
import psycopg.sql
import pytest
from pytest_postgresql import factories

from readb import cluster, dump

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = PROJECT_ROOT / "sql"


def _server() -> tuple[str, int, str]:
    if host := os.environ.get("READB_TEST_PGHOST"):
        return (
            host,
            int(os.environ.get("READB_TEST_PGPORT", "5432")),
            os.environ.get("READB_TEST_PGUSER", "postgres"),
        )
    cluster.start()
    return "127.0.0.1", cluster.port(), cluster.SUPERUSER


HOST, PORT, USER = _server()


def url_for(dbname: str) -> str:
    return f"postgresql://{USER}@{HOST}:{PORT}/{dbname}"


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


def run_readb(*args: str, dsn: str, sql_dir: Path = SQL_DIR, timeout: float = 120) -> Result:
    """Run the installed CLI in a child process, as a user would."""
    completed = subprocess.run(
        [sys.executable, "-m", "readb", "--dsn", dsn, "--sql-dir", str(sql_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


# The rollout login of the documented least-privilege rollout: a member of rea_owner
# only. The template is built the documented way (README "Rolling out"), so every test's
# database proves that each step not marked `-- readb:superuser` (nor listed in
# readb/steps.py) applies as this login, and the marked ones through the admin DSN.
DEPLOYER = "readb_deployer"


def make_deployer(admin_url: str) -> None:
    """The rollout login, once rea_owner exists (0100_roles); cluster-wide, idempotent."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "do $$ begin if to_regrole('readb_deployer') is null then"
            " create role readb_deployer login; end if; end $$"
        )
        conn.execute("grant rea_owner to readb_deployer")


def split_rollout(*args: str, admin_url: str, sql_dir: Path = SQL_DIR) -> Result:
    """`readb ARGS` the documented way: --dsn the deployer, --admin-dsn the superuser."""
    first = run_readb("up", "--to", "0100_roles", dsn=admin_url, sql_dir=sql_dir)
    if first.returncode != 0:
        return first
    make_deployer(admin_url)
    deployer = psycopg.conninfo.make_conninfo(admin_url, user=DEPLOYER)
    return run_readb("--admin-dsn", admin_url, *args, dsn=deployer, sql_dir=sql_dir)


def _build_template(host: str, port: int, user: str, dbname: str, **_: object) -> None:
    result = split_rollout("up", admin_url=f"postgresql://{user}@{host}:{port}/{dbname}")
    if result.returncode != 0:
        raise RuntimeError(f"readb up failed on the template: {result.stderr.strip()}")


readb_proc = factories.postgresql_noproc(
    host=HOST, port=PORT, user=USER, dbname="readb_test", load=[_build_template]
)
empty_proc = factories.postgresql_noproc(host=HOST, port=PORT, user=USER, dbname="readb_empty")

_db_clone = factories.postgresql("readb_proc")
empty_db = factories.postgresql("empty_proc")


NO_TEMP_FOR_PUBLIC = SQL_DIR / "rls" / "7510_no_temp_for_public.sql"


@pytest.fixture
def db(_db_clone: psycopg.Connection) -> psycopg.Connection:
    """A clone of the built database. `create database ... template` does not copy the
    database's privileges, so the clone starts with PUBLIC's default TEMP: the step that
    revokes it runs again, as the README says to after a restore."""
    _db_clone.execute(NO_TEMP_FOR_PUBLIC.read_text())
    _db_clone.commit()
    return _db_clone


def _url(conn: psycopg.Connection) -> str:
    return url_for(conn.info.dbname)


@pytest.fixture
def db_url(db: psycopg.Connection) -> str:
    """URL of this test's clone of the fully built database."""
    return _url(db)


@pytest.fixture
def empty_url(empty_db: psycopg.Connection) -> str:
    """URL of this test's empty database."""
    return _url(empty_db)


@pytest.fixture
def schema_dump() -> Callable[[str], str]:
    return dump.schema


@pytest.fixture
def make_steps(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write a step tree: {"ddl/0010_a.sql": "...", "ddl/0010_a.down.sql": "..."}."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "sql"
        for rel, text in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root

    return write


# --- Domain fixtures: a tenant with the rows most rules need -------------------------------


def refused(
    conn: psycopg.Connection, exc_type: type[psycopg.Error], query: object, params: object = ()
) -> psycopg.Error:
    """The statement fails with exc_type, in a savepoint: the test's transaction goes on."""
    with pytest.raises(exc_type) as caught, conn.transaction():
        conn.execute(query, params)
    return caught.value


def violates(
    db: psycopg.Connection, constraint: str, exc_type: type[psycopg.Error], action: Callable
) -> psycopg.Error:
    """Run action() in a savepoint: it must fail with exc_type, naming `constraint`
    (a constraint, index, or the rule a trigger names). The test's transaction goes on."""
    with pytest.raises(exc_type) as caught, db.transaction():
        action()
    assert caught.value.diag.constraint_name == constraint
    return caught.value


@contextmanager
def acting_as(
    conn: psycopg.Connection, role: str, client_id: object = None, user_id: object = None
) -> Iterator[psycopg.Connection]:
    """Inside a savepoint, act as the contract's `role` with the tenant (and actor) set the
    way the application sets them: set_config(..., true). None leaves a setting empty, as a
    pooled connection has it. On exit the role and settings are back as they were; an
    error inside rolls back to the savepoint and propagates."""
    with conn.transaction():
        conn.execute(psycopg.sql.SQL("set local role {}").format(psycopg.sql.Identifier(role)))
        conn.execute(
            "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
            ("" if client_id is None else str(client_id), "" if user_id is None else str(user_id)),
        )
        yield conn
    conn.execute("reset role")
    conn.execute(
        "select set_config('app.client_id', '', true), set_config('app.user_id', '', true)"
    )


def as_app(conn: psycopg.Connection, tenant: Tenant):
    """The application's session: rea_app, the tenant set, its agent as the actor."""
    return acting_as(conn, "rea_app", tenant.client_id, tenant.agent_id)


def plan_nodes(conn: psycopg.Connection, query: str, params=()) -> list[dict]:
    """Every node of the plan of `query` (EXPLAIN, format json), the top node first, as
    the session running it sees it (its role and tenant, so RLS is in the plan)."""
    (plan,) = conn.execute("explain (format json) " + query, params).fetchone()
    nodes, todo = [], [plan[0]["Plan"]]
    while todo:
        node = todo.pop(0)
        nodes.append(node)
        todo.extend(node.get("Plans", []))
    return nodes


def refresh_facts(conn: psycopg.Connection) -> None:
    """Refresh the reporting materialized views, as the superuser, inside the test's
    transaction (a plain refresh may run there; readb refresh's concurrent one may not
    see the test's uncommitted rows)."""
    for (view,) in conn.execute(
        "select format('%I.%I', schemaname, matviewname) from pg_matviews"
        " where schemaname = 'reporting' order by 1"
    ).fetchall():
        conn.execute(psycopg.sql.SQL("refresh materialized view {}").format(psycopg.sql.SQL(view)))


def where_found(db: psycopg.Connection, needles: list[str]) -> set[tuple[str, str]]:
    """(relation, needle) for every needle that occurs, case-insensitively, in the text of
    some row of some table or materialized view outside the system schemas (each
    partition of the audit log included). A row's text shows bytea as hex, so each
    needle is also looked for hex-encoded."""
    relations = db.execute(
        """
        select pg_catalog.format('%I.%I', n.nspname, c.relname)
        from pg_catalog.pg_class as c
        join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
        where c.relkind in ('r', 'm')
          and n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
        order by 1
        """
    ).fetchall()
    forms = {n: n for n in needles} | {n.encode().hex(): n for n in needles}
    found = set()
    for (relation,) in relations:
        hits = db.execute(
            psycopg.sql.SQL(
                "select n from unnest(%s::text[]) as n where exists ("
                " select from {} as t where strpos(lower(t::text), lower(n)) > 0)"
            ).format(psycopg.sql.SQL(relation)),
            (list(forms),),
        ).fetchall()
        found |= {(relation, forms[n]) for (n,) in hits}
    return found


def insert(conn: psycopg.Connection, table: str, **values: object) -> dict:
    """Insert one row into rea.<table> and return it whole, as a dict."""
    columns = list(values)
    query = psycopg.sql.SQL("insert into rea.{} ({}) values ({}) returning *").format(
        psycopg.sql.Identifier(table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, columns)),
        psycopg.sql.SQL(", ").join(psycopg.sql.Placeholder() * len(columns)),
    )
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        return cur.execute(query, [values[c] for c in columns]).fetchone()


@dataclass(frozen=True)
class Tenant:
    """One client (base currency SAR) with a branch, two users and a customer."""

    client_id: object
    branch_id: object
    agent_id: object
    manager_id: object
    customer_id: object

    def property(self, conn: psycopg.Connection, **overrides: object) -> dict:
        values = {
            "client_id": self.client_id,
            "listing_type": "agency_owned",
            "property_type": "apartment",
            "title": "Two-bedroom flat, Al Olaya",
            "city": "Riyadh",
            "asking_price": 850000,
            "currency": "SAR",
        } | overrides
        return insert(conn, "properties", **values)


def make_tenant(conn: psycopg.Connection, name: str = "Al Noor Realty") -> Tenant:
    client = insert(conn, "clients", name=name, base_currency="SAR")
    cid = client["id"]
    branch = insert(conn, "branches", client_id=cid, name="Olaya", city="Riyadh")
    agent = insert(
        conn,
        "users",
        client_id=cid,
        branch_id=branch["id"],
        full_name="Sara Agent",
        email=f"sara@{cid}.example",
    )
    manager = insert(
        conn,
        "users",
        client_id=cid,
        branch_id=branch["id"],
        full_name="Omar Manager",
        email=f"omar@{cid}.example",
    )
    customer = insert(
        conn,
        "customers",
        client_id=cid,
        full_name="Khalid Buyer",
        email="khalid@example.com",
        phone="+966 50 123 4567",
    )
    return Tenant(cid, branch["id"], agent["id"], manager["id"], customer["id"])


@pytest.fixture
def tenant(db: psycopg.Connection) -> Tenant:
    return make_tenant(db)


@pytest.fixture
def other_tenant(db: psycopg.Connection) -> Tenant:
    return make_tenant(db, "Gulf Homes")
