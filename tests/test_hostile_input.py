"""Hostile input: whatever the application passes, the database either stores and returns
exactly that, or refuses it with a clean error; it never fails inside (XX000), never
changes its schema, and never touches another tenant's rows.

Acting as rea_app with tenant A set (tenant B exists with a row in every table), and as
rea_owner for the audit trail's maintenance functions, Hypothesis feeds:
- every function in rea, audit and reporting that rea_app may execute (found in the
  catalog with has_function_privilege, so a new one is covered without editing this
  file), and the audit maintenance functions, with hostile values for each parameter:
  quotes, SQL injection attempts, dollar quotes, control characters, 100,000-character
  strings, right-to-left text and overrides, combining characters, emoji, malformed
  uuids, huge and negative numbers, odd dates;
- every text and jsonb column of every rea table that rea_app may update, on tenant A's
  row.
Values go in as bound parameters and, for some examples, as SQL literals composed with
psycopg.sql.Literal (quoting holds as well as binding does). The outcome is success, with
the value read back equal to the one sent, or an error whose SQLSTATE is one the
application can handle: data exceptions (22xxx, e.g. 22P02 for a malformed uuid),
integrity violations (23xxx), 42501, P0002, 55000 or 39000.
A schema fingerprint (relations, columns, routines, constraints, triggers, policies,
privileges) and a digest of tenant B's rows, its audit rows included, are compared after
every call.

Long text in an indexed column is refused by the column's named check (23514), not by
the B-tree's size limit (54000): test_long_text_in_an_indexed_column_is_refused_by_a_named_rule
(6040_text_lengths).
"""

from decimal import Decimal

import psycopg
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from psycopg import errors, sql
from psycopg.types.json import Jsonb

from conftest import Tenant, acting_as, insert
from strategies import text_without_nul

KEY = "kTq9-correct-horse-battery-staple"
CLEAN_CLASSES = {"22", "23"}
CLEAN_STATES = {"42501", "P0002", "55000", "39000"}

# --- hostile values -------------------------------------------------------------------------

INJECTIONS = [
    "'",
    '"',
    "\\",
    "`",
    "''",
    "\\'",
    "'; drop table rea.customers; --",
    "Robert'); drop table rea.customers; --",
    "x' or '1'='1",
    "$$",
    "$$; drop table rea.customers; $$",
    "$body$ select 1 $body$",
    "'::uuid",
    "E'\\x41'",
    "%s",
    "%(id)s",
    "{}",
    "{0}",
    "\\x00",
    "\\0",
    "NULL",
    "null",
    "--",
    "/* */",
    "; commit; drop schema rea cascade;",
    "\u202eevil\u202c",
    "abc\u202edcba",
    "\u200f\u0645\u0631\u062d\u0628\u0627\u200e",
    "الرياض \u202bكومباوند\u202c",  # noqa: RUF001 (an RTL embedding inside Arabic text)
    "e\u0301\u0302\u0303\u0304\u0305",
    "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357\u0358\u0359\u035a",
    "😀",
    "👩\u200d👩\u200d👧\u200d👦",
    "🇸🇦",
    "\ufeffBOM",
    "\ufffd",
    "\U0010ffff",
    "",
    " ",
    "\t\n\r",
]
CONTROL = st.text(alphabet=[chr(c) for c in range(1, 32)] + ["\x7f"], min_size=1, max_size=20)
# 100,000 characters: repetitive ones compress (and fit in an index), the last does not
LONG = [
    "x" * 100_000,
    "'" * 100_000,
    "\u064a" * 100_000,
    "😀" * 100_000,
    "".join(chr(0x4E00 + (i * 7919) % 20_000) for i in range(100_000)),
]
hostile_text = st.one_of(
    st.sampled_from(INJECTIONS),
    CONTROL,
    st.sampled_from(LONG),
    text_without_nul(max_size=40),
    st.lists(st.one_of(st.sampled_from(INJECTIONS), CONTROL), min_size=2, max_size=5).map("".join),
)
BAD_UUIDS = [
    "",
    "not-a-uuid",
    "00000000-0000-0000-0000-00000000000",
    "00000000-0000-0000-0000-0000000000000",
    "g0000000-0000-0000-0000-000000000000",
    "{00000000-0000-0000-0000-000000000000",
    "' or 1=1 --",
    "0" * 100_000,
]
ODD_DATES = [
    "infinity",
    "-infinity",
    "epoch",
    "now",
    "today",
    "tomorrow",
    "yesterday",
    "allballs",
    "0001-01-01 BC",
    "4714-11-24 BC",
    "4714-11-23 BC",
    "5874897-12-31",
    "5874898-01-01",
    "294276-12-31 23:59:59",
    "294277-01-01",
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-01-01 24:00:00",
    "2026-06-30 23:59:60",
    "2026-01-01 00:00 +15:00",
    "2026-01-01 00:00 +16:00",
    "2026-01-01 Asia/Riyadh",
    "2026-01-01 Mars/Olympus_Mons",
    "J2461000",
    "\u0662\u0660\u0662\u0666-01-01",
    "1447-09-01",
]
HUGE_NUMBERS = [
    0,
    -1,
    1,
    2**31 - 1,
    2**31,
    -(2**31),
    -(2**31) - 1,
    2**63 - 1,
    -(2**63),
    10**40,
    -(10**40),
    Decimal("NaN"),
    Decimal("1e1000"),
    Decimal("-1e-1000"),
    "Infinity",
    "-Infinity",
    "1e131073",
    "0x10",
    "1_000",
]


def values_for(type_name: str, t: Tenant, other: Tenant) -> st.SearchStrategy:
    """Hostile values (and some well-formed ones, so success paths are reached) for a
    parameter of this type. Anything may also be NULL, or text the server must parse."""
    typed = {
        "uuid": st.sampled_from(
            [*BAD_UUIDS, t.customer_id, other.customer_id, "00000000-0000-7000-8000-000000000000"]
        ),
        "text": st.one_of(hostile_text, st.sampled_from(["national_id", "passport_number", KEY])),
        # no Decimal: PostgreSQL's own numeric-to-integer cast refuses NaN with 0A000
        # before any function runs; as text ('NaN') it is a 22P02
        "integer": st.one_of(
            st.sampled_from([n for n in HUGE_NUMBERS if not isinstance(n, Decimal)]),
            st.integers(),
        ),
        # no signed NaN: psycopg's sql.Literal(Decimal("-NaN")) composes the bare word
        # -NaN, which is not SQL (a client-side limit; bound, it is a clean 22P02)
        "numeric": st.one_of(
            st.sampled_from(HUGE_NUMBERS), st.integers(), st.decimals(allow_nan=False)
        ),
        "date": st.sampled_from(ODD_DATES),
        "timestamp with time zone": st.sampled_from(ODD_DATES),
        "text[]": st.lists(hostile_text, max_size=3),
        "regclass": st.sampled_from(["rea.customers", "audit.nowhere", *INJECTIONS[:10]]),
        "xid8": st.sampled_from(["0", "3", "18446744073709551615", "-1", "99999999999999999999"]),
    }
    return st.one_of(st.none(), hostile_text, typed.get(type_name, hostile_text))


# --- what must not change -------------------------------------------------------------------


def schema_fingerprint(db, ignore: list[str] = ()) -> str:
    """md5 over the project's relations, columns, routines, constraints, triggers and
    policies, with their privileges; relations named in `ignore` (and their indexes and
    triggers, whose names start with theirs) left out."""
    return db.execute(
        """
        with project as (
            select oid, nspname from pg_namespace
            where nspname in ('rea', 'audit', 'reporting', 'readb', 'public', 'extensions')
        ),
        rel as (
            select c.oid, p.nspname, c.relname, c.relkind, c.relacl::text as acl
            from pg_class as c join project as p on p.oid = c.relnamespace
            where not c.relname like any (select i || '%%' from unnest(%s::text[]) as i)
        )
        select md5(string_agg(item, E'\\n' order by item)) from (
            select concat_ws(' ', 'rel', nspname, relname, relkind, acl) from rel
            union all
            select concat_ws(' ', 'col', r.relname, a.attname, a.atttypid, a.attnotnull)
            from pg_attribute as a join rel as r on r.oid = a.attrelid
            where a.attnum > 0 and not a.attisdropped
            union all
            select concat_ws(' ', 'proc', p.oid::regprocedure, md5(p.prosrc), p.proacl,
                             p.prosecdef, pg_get_function_result(p.oid))
            from pg_proc as p join project as s on s.oid = p.pronamespace
            union all
            select concat_ws(' ', 'con', r.relname, c.conname, pg_get_constraintdef(c.oid))
            from pg_constraint as c join rel as r on r.oid = c.conrelid
            union all
            select concat_ws(' ', 'trg', r.relname, t.tgname, t.tgenabled, t.tgfoid)
            from pg_trigger as t join rel as r on r.oid = t.tgrelid
            union all
            select concat_ws(' ', 'pol', r.relname, p.polname, pg_get_expr(p.polqual, p.polrelid))
            from pg_policy as p join rel as r on r.oid = p.polrelid
            union all
            select concat_ws(' ', 'rls', relname, relrowsecurity, relforcerowsecurity)
            from pg_class where oid in (select oid from rel)
            union all
            select concat_ws(' ', 'ns', nspname, nspacl) from pg_namespace
            where oid in (select oid from project)
        ) as items (item)
        """,
        (list(ignore),),
    ).fetchone()[0]


def tenant_digest(db, t: Tenant) -> str:
    """md5 over every row of tenant t, in every rea table, and its audit rows."""
    tables = [
        r[0]
        for r in db.execute(
            """
            select format('%I.%I', table_schema, table_name) from information_schema.columns
            where table_schema = 'rea' and column_name = 'client_id'
              and table_name in (select table_name from information_schema.tables
                                 where table_schema = 'rea' and table_type = 'BASE TABLE')
            order by 1
            """
        )
    ]
    parts = [
        sql.SQL("select 'clients' || c::text from rea.clients as c where c.id = %(id)s"),
        sql.SQL("select 'audit' || l::text from audit.audit_logs as l where l.client_id = %(id)s"),
    ] + [
        sql.SQL("select {} || r::text from {} as r where r.client_id = %(id)s").format(
            sql.Literal(table), sql.SQL(table)
        )
        for table in tables
    ]
    query = sql.SQL("select md5(string_agg(x, E'\\n' order by x)) from ({}) as u (x)").format(
        sql.SQL(" union all ").join(parts)
    )
    return db.execute(query, {"id": t.client_id}).fetchone()[0]


# A regclass argument names a relation: text naming none fails in regclass's input
# function, with these states (the analogue of 22P02 for that type).
NO_SUCH_RELATION = {"42P01", "42602", "3F000"}


def is_clean(error: psycopg.Error, extra: set[str] = frozenset()) -> bool:
    state = error.sqlstate or ""
    return state[:2] in CLEAN_CLASSES or state in CLEAN_STATES | extra


# --- a row in every table, for both tenants --------------------------------------------------


def populate(db, t: Tenant) -> dict:
    """One row of each tenant table for t (as the superuser); returns table -> id."""
    ids = {"clients": t.client_id, "branches": t.branch_id, "users": t.agent_id}
    ids["customers"] = t.customer_id
    ids["properties"] = t.property(db)["id"]
    ids["commission_rules"] = insert(
        db,
        "commission_rules",
        client_id=t.client_id,
        listing_type="agency_owned",
        deal_type="sale",
        percentage=2,
        effective="[2020-01-01,2040-01-01)",
    )["id"]
    ids["deals"] = insert(
        db,
        "deals",
        client_id=t.client_id,
        property_id=ids["properties"],
        customer_id=t.customer_id,
        deal_type="sale",
        amount=850000,
        currency="SAR",
    )["id"]
    ids["expenses"] = insert(
        db, "expenses", client_id=t.client_id, category="office", amount=10, currency="SAR"
    )["id"]
    ids["approvals"] = insert(
        db,
        "approvals",
        client_id=t.client_id,
        subject_type="deal",
        deal_id=ids["deals"],
        requested_by=t.agent_id,
    )["id"]
    ids["bookings"] = insert(
        db,
        "bookings",
        client_id=t.client_id,
        property_id=t.property(db)["id"],
        customer_id=t.customer_id,
        starts_at="2026-01-01",
        ends_at="2026-01-08",
        notes="Gate code with the concierge",
    )["id"]
    ids["communications"] = insert(
        db,
        "communications",
        client_id=t.client_id,
        customer_id=t.customer_id,
        channel="sms",
        direction="outbound",
        body="Your viewing is confirmed",
    )["id"]
    ids["roles"] = insert(db, "roles", client_id=t.client_id, name="Sales")["id"]
    ids["role_permissions"] = insert(
        db,
        "role_permissions",
        client_id=t.client_id,
        role_id=ids["roles"],
        permission_code="deals.write",
    )["id"]
    ids["user_roles"] = insert(
        db, "user_roles", client_id=t.client_id, user_id=t.agent_id, role_id=ids["roles"]
    )["id"]
    with acting_as(db, "rea_app", t.client_id, t.agent_id):
        db.execute(
            "select rea.set_customer_identifiers(%s, '1023456789', 'AB123456', %s)",
            (t.customer_id, KEY),
        )
    return ids


@pytest.fixture
def world(db, tenant, other_tenant) -> dict:
    """Both tenants populated; the fingerprints taken. Statements are bounded in time, so
    a hostile input that made the server spin would fail (57014), not hang the suite."""
    db.execute("set local statement_timeout = '20s'")
    # audit.verify_seals() is costed high enough to be JIT-compiled (~0.4 s a call, even
    # on an empty trail); JIT changes no result, only this suite's runtime.
    db.execute("set local jit = off")
    ids = populate(db, tenant)
    populate(db, other_tenant)
    return {
        "ids": ids,
        "schema": schema_fingerprint(db),
        "other": tenant_digest(db, other_tenant),
    }


def unchanged(db, world, other_tenant, ignore: list[str] = ()) -> None:
    assert schema_fingerprint(db, ignore) == world["schema"], "the schema changed"
    assert tenant_digest(db, other_tenant) == world["other"], "tenant B's rows changed"


def attempt(db, query, params=None) -> tuple[list | None, psycopg.Error | None]:
    """Run the statement in a savepoint: (rows, None) or (None, the error)."""
    try:
        with db.transaction():
            cur = db.execute(query, params)
            return (cur.fetchall() if cur.description else []), None
    except psycopg.Error as error:
        return None, error


def check_outcome(error: psycopg.Error | None, what: str, extra: set[str] = frozenset()) -> None:
    if error is not None:
        assert is_clean(error, extra), f"{what}: SQLSTATE {error.sqlstate}: {error}"


@pytest.mark.parametrize(
    "change",
    [
        "create table rea.injected (x int)",
        "drop table rea.role_permissions",
        "alter table rea.customers add column injected text",
        "alter table rea.customers drop constraint customers_erased_check",
        "alter table rea.customers disable trigger customers_touch_updated_at",
        "drop policy customers_app_select on rea.customers",
        "alter table rea.customers no force row level security",
        "grant delete on rea.customers to rea_app",
        "create or replace function rea.uuid_v7() returns uuid language sql as 'select null::uuid'",
        "grant usage on schema audit to rea_app",
    ],
)
def test_the_schema_fingerprint_sees_a_change(db, world, change):
    """The guard is not vacuous: each of these changes the fingerprint."""
    db.execute(change)
    assert schema_fingerprint(db) != world["schema"]


def test_the_digest_sees_a_change_to_the_other_tenant(db, other_tenant, world):
    db.execute(
        "update rea.bookings set notes = notes || '.' where client_id = %s",
        (other_tenant.client_id,),
    )
    assert tenant_digest(db, other_tenant) != world["other"]


# --- functions ------------------------------------------------------------------------------

OWNER_MAINTENANCE = """
    select p.oid::regprocedure::text, p.prokind,
           array(select format_type(a, null) from unnest(p.proargtypes) as a)
    from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace
    where n.nspname = 'audit' and p.prokind = 'f' and p.prorettype <> 'trigger'::regtype
      and has_function_privilege('rea_owner', p.oid, 'EXECUTE')  -- not the owner's internals
    order by 1
"""
APP_CALLABLE = """
    select p.oid::regprocedure::text, p.prokind,
           array(select format_type(a, null) from unnest(p.proargtypes) as a)
    from pg_proc as p join pg_namespace as n on n.oid = p.pronamespace
    where n.nspname in ('rea', 'audit', 'reporting')
      and has_function_privilege('rea_app', p.oid, 'EXECUTE')
    order by 1
"""


def routines(db) -> list[tuple[str, str, str, list[str]]]:
    """(role, signature, kind, argument types) of every routine under test."""
    app = [("rea_app", *r) for r in db.execute(APP_CALLABLE).fetchall()]
    owner = [("rea_owner", *r) for r in db.execute(OWNER_MAINTENANCE).fetchall()]
    return app + owner


def test_the_routines_under_test_are_found(db):
    """The catalog queries find the functions the contract and the steps name."""
    found = {(role, sig) for role, sig, _, _ in routines(db)}
    for sig in (
        "rea.erase_customer(uuid)",
        "rea.set_customer_identifiers(uuid,text,text,text)",
        "rea.apply_customer_retention(timestamp with time zone)",
        "rea.convert_amount(numeric,text,text,date)",
    ):
        assert ("rea_app", sig) in found
    for sig in (
        "audit.create_partitions(integer)",
        "audit.seal_days(date)",
        "audit.verify_seals()",
    ):
        assert ("rea_owner", sig) in found


def call_statement(signature: str, kind: str, types: list[str], args: list, literal: bool):
    name = signature.split("(")[0]
    schema, function = name.split(".")
    values = [
        sql.SQL("{}::{}").format(sql.Literal(a) if literal else sql.Placeholder(), sql.SQL(ty))
        for a, ty in zip(args, types, strict=True)
    ]
    verb = "call {}({})" if kind == "p" else "select * from {}({})"
    query = sql.SQL(verb).format(sql.Identifier(schema, function), sql.SQL(", ").join(values))
    return query, (None if literal else args)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_function_takes_hostile_arguments_cleanly(db, tenant, other_tenant, world, data):
    """Each example calls every routine once, each with its own hostile arguments, bound
    or composed as literals; then the schema and tenant B are compared."""
    new_partitions = []
    with db.transaction(force_rollback=True):
        for role in ("rea_app", "rea_owner"):
            client = tenant.client_id if role == "rea_app" else None
            with acting_as(db, role, client, tenant.agent_id):
                for who, signature, kind, types in routines(db):
                    if who != role:
                        continue
                    args = [
                        data.draw(values_for(ty, tenant, other_tenant), label=f"{signature} {ty}")
                        for ty in types
                    ]
                    literal = data.draw(st.booleans(), label=f"{signature} as literals")
                    rows, error = attempt(
                        db, *call_statement(signature, kind, types, args, literal)
                    )
                    event(f"{signature}: {error.sqlstate if error else 'ok'}")
                    extra = NO_SUCH_RELATION if "regclass" in types else set()
                    check_outcome(error, signature, extra)
                    if signature == "audit.create_partitions(integer)" and rows:
                        new_partitions += [r[0] for r in rows]
        unchanged(db, world, other_tenant, new_partitions)


# --- text and jsonb columns ----------------------------------------------------------------


def writable_columns(db) -> list[tuple[str, str, str]]:
    """(table, column, type) of every text-like or jsonb column of a rea table that
    rea_app may update."""
    return db.execute(
        """
        select c.table_name, c.column_name, c.udt_name
        from information_schema.columns as c
        join information_schema.tables as t using (table_schema, table_name)
        where c.table_schema = 'rea' and t.table_type = 'BASE TABLE'
          and c.udt_name in ('text', 'varchar', 'citext', 'jsonb')
          and has_column_privilege(
              'rea_app', format('rea.%I', c.table_name), c.column_name, 'UPDATE'
          )
        order by 1, 2
        """
    ).fetchall()


def test_the_columns_under_test_are_found(db):
    columns = {(t, c) for t, c, _ in writable_columns(db)}
    assert {
        ("customers", "full_name"),
        ("bookings", "notes"),
        ("communications", "metadata"),
    } <= columns
    assert {t for t, _ in columns} >= {
        "branches",
        "users",
        "roles",
        "customers",
        "properties",
        "commission_rules",
        "deals",
        "expenses",
        "approvals",
        "bookings",
        "communications",
    }


def as_json(text: str) -> dict:
    """A JSON object carrying the hostile text as a key and as values."""
    return {
        "note": text,
        text[:200]: [text, {"nested": text}],
        "message_id": text,
        "duration_seconds": 1,
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_text_column_takes_hostile_text_cleanly(db, tenant, other_tenant, world, data):
    """Each example writes hostile text into every column on tenant A's row (jsonb
    columns get an object carrying it as key and values), bound or composed as a literal,
    and reads it back; then the schema and tenant B are compared."""
    with db.transaction(force_rollback=True):
        with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
            for table, column, udt in writable_columns(db):
                text = data.draw(hostile_text, label=f"{table}.{column}")
                literal = data.draw(st.booleans(), label=f"{table}.{column} as a literal")
                sent = as_json(text) if udt == "jsonb" else text
                value = Jsonb(sent) if udt == "jsonb" else text
                row_id = world["ids"][table]
                query = sql.SQL("update rea.{} set {} = {} where id = {} returning {}").format(
                    sql.Identifier(table),
                    sql.Identifier(column),
                    sql.Literal(value) if literal else sql.Placeholder(),
                    sql.Literal(row_id) if literal else sql.Placeholder(),
                    sql.Identifier(column),
                )
                rows, error = attempt(db, query, None if literal else (value, row_id))
                event(f"{table}.{column}: {error.sqlstate if error else 'ok'}")
                check_outcome(error, f"{table}.{column}")
                if error is None:
                    assert rows == [(sent,)], f"{table}.{column}: tenant A's row not as sent"
                    read_back = db.execute(
                        sql.SQL("select {} from rea.{} where id = %s").format(
                            sql.Identifier(column), sql.Identifier(table)
                        ),
                        (row_id,),
                    ).fetchall()
                    assert read_back == [(sent,)], f"{table}.{column} read back"
        unchanged(db, world, other_tenant)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=hostile_text,
    key=hostile_text.map(lambda s: s if len(s) >= 16 else s + "'; --$$\u202e" * 2),
    literal=st.booleans(),
)
def test_hostile_names_and_keys_round_trip(db, tenant, other_tenant, world, name, key, literal):
    """What hostile text goes in comes back out: through a new customer and its export,
    and as the identifier key (any text of 16 characters or more is a key)."""
    value = sql.Literal if literal else lambda _: sql.Placeholder()
    with db.transaction(force_rollback=True):
        with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
            query = sql.SQL(
                "insert into rea.customers (client_id, full_name) values ({}, {}) returning id"
            ).format(value(tenant.client_id), value(name))
            rows, error = attempt(db, query, None if literal else (tenant.client_id, name))
            check_outcome(error, "customers.full_name")
            if error is None:
                (customer,) = rows[0]
                export = db.execute("select rea.export_customer(%s)", (customer,)).fetchone()[0]
                assert export["customer"]["full_name"] == name
                query = sql.SQL(
                    "select rea.set_customer_identifiers({}, 'ab-12345', null, {})"
                ).format(value(customer), value(key))
                db.execute(query, None if literal else (customer, key))
                assert db.execute(
                    "select * from rea.customer_identifiers(%s, %s)", (customer, key)
                ).fetchone() == ("AB12345", None)
                assert db.execute(
                    "select * from rea.find_customers_by_identifier('national_id', 'AB 12345', %s)",
                    (key,),
                ).fetchall() == [(customer,)]
        unchanged(db, world, other_tenant)


def test_malformed_uuids_are_a_clean_22p02(db, tenant, world):
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        for bad in BAD_UUIDS:
            for function in ("erase_customer", "export_customer"):
                _, error = attempt(
                    db,
                    sql.SQL("select rea.{}(%s)").format(sql.Identifier(function)),
                    (bad,),
                )
                assert isinstance(error, errors.InvalidTextRepresentation), (function, bad)


def test_a_drop_table_in_a_value_is_stored_as_text(db, tenant, other_tenant, world):
    """The classic: the value is stored verbatim and the table is still there."""
    evil = "Robert'); drop table rea.customers; --"
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        db.execute(
            "update rea.customers set full_name = %s where id = %s", (evil, tenant.customer_id)
        )
        db.execute(
            sql.SQL("update rea.bookings set notes = {} where id = {}").format(
                sql.Literal(evil), sql.Literal(world["ids"]["bookings"])
            )
        )
        assert db.execute(
            "select full_name from rea.customers where id = %s", (tenant.customer_id,)
        ).fetchone() == (evil,)
        assert db.execute(
            "select notes from rea.bookings where id = %s", (world["ids"]["bookings"],)
        ).fetchone() == (evil,)
    unchanged(db, world, other_tenant)


# --- long text in indexed columns: a named rule, not the B-tree's size limit (6040) -----------

INDEXED_TEXT = [
    ("branches", "name"),
    ("users", "email"),
    ("roles", "name"),
    ("customers", "full_name"),
    ("customers", "email"),
    ("properties", "city"),
]


@pytest.mark.parametrize(("table", "column"), INDEXED_TEXT)
def test_long_text_in_an_indexed_column_is_refused_by_a_named_rule(
    db, tenant, world, table, column
):
    incompressible = LONG[-1][:3000]
    value = f"{incompressible}@x.example" if column == "email" else incompressible
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        _, error = attempt(
            db,
            sql.SQL("update rea.{} set {} = %s where id = %s").format(
                sql.Identifier(table), sql.Identifier(column)
            ),
            (value, world["ids"][table]),
        )
    assert error is not None
    assert error.sqlstate == "23514", f"{error.sqlstate}: {error}"
    assert error.diag.constraint_name == f"{table}_{column}_check"
