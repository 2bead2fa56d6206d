"""No tenant context leaks between transactions behind PgBouncer in transaction pooling mode.

The contract has the application set its tenant and actor inside each transaction:

    select set_config('app.client_id', '<uuid>', true), set_config('app.user_id', '<uuid>', true);

This suite runs a real PgBouncer (tests/pgbouncer.py) with `pool_mode = transaction` and a
pool of ONE server connection, and logs in through it as `readb_test_app`, a LOGIN member
of `rea_app` (what production does), from three client connections. Every transaction of
every client therefore runs on the same PostgreSQL backend, one after the other: the test
first proves that (one distinct `pg_backend_pid()` over all transactions, else it would
prove nothing). Clients and tenants alternate transaction by transaction for 50 rounds;
each round runs, on the one server connection:

- a transaction of tenant A (actor: one of A's users), ending in COMMIT, ROLLBACK, or an
  error (division by zero) in turn;
- a transaction of another client that sets nothing;
- a transaction of tenant B, then again one that sets nothing.

A transaction that sets tenant T sees `current_setting('app.client_id')` = T,
`current_setting('app.user_id')` = the user it set (never the previous transaction's
actor: the audit trail's actor is isolated too), and, under RLS (`rls` case),
`rea.current_client_id()` = T, exactly T's customers in `rea.customers` (those it
committed so far, none of a rolled-back or failed transaction), may insert a customer for
T and gets SQLSTATE 42501 inserting one for the other tenant. A transaction that sets
nothing, right after another client's transaction set tenant X (also after a ROLLBACK or
an error), reads '' or NULL for both settings and, under RLS, NULL from
`rea.current_client_id()`, 0 customers without an error, and 42501 inserting a customer
for X: it fails closed. Every tenant transaction also starts by checking that it begins
with no context. The `settings` case runs the same interleaving checking only the
settings (it needs no grants or policies).

`test_session_level_set_config_leaks_through_the_pool` documents why the contract says
`true` (transaction-local): a SESSION-level `set_config(..., false)` survives the
transaction and PgBouncer hands the connection, setting included, to the next client.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import psycopg.errors
import psycopg.sql
import pytest

from conftest import HOST, PORT, Tenant, insert, url_for
from pgbouncer import PgBouncer, ensure_login_role, find_binary, in_ci

APP_LOGIN = "readb_test_app"  # LOGIN role, member of rea_app: how the application connects
CLIENTS = 3
ROUNDS = 50
ENDINGS = ("commit", "rollback", "commit", "error")  # how round r's tenant-A transaction ends

Context = tuple[str | None, str | None]
EMPTY = ("", None)  # what an unset setting reads as: '' once a local set_config has ended


@pytest.fixture
def bouncer(db: psycopg.Connection) -> Iterator[PgBouncer]:
    """A PgBouncer (transaction pooling, one server connection) in front of this test's
    database, which its clients reach as APP_LOGIN. Stopped, and its folder deleted, even
    when the test fails."""
    if find_binary() is None:
        reason = "pgbouncer is not installed (apt-get install pgbouncer)"
        if in_ci():
            pytest.fail(f"{reason}; CI=true: a missing pgbouncer fails the build")
        pytest.skip(reason)
    ensure_login_role(url_for(db.info.dbname), APP_LOGIN, "rea_app")
    with PgBouncer(databases={db.info.dbname: (HOST, PORT)}, users=[APP_LOGIN]) as running:
        yield running


@pytest.fixture
def clients(bouncer: PgBouncer, db: psycopg.Connection) -> Iterator[list[psycopg.Connection]]:
    """CLIENTS autocommit connections through the bouncer: every transaction is an explicit
    `with conn.transaction()` (BEGIN ... COMMIT), so no client holds the one server
    connection between its transactions. No server-side prepared statements: PgBouncer
    1.18 cannot keep them apart in transaction mode."""
    conns: list[psycopg.Connection] = []
    try:
        for _ in range(CLIENTS):
            conns.append(
                psycopg.connect(
                    bouncer.url(db.info.dbname, APP_LOGIN),
                    autocommit=True,
                    prepare_threshold=None,
                    connect_timeout=10,
                )
            )
        yield conns
    finally:
        for conn in conns:
            conn.close()


def set_context(conn: psycopg.Connection, client_id: object, user_id: object, local: bool) -> None:
    conn.execute(
        "select set_config('app.client_id', %s, %s), set_config('app.user_id', %s, %s)",
        (str(client_id), local, str(user_id), local),
    )


def read_context(conn: psycopg.Connection) -> tuple[Context, int]:
    """(app.client_id, app.user_id) as this transaction sees them, and the backend pid."""
    client_id, user_id, pid = conn.execute(
        "select current_setting('app.client_id', true), current_setting('app.user_id', true),"
        " pg_backend_pid()"
    ).fetchone()
    return (client_id, user_id), pid


def assert_no_context(context: Context, after: str) -> None:
    client_id, user_id = context
    assert client_id in EMPTY, f"app.client_id {client_id!r} leaked {after}"
    assert user_id in EMPTY, f"app.user_id {user_id!r} leaked {after}"


def new_customer(conn: psycopg.Connection, client_id: object, label: str) -> dict:
    return insert(
        conn,
        "customers",
        client_id=client_id,
        full_name=f"Pooled Customer {label}",
        email=f"pooled-{label}@example.com",
    )


def assert_insert_refused(conn: psycopg.Connection, client_id: object, label: str) -> None:
    """Inserting a customer for client_id fails with 42501; the transaction goes on. No
    RETURNING: it would need the new row to pass the SELECT policy as well, and so would
    hide an INSERT policy that lets the row in."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():  # savepoint
        conn.execute(
            "insert into rea.customers (client_id, full_name, email) values (%s, %s, %s)",
            (client_id, f"Refused Customer {label}", f"refused-{label}@example.com"),
        )


class Interleaving:
    """Runs the transactions of the scenario and keeps what they must see next."""

    def __init__(self, conns: list[psycopg.Connection], rls: bool, tenants: list[Tenant]):
        self.conns = conns
        self.rls = rls
        self.pids: list[int] = []
        # each tenant's customers as committed so far: what its next transaction must see
        self.customers: dict[object, set[object]] = {}
        self.tenants = tenants
        self.previous = "the start"  # which transaction ran last on the server connection

    def tenant_transaction(
        self, conn: psycopg.Connection, tenant: Tenant, other: Tenant, actor: object, r: int
    ) -> str:
        """A transaction of `tenant` acting as `actor`, ending as ENDINGS says for round r
        (the B transactions always commit). Returns how it ended."""
        ending = ENDINGS[r % len(ENDINGS)] if tenant is self.tenants[0] else "commit"
        label = f"r{r}-{tenant.client_id}"
        inserted = None
        try:
            with conn.transaction():
                context, pid = read_context(conn)
                self.pids.append(pid)
                assert_no_context(context, f"into a tenant transaction after {self.previous}")
                set_context(conn, tenant.client_id, actor, local=True)
                context, pid = read_context(conn)
                assert pid == self.pids[-1]
                assert context == (str(tenant.client_id), str(actor)), (
                    f"round {r}: the transaction's own tenant/actor, not {self.previous}'s"
                )
                if self.rls:
                    self._tenant_rls_checks(conn, tenant, other, label)
                    inserted = new_customer(conn, tenant.client_id, label)
                    assert inserted["client_id"] == tenant.client_id
                if ending == "rollback":
                    raise psycopg.Rollback()
                if ending == "error":
                    conn.execute("select 1 / 0")
        except psycopg.errors.DivisionByZero:
            assert ending == "error"
        if ending == "commit" and inserted is not None:
            self.customers[tenant.client_id].add(inserted["id"])
        self.previous = f"round {r}'s tenant {tenant.client_id} transaction ({ending})"
        return ending

    def _tenant_rls_checks(
        self, conn: psycopg.Connection, tenant: Tenant, other: Tenant, label: str
    ) -> None:
        (current,) = conn.execute("select rea.current_client_id()").fetchone()
        assert current == tenant.client_id
        rows = conn.execute("select client_id, id from rea.customers").fetchall()
        assert {client_id for client_id, _ in rows} <= {tenant.client_id}, (
            f"another tenant's customers visible to {tenant.client_id} after {self.previous}"
        )
        assert {id_ for _, id_ in rows} == self.customers[tenant.client_id]
        assert len(rows) == len(self.customers[tenant.client_id])
        assert_insert_refused(conn, other.client_id, f"{label}-cross")

    def bare_transaction(self, conn: psycopg.Connection, last_tenant: Tenant, r: int) -> None:
        """A transaction that sets nothing, right after `last_tenant`'s on the same server
        connection: it sees no context, no tenant row, and can write none."""
        with conn.transaction():
            context, pid = read_context(conn)
            self.pids.append(pid)
            assert_no_context(context, f"after {self.previous}")
            if self.rls:
                (current,) = conn.execute("select rea.current_client_id()").fetchone()
                assert current is None, f"rea.current_client_id() leaked after {self.previous}"
                (count,) = conn.execute("select count(*) from rea.customers").fetchone()
                assert count == 0, f"{count} customers visible without a tenant"
                assert_insert_refused(conn, last_tenant.client_id, f"r{r}-bare")
        self.previous = f"round {r}'s transaction without context"


def rls_preconditions(db: psycopg.Connection) -> None:
    """What makes the RLS assertions meaningful: the function exists, RLS is on, and the
    login role holds the privileges, so a 42501 comes from a policy, not a missing grant."""
    row = db.execute(
        "select to_regprocedure('rea.current_client_id()') is not null,"
        " (select relrowsecurity from pg_class where oid = 'rea.customers'::regclass),"
        " has_schema_privilege(%(r)s, 'rea', 'usage'),"
        " has_table_privilege(%(r)s, 'rea.customers', 'select, insert'),"
        " (select rolsuper or rolbypassrls from pg_roles where rolname = %(r)s)",
        {"r": APP_LOGIN},
    ).fetchone()
    assert row == (True, True, True, True, False), (
        "(rea.current_client_id() exists, RLS on rea.customers, usage on rea, select+insert"
        f" on rea.customers, superuser or bypassrls) for {APP_LOGIN}: {row}"
    )


@pytest.mark.parametrize("checks", ["settings", "rls"])
def test_no_tenant_context_leaks_between_pooled_transactions(
    checks: str,
    db: psycopg.Connection,
    tenant: Tenant,
    other_tenant: Tenant,
    clients: list[psycopg.Connection],
) -> None:
    """50 rounds of two tenants and context-less transactions from three clients over
    ONE server connection behind PgBouncer (transaction pooling): no transaction sees the
    tenant, actor or rows of another; committed writes land, rolled-back or failed ones
    don't. See the module docstring."""
    db.commit()  # the tenants, for the bouncer's connection to see
    rls = checks == "rls"
    if rls:
        rls_preconditions(db)
    a, b = tenant, other_tenant
    run = Interleaving(clients, rls, [a, b])
    for t in (a, b):
        run.customers[t.client_id] = {t.customer_id}

    endings = []
    for r in range(ROUNDS):
        first, second, third = (clients[(r + k) % CLIENTS] for k in range(3))
        # the actor alternates between each tenant's two users, so consecutive
        # transactions of one tenant carry different actors too
        actor_a = a.agent_id if r % 2 == 0 else a.manager_id
        actor_b = b.manager_id if r % 2 == 0 else b.agent_id
        endings.append(run.tenant_transaction(first, a, b, actor_a, r))
        run.bare_transaction(second, a, r)
        run.tenant_transaction(third, b, a, actor_b, r)
        run.bare_transaction(first, b, r)

    # it proves something only if all of it ran on one server connection
    assert len(run.pids) == ROUNDS * 4
    assert len(set(run.pids)) == 1, f"{len(set(run.pids))} server connections were used"
    assert {"commit", "rollback", "error"} <= set(endings)
    if rls:
        # what committed is there, what was rolled back or failed is not
        rows = db.execute("select client_id, id from rea.customers").fetchall()
        for t in (a, b):
            assert {id_ for cid, id_ in rows if cid == t.client_id} == run.customers[t.client_id]
        assert len(run.customers[a.client_id]) == 1 + endings.count("commit")
        assert len(run.customers[b.client_id]) == 1 + ROUNDS


def test_session_level_set_config_leaks_through_the_pool(
    db: psycopg.Connection,
    tenant: Tenant,
    clients: list[psycopg.Connection],
) -> None:
    """The hazard the contract's `true` avoids: set_config(..., false) is SESSION-level,
    survives the transaction, and PgBouncer (transaction pooling; no reset query between
    transactions) gives the server connection, setting and all, to the next client, which
    then reads another client's tenant and actor (and rea.current_client_id(), which reads
    this setting, would return it). Asserted here so the contract's choice stays explained
    by a test; the test then resets the connection."""
    db.commit()
    leaker, victim = clients[0], clients[1]
    with leaker.transaction():
        set_context(leaker, tenant.client_id, tenant.agent_id, local=False)
        _, leaker_pid = read_context(leaker)
    try:
        with victim.transaction():
            context, victim_pid = read_context(victim)
        assert victim_pid == leaker_pid, "not the same server connection: nothing to show"
        assert context == (str(tenant.client_id), str(tenant.agent_id)), (
            "expected the session-level setting to leak to the next client"
        )
    finally:
        victim.execute("reset all")  # a statement of its own: the setting is gone for good
    with leaker.transaction():
        context, pid = read_context(leaker)
    assert pid == leaker_pid
    assert_no_context(context, "after reset all")

    # the contract's way, side by side: transaction-local, so nothing survives
    with leaker.transaction():
        set_context(leaker, tenant.client_id, tenant.agent_id, local=True)
    with victim.transaction():
        context, _ = read_context(victim)
    assert_no_context(context, "after a transaction-local set_config")


# --- Finding 2 of the hardening issue: an implant on a pooled server connection ---------

KEY = "pooled-key-long-enough-0123456789abcdef"
NATIONAL_ID = "1098765432"
# What an attacker's transaction plants, so that a later transaction on the same server
# connection runs it: shadows of the types the project's code casts to, a stash, and a
# session-level search_path that puts pg_temp first.
IMPLANTS = (
    "create function pg_temp.implant(v anyelement) returns boolean language plpgsql as $$"
    " begin perform pg_catalog.set_config('attack.stash',"
    " pg_catalog.concat_ws('|', pg_catalog.current_setting('attack.stash', true),"
    " pg_catalog.current_user, pg_catalog.current_setting('app.client_id', true),"
    " pg_catalog.current_setting('app.user_id', true), v), false); return true; end $$",
    "create domain pg_temp.text as pg_catalog.text check (pg_temp.implant(value))",
    "create domain pg_temp.uuid as pg_catalog.uuid check (pg_temp.implant(value))",
    "create temporary table stash (what pg_catalog.text)",
)


def _plant(conn: psycopg.Connection) -> list[str]:
    """Each implant in its own savepoint; returns the SQLSTATEs of the refused ones."""
    refused = []
    for ddl in IMPLANTS:
        try:
            with conn.transaction():
                conn.execute(ddl)
        except psycopg.errors.Error as exc:
            refused.append(exc.sqlstate)
    conn.execute("select pg_catalog.set_config('search_path', 'pg_temp, public', false)")
    return refused


def _honest_transaction(conn: psycopg.Connection, t: Tenant) -> int:
    """Tenant B's transaction as the contract has it: context, an audited insert, its
    identifiers through the function, all with bound parameters and no casts of its own."""
    with conn.transaction():
        conn.execute(
            "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
            (str(t.client_id), str(t.agent_id)),
        )
        conn.execute(
            "insert into rea.customers (client_id, full_name) values (%s, %s)",
            (t.client_id, "Pooled Customer"),
        )
        conn.execute(
            "select rea.set_customer_identifiers(%s, %s, null, %s)",
            (t.customer_id, NATIONAL_ID, KEY),
        )
        return conn.execute("select pg_backend_pid()").fetchone()[0]


def _what_the_attacker_finds(conn: psycopg.Connection) -> str:
    """Every custom setting of the session and every row of its temporary tables, as text."""
    with conn.transaction():
        settings = conn.execute(
            "select string_agg(name || '=' || setting, ' ') from pg_catalog.pg_settings"
            " where name like '%%.%%'"
        ).fetchone()[0]
        stash = ""
        if conn.execute("select pg_catalog.to_regclass('pg_temp.stash') is not null").fetchone()[0]:
            stash = " ".join(r[0] or "" for r in conn.execute("select what from pg_temp.stash"))
        return f"{settings or ''} {stash}"


@pytest.mark.parametrize("temp", ["revoked", "granted"])
def test_an_implant_does_not_reach_the_next_tenant(
    temp: str,
    db: psycopg.Connection,
    tenant: Tenant,
    other_tenant: Tenant,
    clients: list[psycopg.Connection],
) -> None:
    """The attacker (tenant A) plants temporary objects in its transaction; tenant B's
    honest transaction runs next on the same server connection; the attacker's next
    transaction finds nothing of B: not its tenant id, actor or national id. With TEMP
    revoked (the shipped state) every implant is refused with 42501; with TEMP granted to
    the login (a restore that brought it back), the implants exist, and the pinned
    search_path of every function keeps them from running in B's transaction."""
    if temp == "granted":
        db.execute(
            psycopg.sql.SQL("grant temporary on database {} to {}").format(
                psycopg.sql.Identifier(db.info.dbname), psycopg.sql.Identifier(APP_LOGIN)
            )
        )
    db.commit()
    attacker, victim = clients[0], clients[1]
    a, b = tenant, other_tenant
    try:
        with attacker.transaction():
            attacker.execute(
                "select set_config('app.client_id', %s, true), set_config('app.user_id', %s, true)",
                (str(a.client_id), str(a.agent_id)),
            )
            refused = _plant(attacker)
            attacker_pid = attacker.execute("select pg_backend_pid()").fetchone()[0]
        if temp == "revoked":
            assert refused == ["42501"] * len(IMPLANTS)
        else:
            assert refused == []
        victim_pid = _honest_transaction(victim, b)
        assert victim_pid == attacker_pid, "not the same server connection: nothing to show"
        found = _what_the_attacker_finds(attacker)
        for secret in (str(b.client_id), str(b.agent_id), NATIONAL_ID):
            assert secret not in found, f"{secret} reached the attacker: {found}"
    finally:
        for conn in clients:  # the session-level search_path and temp objects go
            conn.execute("discard all")
        if temp == "granted":
            db.execute(
                psycopg.sql.SQL("revoke temporary on database {} from {}").format(
                    psycopg.sql.Identifier(db.info.dbname), psycopg.sql.Identifier(APP_LOGIN)
                )
            )
            db.commit()
