"""Temporary objects cannot make the project's code run a caller's code with more rights
(hardening issue, finding 1).

PostgreSQL looks relation and type names up in the session's pg_temp first unless the
search_path names pg_temp, so a caller who may create temporary objects could shadow
`uuid` or `text` with a domain whose check runs its own function, inside a security
definer function, a trigger or a policy. Two defences, each proven on its own:

- no TEMP: a rea_app login with a tenant's context cannot create a single shadow
  (7510_no_temp_for_public);
- the pinned search_path (`pg_catalog, pg_temp`, 7500_pin_search_path): a test-only login
  of rea_app that is still granted TEMP shadows every type name the project's functions
  use (from the catalog: arguments, results, and the type names their bodies mention) and
  every relation name of the project's schemas, then calls every function rea_app may
  execute and writes every table it may write (insert, update, delete where granted), so
  that every trigger fires. Each shadow's check raises a WARNING naming current_user:
  none may name anyone but the login.

The shadows are proven live (an unqualified cast by the login itself runs one), and the
test is proven to catch the attack: with one security definer function's search_path set
back to '' the same calls report rea_owner.
"""

import datetime
import re
import secrets

import psycopg
import psycopg.sql
import psycopg.types.json
import pytest
from psycopg import errors

from conftest import HOST, NO_TEMP_FOR_PUBLIC, PORT, Tenant, run_readb, url_for
from pgbouncer import ensure_login_role
from test_rls_fail_closed import UPDATES, populate

PROJECT_SCHEMAS = ["rea", "audit", "reporting", "migrations", "monitoring"]
APP_LOGIN = "shadow_app"  # a plain LOGIN member of rea_app
TEMP_LOGIN = "shadow_app_with_temp"  # the same, granted TEMP on the test's database only
KEY = "a-test-key-that-is-long-enough-0123456789"
SHADOW = re.compile(r"shadow ran as (\S+)")

# Type names the project's functions use: their arguments and results, and every word of a
# body that names a type. Base, enum, range and domain types can be shadowed by a domain.
SHADOWABLE_TYPES = """
with fn as (
    select p.* from pg_catalog.pg_proc as p
    where p.pronamespace::regnamespace::text = any(%(schemas)s)
),
used as (
    select unnest(coalesce(fn.proallargtypes, fn.proargtypes::oid[])) as oid from fn
    union select fn.prorettype from fn
),
words as (
    select distinct lower(w[1]) as word
    from fn, regexp_matches(fn.prosrc, '([A-Za-z_][A-Za-z0-9_]*)', 'g') as w
)
select distinct t.typname::text, format('%%I.%%I', t.typnamespace::regnamespace, t.typname)
from pg_catalog.pg_type as t
where t.typtype in ('b', 'e', 'r', 'd') and t.typname !~ '^_'
  and (t.oid in (select oid from used) or t.typname in (select word from words))
order by 1
"""

SHADOW_FUNCTION = """
create function pg_temp.shadow_ran(v anyelement) returns boolean
language plpgsql volatile as $$
begin
    raise warning 'shadow ran as %', current_user;
    return true;
end;
$$
"""


def _login_url(dbname: str, login: str) -> str:
    return f"postgresql://{login}@{HOST}:{PORT}/{dbname}"


def _shadow_everything(conn: psycopg.Connection, schemas: list[str]) -> list[str]:
    """As conn's login: a pg_temp domain for every type name the functions use, and a
    pg_temp view for every relation name of the project. Returns the types shadowed."""
    conn.execute(SHADOW_FUNCTION)
    shadowed = []
    for name, qualified in conn.execute(SHADOWABLE_TYPES, {"schemas": schemas}).fetchall():
        try:
            with conn.transaction():
                conn.execute(
                    psycopg.sql.SQL(
                        "create domain pg_temp.{} as {} check (pg_temp.shadow_ran(value))"
                    ).format(psycopg.sql.Identifier(name), psycopg.sql.SQL(qualified))
                )
            shadowed.append(name)
        except psycopg.errors.Error:
            pass  # a type no domain can be made over
    for (name,) in conn.execute(
        "select distinct c.relname::text from pg_catalog.pg_class as c"
        " where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p', 'v', 'm')",
        (schemas,),
    ).fetchall():
        conn.execute(
            psycopg.sql.SQL("create view pg_temp.{} as select pg_temp.shadow_ran(1) as s").format(
                psycopg.sql.Identifier(name)
            )
        )
    return shadowed


def _set_tenant(conn: psycopg.Connection, t: Tenant) -> None:
    conn.execute(
        "select pg_catalog.set_config('app.client_id', %s, true),"
        " pg_catalog.set_config('app.user_id', %s, true)",
        (str(t.client_id), str(t.agent_id)),
    )


def _insert(conn: psycopg.Connection, table: str, **values: object) -> object:
    query = psycopg.sql.SQL("insert into rea.{} ({}) values ({}) returning id").format(
        psycopg.sql.Identifier(table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, values)),
        psycopg.sql.SQL(", ").join(psycopg.sql.Placeholder() * len(values)),
    )
    return conn.execute(query, list(values.values())).fetchone()[0]


def _write_every_table(conn: psycopg.Connection, t: Tenant) -> set[tuple[str, str]]:
    """As rea_app, in the tenant: a row into every table it may insert into, an update of
    every row of every table it may update, a delete from those it may delete from.
    Returns (table, command) done."""
    cid, done = t.client_id, set()

    def ins(table: str, **values: object) -> object:
        done.add((table, "INSERT"))
        return _insert(conn, table, client_id=cid, **values)

    branch = ins("branches", name="Shadow branch", city="Jeddah")
    user = ins("users", branch_id=branch, full_name="Shadow User", email=f"s@{cid}.example")
    customer = ins("customers", full_name="Shadow Customer", email="sc@example.com")
    role = ins("roles", name="Shadow role")
    ins("role_permissions", role_id=role, permission_code="deals.write")
    ins("user_roles", user_id=user, role_id=role)
    ins(
        "commission_rules",
        listing_type="brokerage",
        deal_type="rental",
        percentage=1,
        effective="[2020-01-01,2040-01-01)",
    )
    prop = ins(
        "properties",
        listing_type="agency_owned",
        property_type="villa",
        title="Shadow villa",
        city="Jeddah",
        asking_price=100000,
        currency="SAR",
    )
    deal = ins(
        "deals",
        property_id=prop,
        customer_id=customer,
        agent_user_id=user,
        deal_type="sale",
        amount=100000,
        currency="SAR",
    )
    ins("approvals", subject_type="deal", deal_id=deal, requested_by=user)
    ins(
        "bookings",
        property_id=prop,
        customer_id=customer,
        agent_user_id=user,
        status="ACTIVE",
        starts_at="2026-02-01",
        ends_at="2026-02-08",
        deposit_amount=10,
        deposit_currency="SAR",
    )
    ins(
        "expenses",
        property_id=prop,
        branch_id=branch,
        recorded_by=user,
        category="maintenance",
        amount=10,
        currency="SAR",
    )
    ins(
        "communications",
        customer_id=customer,
        user_id=user,
        channel="email",
        direction="outbound",
        subject="Shadow",
        body="Shadow body",
        metadata=psycopg.types.json.Jsonb({"message_id": "<shadow@example>"}),
    )
    for n, (table, (column, value)) in enumerate(UPDATES.items()):
        if table in ("role_permissions", "user_roles"):
            continue  # no UPDATE grant: the app deletes and inserts
        value = value.format(n=n) if isinstance(value, str) else value
        conn.execute(
            psycopg.sql.SQL("update rea.{} set {} = %s").format(
                psycopg.sql.Identifier(table), psycopg.sql.Identifier(column)
            ),
            (value,),
        )
        done.add((table, "UPDATE"))
    for table in ("user_roles", "role_permissions"):
        conn.execute(
            psycopg.sql.SQL("delete from rea.{} where role_id = %s").format(
                psycopg.sql.Identifier(table)
            ),
            (role,),
        )
        done.add((table, "DELETE"))
    return done


# Arguments for every function rea_app may execute, by signature; a new function fails
# the coverage assertion until it is called here.
def _calls(t: Tenant, other_customer: object) -> dict[str, tuple[str, tuple]]:
    today = datetime.date(2026, 1, 15)
    return {
        "rea.current_client_id()": ("", ()),
        "rea.current_actor_id()": ("", ()),
        "rea.require_client_id()": ("", ()),
        "rea.uuid_v7()": ("", ()),
        "rea.fx_rate(text,text,date)": ("%s, %s, %s", ("USD", "SAR", today)),
        "rea.convert_amount(numeric,text,text,date)": ("%s, %s, %s, %s", (10, "USD", "SAR", today)),
        "rea.normalise_identifier(text)": ("%s", (" ab 12 ",)),
        "rea.identifier_hmac(text,text)": ("%s, %s", ("AB12", KEY)),
        "rea.check_identifier_key(text)": ("%s", (KEY,)),
        "rea.set_customer_identifiers(uuid,text,text,text)": (
            "%s, %s, %s, %s",
            (t.customer_id, "1234567890", "P1234567", KEY),
        ),
        "rea.customer_identifiers(uuid,text)": ("%s, %s", (t.customer_id, KEY)),
        "rea.find_customers_by_identifier(text,text,text)": (
            "%s, %s, %s",
            ("national_id", "1234567890", KEY),
        ),
        "rea.rotate_identifier_key(text,text)": ("%s, %s", (KEY, KEY + "-rotated")),
        "rea.export_customer(uuid)": ("%s", (t.customer_id,)),
        "rea.erase_customer(uuid)": ("%s", (other_customer,)),
        "rea.apply_customer_retention(timestamp with time zone)": (
            "%s",
            (datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC),),
        ),
    }


def _call_every_function(conn: psycopg.Connection, t: Tenant, other_customer: object) -> set[str]:
    calls = _calls(t, other_customer)
    for signature, (args, params) in calls.items():
        name = signature.split("(")[0]
        conn.execute(f"select * from {name}({args})", params)
    return set(calls)


@pytest.fixture
def world(db: psycopg.Connection) -> tuple[Tenant, object]:
    """A tenant with a row in every table, a second customer to erase, a rate, the logins."""
    t = populate(db, f"Shadow Realty {secrets.token_hex(3)}")
    other = db.execute(
        "insert into rea.customers (client_id, full_name) values (%s, 'To Erase') returning id",
        (t.client_id,),
    ).fetchone()[0]
    db.execute(
        "insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate)"
        " values ('USD', 'SAR', '2026-01-01', 3.75) on conflict do nothing"
    )
    db.commit()
    superuser = url_for(db.info.dbname)
    ensure_login_role(superuser, APP_LOGIN, "rea_app")
    ensure_login_role(superuser, TEMP_LOGIN, "rea_app")
    db.execute(
        psycopg.sql.SQL("grant temporary on database {} to {}").format(
            psycopg.sql.Identifier(db.info.dbname), psycopg.sql.Identifier(TEMP_LOGIN)
        )
    )
    db.commit()
    yield t, other
    db.rollback()
    db.execute(
        psycopg.sql.SQL("revoke temporary on database {} from {}").format(
            psycopg.sql.Identifier(db.info.dbname), psycopg.sql.Identifier(TEMP_LOGIN)
        )
    )
    db.commit()


def _catalog_coverage(db: psycopg.Connection) -> tuple[set[str], set[tuple[str, str]]]:
    functions = {
        sig.replace(", ", ",")
        for (sig,) in db.execute(
            "select p.oid::regprocedure::text from pg_catalog.pg_proc as p"
            " where p.pronamespace::regnamespace::text = any(%s)"
            " and p.prorettype <> 'trigger'::regtype and p.prokind = 'f'"
            " and has_function_privilege('rea_app', p.oid, 'EXECUTE')",
            (PROJECT_SCHEMAS,),
        )
    }
    writes = {
        (table, command)
        for (table, command) in db.execute(
            "select c.relname::text, x.cmd from pg_catalog.pg_class as c"
            " cross join unnest(array['INSERT', 'UPDATE', 'DELETE']) as x (cmd)"
            " where c.relnamespace::regnamespace::text = any(%s) and c.relkind in ('r', 'p')"
            " and not c.relispartition"
            " and (has_table_privilege('rea_app', c.oid, x.cmd)"
            "      or (x.cmd <> 'DELETE' and has_any_column_privilege('rea_app', c.oid, x.cmd)))",
            (PROJECT_SCHEMAS,),
        )
    }
    return functions, writes


def _attack(dbname: str, t: Tenant, other: object) -> tuple[list[str], set[str], set]:
    """As the TEMP login: shadow everything, then call and write everything in the
    tenant's context. Returns the users the shadows ran as, what was called and written."""
    ran_as: list[str] = []
    with psycopg.connect(_login_url(dbname, TEMP_LOGIN)) as conn:
        conn.add_notice_handler(lambda d: ran_as.extend(SHADOW.findall(d.message_primary or "")))
        shadowed = _shadow_everything(conn, PROJECT_SCHEMAS)
        assert {"uuid", "text", "int8", "numeric", "timestamptz", "date", "jsonb"} <= set(shadowed)
        conn.commit()
        ran_as.clear()  # the catalog queries above cast, and ran shadows as the login
        # the shadows are live: an unqualified cast by the login itself runs one
        conn.execute("select '00000000-0000-7000-8000-000000000000'::uuid")
        assert ran_as == [TEMP_LOGIN]
        ran_as.clear()
        with conn.transaction():
            _set_tenant(conn, t)
            written = _write_every_table(conn, t)
            called = _call_every_function(conn, t, other)
    return ran_as, called, written


def test_rea_app_cannot_create_a_temporary_object(db, world):
    t, _ = world
    types = [name for name, _ in db.execute(SHADOWABLE_TYPES, {"schemas": PROJECT_SCHEMAS})]
    assert "uuid" in types and "text" in types
    with psycopg.connect(_login_url(db.info.dbname, APP_LOGIN)) as conn:
        _set_tenant(conn, t)
        for name in types:
            with pytest.raises(errors.InsufficientPrivilege), conn.transaction():
                conn.execute(
                    psycopg.sql.SQL(
                        "create domain pg_temp.{} as pg_catalog.int4 check (value is not null)"
                    ).format(psycopg.sql.Identifier(name))
                )
        for ddl in (SHADOW_FUNCTION, "create temporary table implant (x int)"):
            with pytest.raises(errors.InsufficientPrivilege), conn.transaction():
                conn.execute(ddl)
    assert not db.execute(
        "select has_database_privilege('public', current_database(), 'TEMP')"
    ).fetchone()[0]


def test_with_temp_no_shadow_runs_as_anyone_but_the_caller(db, world):
    t, other = world
    ran_as, called, written = _attack(db.info.dbname, t, other)
    functions, writes = _catalog_coverage(db)
    assert called == functions, "call every function rea_app may execute"
    assert written == writes, "write every table rea_app may write"
    assert set(ran_as) <= {TEMP_LOGIN}, f"a shadow ran as {sorted(set(ran_as) - {TEMP_LOGIN})}"


def test_the_attack_is_caught_when_a_function_is_not_pinned(db, world):
    """The rule broken once: set_customer_identifiers (security definer) back on ''."""
    t, other = world
    db.execute(
        "alter function rea.set_customer_identifiers(uuid, text, text, text) set search_path = ''"
    )
    db.commit()
    ran_as, _, _ = _attack(db.info.dbname, t, other)
    assert "rea_owner" in ran_as


def test_policies_still_inline_the_tenant(db, world):
    """rea.current_client_id() carries no `set` clause, so the policies' (select
    rea.current_client_id()) is inlined: the plan reads the setting in an InitPlan."""
    t, _ = world
    with psycopg.connect(_login_url(db.info.dbname, APP_LOGIN)) as conn:
        _set_tenant(conn, t)
        plan = "\n".join(
            r[0] for r in conn.execute("explain (verbose, costs off) select id from rea.customers")
        )
    assert "InitPlan" in plan and "current_setting('app.client_id'" in plan, plan
    assert "current_client_id" not in plan, plan


def test_verify_names_a_database_where_public_holds_temp_again(db, db_url):
    """A restore or `createdb` gives PUBLIC its default TEMP back: readb verify says so,
    and running the step's file again (the README's restore step) makes it pass."""
    assert run_readb("verify", dsn=db_url).returncode == 0
    db.execute(
        psycopg.sql.SQL("grant temporary on database {} to public").format(
            psycopg.sql.Identifier(db.info.dbname)
        )
    )
    db.commit()
    result = run_readb("verify", dsn=db_url)
    assert result.returncode == 1
    assert f"database {db.info.dbname}: PUBLIC holds TEMP" in result.stderr
    db.execute(NO_TEMP_FOR_PUBLIC.read_text())
    db.commit()
    assert run_readb("verify", dsn=db_url).returncode == 0
