"""Tenant isolation under any sequence of operations by any actor.

Hypothesis draws sequences of (actor, operation). An actor is a contract role (rea_app,
rea_reporting, rea_auditor) with a tenant: A, B or C, none set, '' or a well-formed UUID
that is no tenant. An operation reads a whole table or view (the rea tables, the reporting
views, the audit trail), reads a known row of any tenant by id, inserts a row for any
tenant, updates a known row of any tenant, deletes a known row of a join table, updates
or deletes a whole table (no WHERE: only the write policy filters it), or calls
rea.export_customer / rea.erase_customer on a known customer of any tenant.

Each operation runs in a savepoint and is compared with a model a few lines long:
- a role without the privilege gets 42501;
- with tenant T, a read returns exactly T's rows (as the superuser sees them), a write
  reaches a row of T and never one of another tenant (0 rows, or refused: 42501, or a
  booking's trigger 23514, or P0002 from the PDPL functions);
- with no valid tenant, reads return nothing and writes reach nothing.
After every operation, as the superuser: no row returned belongs to another tenant, and
no other tenant's rows or audit trail changed (a hash of every tenant table per tenant,
and the audit rows per tenant); with no valid tenant nothing changed at all.

The case of app.client_id never set in a session (NULL) is in test_rls_fail_closed: here,
"unset" only skips set_config, and after the first operation of a session the setting
reads as '' (a pooled connection's state).
"""

import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import psycopg
import psycopg.sql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Tenant, refresh_facts
from test_rls_fail_closed import (
    FACT_VIEWS,
    JOIN_TABLES,
    TENANT_TABLES,
    UPDATES,
    populate,
    seal_a_day,
    snapshot,
    tenant_column,
)

NO_TENANT = uuid.UUID("00000000-0000-7000-8000-00000000beef")
INVALID_TENANTS = ("unset", "empty", "unknown")

VIEWS = tuple(f"reporting.{view}" for view in FACT_VIEWS)
AUDIT = ("audit.audit_logs", "audit.seals")
READABLE = tuple(f"rea.{t}" for t in TENANT_TABLES) + VIEWS + AUDIT

# what each role may do at all (6300_grants); anything else must be 42501
MAY_READ = {
    "rea_app": set(READABLE) - set(AUDIT),
    "rea_reporting": set(VIEWS),
    "rea_auditor": set(AUDIT),
}
INSERTABLE = (
    "customers",
    "properties",
    "communications",
    "roles",
    "branches",
    "expenses",
    "deals",
    "bookings",
)


# --- Operations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectAll:
    relation: str


@dataclass(frozen=True)
class SelectById:
    table: str
    whose: int  # the tenant whose row it is: 0, 1, 2 (A, B, C) or OWN
    pick: int  # which of that tenant's known rows (modulo how many are known)


@dataclass(frozen=True)
class Insert:
    """With RETURNING, the new row must pass the SELECT policy too; without, the INSERT
    policy alone decides."""

    table: str
    whose: int  # whose client_id the row carries
    returning: bool


@dataclass(frozen=True)
class Update:
    table: str
    whose: int
    pick: int


@dataclass(frozen=True)
class Delete:
    table: str
    whose: int
    pick: int


@dataclass(frozen=True)
class UpdateAll:
    """UPDATE with no WHERE and no RETURNING: it reads no column, so only the UPDATE
    policy (not the SELECT one) decides which rows it reaches."""

    table: str


@dataclass(frozen=True)
class DeleteAll:
    """DELETE with no WHERE and no RETURNING: only the DELETE policy decides."""

    table: str


@dataclass(frozen=True)
class Call:
    function: str  # export_customer | erase_customer
    whose: int
    pick: int


OWN = -1  # the acting tenant (A when the actor has none), resolved when the op runs
whose = st.sampled_from((OWN, OWN, 0, 1, 2))
picks = st.integers(0, 15)
ops = st.one_of(
    st.builds(SelectAll, st.sampled_from(READABLE)),
    st.builds(SelectById, st.sampled_from(TENANT_TABLES), whose, picks),
    st.builds(Insert, st.sampled_from(INSERTABLE), whose, st.booleans()),
    st.builds(Update, st.sampled_from(TENANT_TABLES), whose, picks),
    st.builds(Delete, st.sampled_from(JOIN_TABLES), whose, picks),
    st.builds(UpdateAll, st.sampled_from(TENANT_TABLES)),
    st.builds(DeleteAll, st.sampled_from(JOIN_TABLES)),
    st.builds(Call, st.sampled_from(["export_customer", "erase_customer"]), whose, picks),
)
# rea_app is the role that can write, so it acts most; valid tenants more often than not
actors = st.tuples(
    st.sampled_from(("rea_app", "rea_app", "rea_app", "rea_app", "rea_reporting", "rea_auditor")),
    st.sampled_from((0, 1, 2, 0, 1, 2, *INVALID_TENANTS)),
)
scripts = st.lists(st.tuples(actors, ops), min_size=1, max_size=12)


# --- The world: three seeded tenants and what is known of their rows --------------------------


@dataclass
class World:
    tenants: list[Tenant]
    refs: list[dict]  # per tenant: ids an insert for it may reference
    known: dict[str, list[tuple[object, object]]]  # table: [(id, client_id)]
    deleted: set = field(default_factory=set)
    n: int = 0  # a counter for unique names

    def row(self, op: object, table: str | None = None) -> tuple[object, object]:
        """(id, client_id) of the known row op picks (of `table`, else op.table)."""
        client_id = self.tenants[op.whose].client_id
        rows = [r for r in self.known[table or op.table] if r[1] == client_id]
        return rows[op.pick % len(rows)]


def seed_world(db: psycopg.Connection) -> World:
    tenants = [populate(db, name) for name in ("Al Noor Realty", "Gulf Homes", "Desert Rose")]
    refresh_facts(db)
    seal_a_day(db, *tenants)
    known = {}
    for table in TENANT_TABLES:
        query = psycopg.sql.SQL("select id, {} from rea.{} order by 2, 1").format(
            psycopg.sql.Identifier(tenant_column(table)), psycopg.sql.Identifier(table)
        )
        known[table] = db.execute(query).fetchall()
    refs = []
    for t in tenants:
        properties = [
            r[0]
            for r in db.execute(
                "select id from rea.properties where client_id = %s order by id", (t.client_id,)
            )
        ]
        refs.append({"t": t, "property_id": properties[0]})
    return World(tenants, refs, known)


def resolve(op: object, tenant: object) -> object:
    """The op with OWN replaced by the actor's tenant (A for an actor without one)."""
    if getattr(op, "whose", None) == OWN:
        return replace(op, whose=tenant if isinstance(tenant, int) else 0)
    return op


def tenant_of(world: World, tenant: object) -> object:
    """The client id an actor's tenant choice stands for; None for no valid tenant."""
    return world.tenants[tenant].client_id if isinstance(tenant, int) else None


@contextmanager
def actor(db: psycopg.Connection, world: World, role: str, tenant: object):
    """Act as the role with the tenant set as the application sets it (or not at all for
    "unset"), inside a savepoint; the role and settings are restored afterwards."""
    try:
        with db.transaction():
            db.execute(psycopg.sql.SQL("set local role {}").format(psycopg.sql.Identifier(role)))
            if tenant != "unset":
                value = {"empty": "", "unknown": str(NO_TENANT)}.get(
                    tenant, str(tenant_of(world, tenant))
                )
                db.execute("select set_config('app.client_id', %s, true)", (value,))
            yield
    finally:
        db.execute("reset role")
        db.execute("select set_config('app.client_id', '', true)")


# --- Running one operation --------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    sqlstate: str | None  # None: the statement succeeded
    rows: tuple = ()  # (client_id, key) of every row it returned
    rowcount: int = 0
    constraint: str | None = None


def statement(world: World, op: object) -> tuple[object, tuple, str]:
    """(query, params, table or relation) for an operation. Every query returns the tenant
    and key of each row it reads or writes."""
    sql, ident, lit = psycopg.sql.SQL, psycopg.sql.Identifier, psycopg.sql.Literal
    if isinstance(op, SelectAll):
        schema, name = op.relation.split(".")
        tenant, key = ("id", "id") if op.relation == "rea.clients" else ("client_id", "id")
        if op.relation == "audit.seals":
            key = "day"
        query = sql("select {}, {} from {}.{}").format(
            ident(tenant), ident(key), ident(schema), ident(name)
        )
        return query, (), op.relation
    if isinstance(op, SelectById):
        row_id, _ = world.row(op)
        query = sql("select {}, id from rea.{} where id = %s").format(
            ident(tenant_column(op.table)), ident(op.table)
        )
        return query, (row_id,), op.table
    if isinstance(op, Insert):
        values = insert_values(world, op)
        query = sql("insert into rea.{} ({}) values ({})").format(
            ident(op.table),
            sql(", ").join(map(ident, values)),
            sql(", ").join(map(lit, values.values())),
        )
        if op.returning:
            query += sql(" returning client_id, id")
        return query, (), op.table
    if isinstance(op, Update):
        row_id, _ = world.row(op)
        column, value = UPDATES[op.table]
        value = value if value is None else value.format(n=world.n)
        query = sql("update rea.{} set {} = {} where id = %s returning {}, id").format(
            ident(op.table), ident(column), lit(value), ident(tenant_column(op.table))
        )
        return query, (row_id,), op.table
    if isinstance(op, Delete):
        row_id, _ = world.row(op)
        query = sql("delete from rea.{} where id = %s returning client_id, id").format(
            ident(op.table)
        )
        return query, (row_id,), op.table
    if isinstance(op, UpdateAll):
        column, value = UPDATES[op.table]
        value = value if value is None else value.format(n=world.n)
        query = sql("update rea.{} set {} = {}").format(ident(op.table), ident(column), lit(value))
        return query, (), f"rea.{op.table}"
    if isinstance(op, DeleteAll):
        return sql("delete from rea.{}").format(ident(op.table)), (), f"rea.{op.table}"
    customer_id, _ = world.row(op, "customers")
    query = sql("select rea.{}(%s)").format(ident(op.function))
    return query, (customer_id,), "customers"


def insert_values(world: World, op: Insert) -> dict:
    refs = world.refs[op.whose]
    t: Tenant = refs["t"]
    n = world.n
    base = {"client_id": t.client_id}
    return (
        base
        | {
            "customers": {"full_name": f"Customer {n}", "phone": "+966 55 000 0000"},
            "properties": {
                "listing_type": "agency_owned",
                "property_type": "apartment",
                "title": f"Listing {n}",
                "city": "Jeddah",
                "asking_price": 500000,
                "currency": "SAR",
            },
            "communications": {
                "customer_id": t.customer_id,
                "user_id": t.agent_id,
                "channel": "sms",
                "direction": "inbound",
                "body": f"Message {n}",
            },
            "roles": {"name": f"Role {n}"},
            "branches": {"name": f"Branch {n}", "city": "Khobar"},
            "expenses": {
                "category": "office",
                "amount": 10,
                "currency": "SAR",
                "description": f"Expense {n}",
            },
            "deals": {
                "property_id": refs["property_id"],
                "customer_id": t.customer_id,
                "deal_type": "sale",
                "amount": 900000 + n,
                "currency": "SAR",
            },
            "bookings": {
                "property_id": refs["property_id"],
                "customer_id": t.customer_id,
                "status": "PENDING",
                "starts_at": "2026-03-01",
                "ends_at": "2026-03-08",
                "notes": f"Booking {n}",
            },
        }[op.table]
    )


def run(db: psycopg.Connection, world: World, role: str, tenant: object, op: object) -> Outcome:
    query, params, _ = statement(world, op)
    try:
        with actor(db, world, role, tenant), db.transaction():
            cur = db.execute(query, params)
            fetched = cur.fetchall() if cur.description else []
            rowcount = cur.rowcount
    except psycopg.Error as error:
        return Outcome(error.sqlstate, constraint=error.diag.constraint_name)
    if isinstance(op, Call):
        rows = export_rows(fetched[0][0]) if op.function == "export_customer" else ()
        return Outcome(None, rows, rowcount)
    return Outcome(None, tuple(fetched), rowcount)


def export_rows(export: dict) -> tuple:
    """(client_id, id) of every row an export returned: the customer and its deals,
    bookings and communications."""
    customer = export["customer"]
    rows = [(uuid.UUID(customer["client_id"]), uuid.UUID(customer["id"]))]
    for part in ("deals", "bookings", "communications"):
        rows += [(uuid.UUID(r["client_id"]), uuid.UUID(r["id"])) for r in export[part]]
    return tuple(rows)


# --- The model ---------------------------------------------------------------------------------


def expected_reads(db: psycopg.Connection, relation: str, client_id: object) -> set:
    """As the superuser: (tenant, key) of every row of `relation` that belongs to
    client_id. Reporting views: their materialized view's rows of the tenant."""
    if client_id is None:
        return set()
    schema, name = relation.split(".")
    if schema == "reporting":
        name = f"{name}_mv"
    tenant, key = ("id", "id") if relation == "rea.clients" else ("client_id", "id")
    if relation == "audit.seals":
        key = "day"
    query = psycopg.sql.SQL("select {t}, {k} from {s}.{n} where {t} = %s").format(
        t=psycopg.sql.Identifier(tenant),
        k=psycopg.sql.Identifier(key),
        s=psycopg.sql.Identifier(schema),
        n=psycopg.sql.Identifier(name),
    )
    return set(db.execute(query, (client_id,)).fetchall())


def may(role: str, op: object) -> bool:
    """The privileges of 6300_grants, as the model knows them."""
    if isinstance(op, SelectAll):
        return op.relation in MAY_READ[role]
    if role != "rea_app":
        return False
    if isinstance(op, Update | UpdateAll):
        return op.table not in JOIN_TABLES
    return True  # reads by id, inserts, deletes of join rows, the PDPL functions


def check(world: World, role: str, tenant: object, op: object, out: Outcome, expected) -> None:
    """The outcome the model allows for op by (role, tenant)."""
    me = tenant_of(world, tenant)
    where = f"{role} as {tenant} {op}: {out}"
    # never a row of another tenant, whatever happened
    assert all(client == me for client, _ in out.rows), where
    if not may(role, op):
        assert out.sqlstate == "42501", where
        return
    if isinstance(op, SelectAll):
        assert out.sqlstate is None and set(out.rows) == expected, where
        return
    if isinstance(op, UpdateAll | DeleteAll):
        assert out.sqlstate is None and out.rowcount == len(expected), where
        return
    if isinstance(op, Insert):
        if me == world.tenants[op.whose].client_id:
            assert out.sqlstate is None and out.rowcount == 1, where
        elif op.table == "bookings":  # its trigger cannot see the property: refuses first
            assert out.sqlstate == "23514", where
            assert out.constraint == "bookings_property_available_check", where
        else:
            assert out.sqlstate == "42501", where
        return
    if isinstance(op, Call):
        _, owner = world.row(op, "customers")
        if me is not None and owner == me:
            assert out.sqlstate is None, where
        else:
            assert out.sqlstate == ("42501" if tenant in ("unset", "empty") else "P0002"), where
        return
    # SelectById, Update, Delete: the row, if it is the tenant's (and still there)
    row_id, owner = world.row(op)
    visible = me is not None and owner == me and (op.table, row_id) not in world.deleted
    assert out.sqlstate is None, where
    assert out.rows == (((owner, row_id),) if visible else ()), where


# the column of each inserted row whose value (from insert_values) is unique to it
MARKERS = {
    "customers": "full_name",
    "properties": "title",
    "communications": "body",
    "roles": "name",
    "branches": "name",
    "expenses": "description",
    "deals": "amount",
    "bookings": "notes",
}


def apply(db: psycopg.Connection, world: World, op: object, out: Outcome, me: object) -> None:
    """What the model learns from a successful operation (an inserted row without
    RETURNING is found by the superuser through its marker)."""
    if out.sqlstate is None and isinstance(op, Insert):
        column = MARKERS[op.table]
        found = db.execute(
            psycopg.sql.SQL("select id, client_id from rea.{} where {} = %s").format(
                psycopg.sql.Identifier(op.table), psycopg.sql.Identifier(column)
            ),
            (insert_values(world, op)[column],),
        ).fetchall()
        assert len(found) == 1 and found[0][1] == me, (op, found)
        if out.rows:
            assert out.rows == ((me, found[0][0]),), (op, out)
        world.known[op.table].append(found[0])
    world.n += 1
    if out.sqlstate is not None:
        return
    if isinstance(op, Delete) and out.rows:
        world.deleted.add((op.table, out.rows[0][1]))
    elif isinstance(op, DeleteAll) and out.rowcount:
        world.deleted |= {(op.table, i) for i, client in world.known[op.table] if client == me}


def kind(op: object, out: Outcome) -> str:
    """The outcome in a word, to show every kind of operation was both let through and
    refused: rows (it returned or reached rows), nothing, or the SQLSTATE."""
    reached = out.rows or (isinstance(op, UpdateAll | DeleteAll) and out.rowcount)
    result = out.sqlstate or ("rows" if reached else "nothing")
    return f"{type(op).__name__}: {result}"


def test_no_actor_reaches_another_tenant(db):
    world = seed_world(db)
    seen: Counter = Counter()

    @settings(
        max_examples=300,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(script=scripts)
    def isolation_holds(script):
        with db.transaction(force_rollback=True):
            state = World(
                world.tenants,
                world.refs,
                {table: list(rows) for table, rows in world.known.items()},
            )
            before = snapshot(db)
            for (role, tenant), drawn in script:
                op = resolve(drawn, tenant)
                relation = statement(state, op)[2]
                me = tenant_of(state, tenant)
                expected = (
                    expected_reads(db, relation, me)
                    if isinstance(op, SelectAll | UpdateAll | DeleteAll)
                    else None
                )
                out = run(db, state, role, tenant, op)
                seen[kind(op, out)] += 1
                check(state, role, tenant, op, out, expected)
                if isinstance(op, SelectAll | SelectById):
                    apply(db, state, op, out, me)
                    continue  # a plain SELECT writes nothing: no snapshot needed
                after = snapshot(db)
                changed = {
                    key for key in before.keys() | after.keys() if before.get(key) != after.get(key)
                }
                assert {client for _, client in changed} <= ({me} if me else set()), (
                    f"{role} as {tenant} {op} changed {sorted(changed, key=str)}"
                )
                before = after
                apply(db, state, op, out, me)

    isolation_holds()
    # not vacuous: each kind of operation both reached the actor's rows and was refused
    for wanted in (
        "SelectAll: rows",
        "SelectAll: nothing",
        "SelectAll: 42501",
        "SelectById: rows",
        "SelectById: nothing",
        "Insert: rows",
        "Insert: nothing",
        "Insert: 42501",
        "Update: rows",
        "Update: nothing",
        "Update: 42501",
        "Delete: rows",
        "Delete: nothing",
        "UpdateAll: rows",
        "UpdateAll: nothing",
        "DeleteAll: rows",
        "DeleteAll: nothing",
        "Call: rows",
        "Call: P0002",
        "Call: 42501",
    ):
        assert seen[wanted], (wanted, seen)
