"""What each role of the contract may do, proven over the catalog and by behaviour.

Security definer functions (they run as their owner, whoever calls them):
- each in rea is owned by rea_owner, each in audit by rea_audit_owner (the trail's own
  owner, 7540_audit_owner), and only rea_app and rea_owner may execute any of them;
- each checks its own arguments: called with NULL for every argument, by every role that
  may execute it, with a tenant set and without, it ends in a clean error, never in a
  success, never in an internal error (one without arguments has no NULL to refuse: it
  runs and changes nothing). The SQLSTATEs accepted as clean are ACCEPTED below;
- each one in `rea` is tenant-scoped: without app.client_id it refuses with 42501
  (rea.require_client_id()) before it looks at its arguments; except the operator's
  rea.provision_agency(), which makes a new tenant and may be run by rea_operator only;
- a trigger function cannot be called directly: 0A000 for its owner, 42501 for the rest.

rea_app, the application: no superuser, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS,
member of no role; creates nothing in any schema; holds no TRUNCATE, TRIGGER or REFERENCES
anywhere; deletes only from rea.role_permissions and rea.user_roles; never writes the
columns the database stamps or computes (PROTECTED: ids, client_id after insert,
created_at, updated_at, a deal's commission and closed_at, an approval's requested_at
and decided_at, a customer's encrypted identifiers, their HMACs and erased_at); and yet
holds every grant its work needs: a whole day of an agency, every workflow run by the
triggers as rea_app, succeeds.

rea_reporting reads the three reporting views and nothing else; rea_auditor reads the
audit trail and its seals, verifies the seals, and writes nothing.

The audit trail is append-only: rea_owner holds no UPDATE, DELETE or TRUNCATE on
audit.audit_logs, its partitions or audit.seals (42501 "permission denied"), and even the
superuser is refused by audit.refuse_change() (42501, "append-only").
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import psycopg.sql
import pytest
from psycopg import errors
from psycopg.rows import dict_row
from psycopg.sql import SQL, Identifier, Literal
from psycopg.types.json import Jsonb

from conftest import Tenant, acting_as, insert, make_tenant

CONTRACT_ROLES = ("rea_app", "rea_reporting", "rea_auditor", "rea_owner", "rea_operator")
TENANT_ROLES = ("rea_app", "rea_reporting", "rea_auditor")
PROJECT_SCHEMAS = ("rea", "audit", "reporting", "migrations")
FACT_VIEWS = ("reporting.fact_deals", "reporting.fact_expenses", "reporting.fact_bookings")
FACT_MVS = ("reporting.fact_deals_mv", "reporting.fact_expenses_mv", "reporting.fact_bookings_mv")
KEY = "0123456789abcdef-identifier-key"

# The security definer functions the steps are known to create; the tests below discover
# every one in the catalog, and these must be among them.
# Security definer functions that act for no existing tenant: the operator's.
OPERATOR_DEFINERS = {"rea.provision_agency"}

EXPECTED_DEFINERS = {
    "rea.erase_customer",
    "rea.set_customer_identifiers",
    "rea.rotate_identifier_key",
    "rea.apply_customer_retention",
    "audit.log_changes",
    "audit.create_partitions",
    "audit.drop_expired_partitions",
}

# A clean refusal of bad arguments: an error the caller can act on.
ACCEPTED = {
    "22": "data exception (class): 22004 null_value_not_allowed, 22023 invalid_parameter_value",
    "23": "integrity constraint violation (class)",
    "42501": "insufficient_privilege: no tenant set (rea.require_client_id()), or no EXECUTE",
    "P0002": "no_data_found: no such row in the current tenant",
    "55000": "object_not_in_prerequisite_state: e.g. a customer on legal hold",
    "39000": "external_routine_exception: pgcrypto refusing a wrong key",
}


def accepted(sqlstate: str | None) -> bool:
    return sqlstate is not None and (sqlstate[:2] in ACCEPTED or sqlstate in ACCEPTED)


# Every tenant table (test_every_tenant_table_is_listed keeps the list complete).
TENANT_TABLES = (
    "approvals",
    "bookings",
    "branches",
    "clients",
    "commission_rules",
    "communications",
    "customers",
    "deals",
    "expenses",
    "properties",
    "role_permissions",
    "roles",
    "user_roles",
    "users",
)
DELETABLE = {"rea.role_permissions", "rea.user_roles"}  # join tables: rows taken away

# Columns rea_app must never write: {(table, column): commands}.
STAMPED = ("id", "created_at", "updated_at")
COMPUTED = {
    "deals": ("commission_amount", "commission_currency", "commission_rule_id", "closed_at"),
    "approvals": ("decided_at", "requested_at"),
    "customers": (
        "national_id_encrypted",
        "national_id_hmac",
        "passport_number_encrypted",
        "passport_number_hmac",
        "erased_at",
    ),
}
PROTECTED: dict[tuple[str, str], tuple[str, ...]] = {
    **{(t, c): ("insert", "update") for t in TENANT_TABLES for c in STAMPED},
    **{(t, "client_id"): ("update",) for t in TENANT_TABLES if t != "clients"},
    **{(t, c): ("insert", "update") for t, columns in COMPUTED.items() for c in columns},
}


# --- Helpers -----------------------------------------------------------------------------------


def refused(db: psycopg.Connection, role: str, statement, params=(), tenant=None, match=None):
    """Run `statement` as `role` (tenant set if given): it must fail with 42501. Returns
    the error; the test's transaction goes on."""
    with (
        pytest.raises(errors.InsufficientPrivilege, match=match) as caught,
        acting_as(db, role, tenant and tenant.client_id, tenant and tenant.agent_id),
    ):
        db.execute(statement, params)
    return caught.value


def relations(db: psycopg.Connection, where: str) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            f"""
            select c.oid::regclass::text
            from pg_class c
            where c.relnamespace::regnamespace::text = any(%s) and ({where})
            order by 1
            """,
            (list(PROJECT_SCHEMAS),),
        )
    ]


def populate(db: psycopg.Connection) -> Tenant:
    """A tenant (as the superuser) with a row in every tenant table."""
    t = make_tenant(db)
    cid = t.client_id
    role = insert(db, "roles", client_id=cid, name="Agents")
    insert(db, "role_permissions", client_id=cid, role_id=role["id"], permission_code="deals.write")
    insert(db, "user_roles", client_id=cid, user_id=t.agent_id, role_id=role["id"])
    insert(
        db,
        "commission_rules",
        client_id=cid,
        listing_type="agency_owned",
        deal_type="sale",
        percentage=2,
        effective="[2020-01-01,2040-01-01)",
    )
    flat = t.property(db)
    deal = insert(
        db,
        "deals",
        client_id=cid,
        property_id=flat["id"],
        customer_id=t.customer_id,
        deal_type="sale",
        amount=850_000,
        currency="SAR",
    )
    insert(
        db,
        "approvals",
        client_id=cid,
        subject_type="deal",
        deal_id=deal["id"],
        requested_by=t.agent_id,
    )
    insert(
        db,
        "bookings",
        client_id=cid,
        property_id=flat["id"],
        customer_id=t.customer_id,
        starts_at="2026-01-01",
        ends_at="2026-01-08",
    )
    insert(db, "expenses", client_id=cid, category="office", amount=120, currency="SAR")
    insert(
        db,
        "communications",
        client_id=cid,
        customer_id=t.customer_id,
        channel="meeting",
        direction="inbound",
        occurred_at="2026-01-01",
    )
    return t


# --- Security definer functions ----------------------------------------------------------------


def definer_functions(db: psycopg.Connection) -> list[dict]:
    """Every security definer routine of the project's schemas, with what a caller needs."""
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            select p.oid::regprocedure::text as signature,
                   n.nspname as schema, p.proname as name,
                   n.nspname || '.' || p.proname as qualified,
                   p.prokind = 'p' as is_procedure,
                   p.prorettype = 'trigger'::regtype as is_trigger,
                   pg_get_userbyid(p.proowner) as owner,
                   array(select format_type(a.t, null)
                         from unnest(p.proargtypes) with ordinality as a (t, i)
                         order by a.i) as arg_types,
                   array(select r from unnest(%s::text[]) as r
                         where has_function_privilege(r, p.oid, 'execute')
                           and has_schema_privilege(r, n.oid, 'usage')
                         order by r) as callers
            from pg_proc p
            join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = any(%s) and p.prosecdef
            order by 1
            """,
            (list(CONTRACT_ROLES), list(PROJECT_SCHEMAS)),
        ).fetchall()


def call(function: dict, args: list[psycopg.sql.Composable]) -> psycopg.sql.Composed:
    template = "call {}.{}({})" if function["is_procedure"] else "select {}.{}({})"
    return SQL(template).format(
        Identifier(function["schema"]), Identifier(function["name"]), SQL(", ").join(args)
    )


def nulls(function: dict) -> list[psycopg.sql.Composable]:
    return [SQL("null::{}").format(SQL(t)) for t in function["arg_types"]]


def plausible(function: dict, tenant: Tenant) -> list[psycopg.sql.Composable]:
    """Arguments a real caller might pass: the tenant's customer, a good key, yesterday."""
    values = {
        "uuid": Literal(str(tenant.customer_id)),
        "text": Literal(KEY),
        "timestamp with time zone": SQL("now() - interval '1 day'"),
        "integer": Literal(1),
    }
    return [
        SQL("({})::{}").format(values.get(t, SQL("null")), SQL(t)) for t in function["arg_types"]
    ]


def footprint(db: psycopg.Connection) -> tuple:
    """What a call could have changed, read as the superuser: every change to a rea table
    writes audit rows, and the audit maintenance functions change partitions, settings
    and seals."""
    return db.execute(
        """
        select (select count(*) from audit.audit_logs),
               (select array_agg(i.inhrelid::regclass::text order by i.inhrelid::regclass::text)
                from pg_inherits i where i.inhparent = 'audit.audit_logs'::regclass),
               (select to_jsonb(s) from audit.settings s),
               (select count(*) from audit.seals)
        """
    ).fetchone()


def outcome(db: psycopg.Connection, role: str, statement, tenant: Tenant | None) -> tuple:
    """(SQLSTATE or 'success', whether anything changed), in a rolled-back savepoint."""
    before = footprint(db)
    with db.transaction(force_rollback=True):
        try:
            with acting_as(db, role, tenant and tenant.client_id, tenant and tenant.agent_id):
                db.execute(statement)
        except psycopg.Error as e:
            return e.sqlstate, False
        return "success", footprint(db) != before


OWNERS = {"rea": "rea_owner", "audit": "rea_audit_owner"}


def test_the_expected_definer_functions_are_found_and_owned_by_their_schemas_owner(db):
    functions = definer_functions(db)
    assert {f["qualified"] for f in functions} >= EXPECTED_DEFINERS
    assert [f["signature"] for f in functions if f["owner"] != OWNERS.get(f["schema"])] == []


def test_only_the_application_and_the_owner_may_run_definer_functions(db):
    """rea.* are the application's (PDPL functions), audit.* are maintenance, run by the
    owner's scheduler; reporting and auditor roles run none."""
    for f in definer_functions(db):
        if f["is_trigger"]:
            expected = ["rea_owner"]
        elif f["qualified"] in OPERATOR_DEFINERS:
            expected = ["rea_operator", "rea_owner"]
        elif f["schema"] == "rea":
            expected = ["rea_app", "rea_owner"]
        else:
            expected = ["rea_owner"]
        assert f["callers"] == expected, f["signature"]


@pytest.mark.parametrize("with_tenant", [True, False], ids=["tenant set", "no tenant"])
def test_definer_functions_refuse_null_arguments_cleanly(db, tenant, with_tenant):
    """NULL for every argument, by every role that may call it: a clean error (ACCEPTED),
    never a success, never XX000 or a lost connection."""
    problems, called = [], set()
    for f in definer_functions(db):
        if f["is_trigger"]:
            continue
        for role in f["callers"]:
            state, changed = outcome(db, role, call(f, nulls(f)), tenant if with_tenant else None)
            called.add(f["qualified"])
            if not f["arg_types"] and state == "success" and not changed:
                continue  # nothing to refuse: audit.analyze_partitioned() only analyzes
            if not accepted(state) or changed:
                problems.append(f"{role}: {f['signature']} -> {state}, changed data: {changed}")
    assert not db.closed
    assert called >= EXPECTED_DEFINERS - {"audit.log_changes"}
    assert problems == []


def test_the_tenant_scoped_definer_functions_refuse_without_a_tenant(db, tenant):
    """Every security definer function in rea runs rea.require_client_id() first: no
    tenant, 42501, with NULL arguments and with arguments a real caller would pass."""
    scoped = [
        f
        for f in definer_functions(db)
        if f["schema"] == "rea" and not f["is_trigger"] and f["qualified"] not in OPERATOR_DEFINERS
    ]
    assert {f["qualified"] for f in scoped} >= {q for q in EXPECTED_DEFINERS if q[:4] == "rea."}
    for f in scoped:
        for role in f["callers"]:
            for args in (nulls(f), plausible(f, tenant)):
                error = refused(db, role, call(f, args))
                assert "app.client_id is not set" in str(error), (role, f["signature"])


def test_the_tenant_scoped_definer_functions_do_their_work_with_a_tenant(db, tenant):
    """The other side of the refusals: with plausible arguments and the tenant set, each
    of the four PDPL functions runs for rea_app."""
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        db.execute(
            "select rea.set_customer_identifiers(%s, '1234567890', 'N1234567', %s)",
            (tenant.customer_id, KEY),
        )
        rotated = db.execute("select rea.rotate_identifier_key(%s, %s)", (KEY, KEY[::-1]))
        assert rotated.fetchone() == (1,)
        db.execute("select rea.erase_customer(%s)", (tenant.customer_id,))
        assert db.execute("select rea.apply_customer_retention()").fetchone() == (0,)
    erased = db.execute(
        "select erased_at is not null, national_id_hmac is null from rea.customers where id = %s",
        (tenant.customer_id,),
    ).fetchone()
    assert erased == (True, True)


def test_trigger_functions_cannot_be_called_directly(db, tenant):
    """A definer trigger function called as a function fails cleanly: 0A000 for the
    owner (who alone holds EXECUTE), 42501 for every other role."""
    triggers = [f for f in definer_functions(db) if f["is_trigger"]]
    assert "audit.log_changes" in {f["qualified"] for f in triggers}
    for f in triggers:
        for role in CONTRACT_ROLES:
            state, changed = outcome(db, role, call(f, nulls(f)), tenant)
            expected = "0A000" if role in f["callers"] else "42501"
            assert (state, changed) == (expected, False), (role, f["signature"])


# --- rea_app: no powers beyond its grants ------------------------------------------------------


@pytest.mark.parametrize("role", TENANT_ROLES)
def test_tenant_roles_have_no_special_attributes_and_no_memberships(db, role):
    attributes = db.execute(
        """
        select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
               (select count(*) from pg_auth_members m where m.member = r.oid)
        from pg_roles r where rolname = %s
        """,
        (role,),
    ).fetchone()
    assert attributes == (False, False, False, False, False, 0)


def test_tenant_roles_may_create_in_no_schema(db):
    held = db.execute(
        """
        select r, n.nspname from pg_namespace n cross join unnest(%s::text[]) as r
        where n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
          and has_schema_privilege(r, n.oid, 'create')
        """,
        (list(TENANT_ROLES),),
    ).fetchall()
    assert held == []


@pytest.mark.parametrize("schema", PROJECT_SCHEMAS)
def test_the_application_cannot_create_objects(db, tenant, schema):
    for ddl in (
        "create table {}.x (a int)",
        "create view {}.x as select 1 as a",
        "create function {}.x() returns int language sql as 'select 1'",
        "create type {}.x as enum ('a')",
    ):
        refused(db, "rea_app", SQL(ddl).format(Identifier(schema)), tenant=tenant)


def test_no_truncate_trigger_or_references_for_tenant_roles(db):
    held = db.execute(
        """
        select r, c.oid::regclass::text, p
        from pg_class c
        cross join unnest(%s::text[]) as r
        cross join unnest(array['truncate', 'trigger', 'references']) as p
        where c.relnamespace::regnamespace::text = any(%s)
          and c.relkind in ('r', 'p', 'v', 'm') and has_table_privilege(r, c.oid, p)
        """,
        (list(TENANT_ROLES), list(PROJECT_SCHEMAS)),
    ).fetchall()
    assert held == []


def test_the_application_cannot_truncate(db, tenant):
    for table in relations(db, "c.relkind in ('r', 'p') and c.relnamespace = 'rea'::regnamespace"):
        refused(db, "rea_app", f"truncate {table}", tenant=tenant, match="permission denied")


def test_the_application_deletes_only_from_the_join_tables(db):
    deletable = {
        table
        for (table,) in db.execute(
            """
            select c.oid::regclass::text from pg_class c
            where c.relnamespace::regnamespace::text = any(%s)
              and c.relkind in ('r', 'p', 'v', 'm')
              and has_table_privilege('rea_app', c.oid, 'delete')
            """,
            (list(PROJECT_SCHEMAS),),
        )
    }
    assert deletable == DELETABLE


def test_a_delete_elsewhere_is_refused_and_in_the_join_tables_allowed(db):
    t = populate(db)
    for table in relations(db, "c.relkind in ('r', 'p') and c.relnamespace = 'rea'::regnamespace"):
        statement = f"delete from {table}"
        if table in DELETABLE:
            with acting_as(db, "rea_app", t.client_id, t.agent_id):
                assert db.execute(statement).rowcount == 1, table
        else:
            refused(db, "rea_app", statement, tenant=t, match="permission denied for table")


def test_every_tenant_table_is_listed(db):
    """PROTECTED is built from TENANT_TABLES: a new tenant table must join it."""
    found = relations(
        db,
        """c.relnamespace = 'rea'::regnamespace and c.relkind in ('r', 'p') and (
            c.oid = 'rea.clients'::regclass or exists (
                select from pg_attribute a where a.attrelid = c.oid and a.attname = 'client_id'
                  and not a.attisdropped))""",
    )
    assert found == [f"rea.{t}" for t in TENANT_TABLES]


def test_the_catalog_keeps_protected_columns_out_of_reach(db):
    """Over the catalog, for every tenant table: what PROTECTED says, and the reference
    tables shared by all tenants are read-only."""
    held = [
        (table, column, command)
        for (table, column), commands in PROTECTED.items()
        for command in commands
        if db.execute(
            "select has_column_privilege('rea_app', %s, %s, %s)",
            (f"rea.{table}", column, command),
        ).fetchone()[0]
    ]
    assert held == []
    writable_reference = relations(
        db,
        """c.relnamespace = 'rea'::regnamespace and c.relkind in ('r', 'p')
           and c.oid <> 'rea.clients'::regclass
           and not exists (select from pg_attribute a where a.attrelid = c.oid
                           and a.attname = 'client_id' and not a.attisdropped)
           and (has_any_column_privilege('rea_app', c.oid, 'insert')
                or has_any_column_privilege('rea_app', c.oid, 'update')
                or has_table_privilege('rea_app', c.oid, 'delete'))""",
    )
    assert writable_reference == []


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_the_application_cannot_write_a_protected_column(db, table):
    """For each protected (table, column) of PROTECTED, as rea_app with its tenant set:
    copying a row of its own with the column, or updating the column of its rows in
    place, is refused by the grants (42501 "permission denied", not the row-level
    security refusal). Each attempt runs in its own savepoint."""
    t = populate(db)
    target = Identifier("rea", table)
    insertable = [
        c
        for (c,) in db.execute(
            """
            select a.attname from pg_attribute a
            where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped
              and has_column_privilege('rea_app', a.attrelid, a.attnum, 'insert')
            order by a.attnum
            """,
            (f"rea.{table}",),
        )
    ]
    attempts = {
        "insert": lambda column: SQL("insert into {} ({}) select {} from {} limit 1").format(
            target,
            SQL(", ").join(map(Identifier, [*insertable, column])),
            SQL(", ").join(map(Identifier, [*insertable, column])),
            target,
        ),
        "update": lambda column: SQL("update {} set {} = {}").format(
            target, Identifier(column), Identifier(column)
        ),
    }
    protected = [(c, cmd) for (tab, c), cmds in PROTECTED.items() if tab == table for cmd in cmds]
    assert len(protected) >= 5
    written = []
    for column, command in protected:
        try:
            refused(
                db, "rea_app", attempts[command](column), tenant=t, match="permission denied for"
            )
        except AssertionError as e:  # pytest.raises' failure: no or another error
            written.append(f"{command} {table}.{column}: {e}")
    assert written == []


# --- rea_app: and yet it can do its work -------------------------------------------------------


def test_the_application_runs_an_agencys_day(db, tenant):
    """Every workflow, run by rea_app with the tenant set, as the application runs it: the
    grants are enough, for its statements and for the triggers that run as rea_app."""
    cid, agent, manager = tenant.client_id, tenant.agent_id, tenant.manager_id

    def update(table: str, row_id: object, **changes: object) -> dict:
        sets = SQL(", ").join(SQL("{} = %s").format(Identifier(c)) for c in changes)
        with db.cursor(row_factory=dict_row) as cur:
            return cur.execute(
                SQL("update {} set {} where id = %s returning *").format(
                    Identifier("rea", table), sets
                ),
                (*changes.values(), row_id),
            ).fetchone()

    def act_as(user_id: object) -> None:
        db.execute("select set_config('app.user_id', %s, true)", (str(user_id),))

    with acting_as(db, "rea_app", cid, agent):
        # the agency sets itself up
        update("clients", cid, expense_approval_threshold=Decimal("10000"))
        branch = insert(db, "branches", client_id=cid, name="Malqa", city="Riyadh")
        update("branches", branch["id"], city="Jeddah")
        clerk = insert(
            db, "users", client_id=cid, branch_id=branch["id"], full_name="Huda", email="h@x.sa"
        )
        role = insert(db, "roles", client_id=cid, name="Clerks")
        insert(
            db, "role_permissions", client_id=cid, role_id=role["id"], permission_code="deals.write"
        )
        given = insert(db, "user_roles", client_id=cid, user_id=clerk["id"], role_id=role["id"])
        db.execute("delete from rea.user_roles where id = %s", (given["id"],))
        insert(
            db,
            "commission_rules",
            client_id=cid,
            listing_type="agency_owned",
            deal_type="sale",
            percentage=Decimal("2.5"),
            effective="[2020-01-01,2040-01-01)",
        )

        # a property, a customer, a deal through approval to won
        villa = tenant.property(db, title="Villa, Al Malqa", property_type="villa")
        buyer = insert(db, "customers", client_id=cid, full_name="Faisal", phone="+966 55 1234567")
        update("customers", buyer["id"], email="faisal@example.com")
        db.execute(
            "select rea.set_customer_identifiers(%s, '1098765432', null, %s)", (buyer["id"], KEY)
        )
        deal = insert(
            db,
            "deals",
            client_id=cid,
            property_id=villa["id"],
            customer_id=buyer["id"],
            agent_user_id=agent,
            deal_type="sale",
            amount=Decimal("2000000"),
            currency="SAR",
        )
        assert deal["commission_amount"] == Decimal("50000")
        update("deals", deal["id"], stage="negotiation")
        update("deals", deal["id"], amount=Decimal("1900000"))
        update("deals", deal["id"], stage="pending_approval")
        approval = insert(
            db,
            "approvals",
            client_id=cid,
            subject_type="deal",
            deal_id=deal["id"],
            requested_by=agent,
            reason="5% off for cash",
        )
        act_as(manager)
        decided = update(
            "approvals", approval["id"], status="approved", approver_id=manager, decision_note="ok"
        )
        assert decided["decided_at"] is not None
        act_as(agent)
        update("deals", deal["id"], stage="approved")
        won = update("deals", deal["id"], stage="won")
        assert (won["closed_at"] is not None, won["commission_amount"]) == (True, Decimal("47500"))

        # a booking: made, ACTIVE (the property is reserved), cancelled (available again)
        flat = tenant.property(db)
        booking = insert(
            db,
            "bookings",
            client_id=cid,
            property_id=flat["id"],
            customer_id=buyer["id"],
            agent_user_id=agent,
            starts_at=datetime(2026, 6, 1, tzinfo=UTC),
            ends_at=datetime(2026, 6, 1, tzinfo=UTC) + timedelta(days=7),
            deposit_amount=Decimal("5000"),
            deposit_currency="SAR",
            notes="keys at the desk",
        )
        update("bookings", booking["id"], status="ACTIVE")
        assert update("properties", flat["id"], district="Olaya")["status"] == "reserved"
        update("bookings", booking["id"], status="CANCELLED")
        assert update("properties", flat["id"], district="Olaya")["status"] == "available"

        # an expense above the threshold, approved by a second person
        expense = insert(
            db,
            "expenses",
            client_id=cid,
            property_id=villa["id"],
            branch_id=branch["id"],
            recorded_by=agent,
            category="maintenance",
            amount=Decimal("25000"),
            currency="SAR",
            description="roof",
        )
        request = insert(
            db,
            "approvals",
            client_id=cid,
            subject_type="expense",
            expense_id=expense["id"],
            requested_by=agent,
        )
        act_as(manager)
        update("approvals", request["id"], status="approved", approver_id=manager)
        assert update("expenses", expense["id"], status="approved")["status"] == "approved"

        # a communication, corrected
        call_ = insert(
            db,
            "communications",
            client_id=cid,
            customer_id=buyer["id"],
            user_id=manager,
            channel="phone",
            direction="outbound",
            metadata=Jsonb({"duration_seconds": 240}),
        )
        update("communications", call_["id"], subject="Handover date")

        # the customer's rights: access, lookup, a legal hold; a property withdrawn
        assert db.execute("select rea.customer_identifiers(%s, %s)", (buyer["id"], KEY)).fetchone()
        found = db.execute(
            "select rea.find_customers_by_identifier('national_id', '1098765432', %s)", (KEY,)
        )
        assert found.fetchall() == [(buyer["id"],)]
        assert db.execute("select rea.export_customer(%s)", (buyer["id"],)).fetchone()[0]["deals"]
        update("customers", buyer["id"], legal_hold=True, legal_hold_reason="court order 17/2026")
        update("properties", villa["id"], deleted_at=datetime(2026, 7, 1, tzinfo=UTC))

        # and the reports read
        for view in FACT_VIEWS:
            db.execute(f"select count(*) from {view}")

    # the triggers ran as rea_app and audited its work, naming who did what
    actors = db.execute(
        """
        select table_name, action, actor_id = %s from audit.audit_logs
        where client_id = %s and table_name = 'approvals' and action = 'UPDATE'
        """,
        (manager, cid),
    ).fetchall()
    assert actors == [("approvals", "UPDATE", True)] * 2


# --- rea_reporting and rea_auditor -------------------------------------------------------------


def test_reporting_reads_the_three_views(db, tenant):
    with acting_as(db, "rea_reporting", tenant.client_id):
        for view in FACT_VIEWS:
            db.execute(f"select * from {view}").fetchall()


def test_reporting_reads_nothing_else(db, tenant):
    """No rea table, no audit table or partition, no materialized view (they hold every
    tenant): refused, and the catalog says the same for every relation but the views."""
    forbidden = relations(db, "c.relkind in ('r', 'p', 'v', 'm', 'S')")
    forbidden = [r for r in forbidden if r not in FACT_VIEWS]
    assert set(FACT_MVS) <= set(forbidden)
    assert "audit.audit_logs" in forbidden
    for relation in forbidden:
        refused(db, "rea_reporting", f"select from {relation} limit 1", tenant=tenant)
    readable = relations(db, "has_table_privilege('rea_reporting', c.oid, 'select')")
    assert readable == sorted(FACT_VIEWS)


def test_reporting_cannot_erase_a_customer(db, tenant):
    refused(db, "rea_reporting", "select rea.erase_customer(%s)", (tenant.customer_id,), tenant)
    assert db.execute(
        "select has_function_privilege('rea_reporting', 'rea.erase_customer(uuid)', 'execute')"
    ).fetchone() == (False,)


def test_the_auditor_reads_the_trail_and_verifies_the_seals(db, tenant):
    """A forged seal of the tenant's (no rows behind it, no chain) is there for the
    auditor to read, and verify_seals() run by the auditor reports it."""
    seal(db, tenant)
    with acting_as(db, "rea_auditor", tenant.client_id):
        assert db.execute("select count(*) from audit.audit_logs").fetchone()[0] > 0
        assert db.execute("select count(*) from audit.seals").fetchone() == (1,)
        problems = db.execute("select client_id, problem from audit.verify_seals()").fetchall()
    assert sorted(problems) == [
        (tenant.client_id, "seal chain broken"),
        (tenant.client_id, "sealed rows missing"),
    ]


def test_the_auditor_reads_nothing_but_the_audit_trail(db, tenant):
    forbidden = relations(
        db,
        "c.relkind in ('r', 'p', 'v', 'm') and c.relnamespace <> 'audit'::regnamespace"
        " or c.relkind = 'r' and c.relispartition",  # a partition has no RLS of its own
    )
    assert set(FACT_VIEWS) <= set(forbidden)
    for relation in forbidden:
        refused(db, "rea_auditor", f"select from {relation} limit 1", tenant=tenant)


def test_the_auditor_writes_nothing(db, tenant):
    for statement in (
        "insert into audit.audit_logs (table_name, record_id, action, occurred_at)"
        " values ('deals', 'x', 'INSERT', now())",
        "update audit.audit_logs set action = action",
        "delete from audit.audit_logs",
        "truncate audit.audit_logs",
        "insert into audit.seals select * from audit.seals",
        "update audit.seals set row_count = row_count",
        "delete from audit.seals",
        "truncate audit.seals",
        "update audit.settings set retention_months = 600",
        "select audit.seal_days()",
        "select audit.create_partitions(1)",
    ):
        refused(db, "rea_auditor", statement, tenant=tenant, match="permission denied")


# --- The audit trail is append-only, for the owner and the superuser ---------------------------


def current_partition(db: psycopg.Connection, tenant: Tenant) -> str:
    """The partition holding the tenant's audit rows (written as make_tenant ran): the
    month of their occurred_at, in UTC."""
    partitions = db.execute(
        """
        select distinct l.tableoid::regclass::text,
               'audit.audit_logs_' || to_char(l.occurred_at at time zone 'UTC', 'YYYY_MM')
        from audit.audit_logs l where l.client_id = %s
        """,
        (tenant.client_id,),
    ).fetchall()
    assert len(partitions) == 1 and partitions[0][0] == partitions[0][1]
    return partitions[0][0]


def seal(db: psycopg.Connection, tenant: Tenant) -> None:
    db.execute(
        """
        insert into audit.seals (client_id, day, row_count, rows_hash, previous_hash, seal_hash)
        values (%s, current_date - 1, 1, '\\x00', '\\x00', '\\x00')
        """,
        (tenant.client_id,),
    )


@pytest.mark.parametrize("command", ["update", "delete", "truncate"])
def test_the_owner_may_not_change_the_trail(db, tenant, command):
    seal(db, tenant)
    statements = {
        "update": "update {} set client_id = client_id",
        "delete": "delete from {}",
        "truncate": "truncate {}",
    }
    for table in ("audit.audit_logs", current_partition(db, tenant), "audit.seals"):
        refused(
            db,
            "rea_owner",
            statements[command].format(table),
            tenant=tenant,
            match="permission denied for table",
        )


@pytest.mark.parametrize("command", ["update", "delete", "truncate"])
def test_even_the_superuser_is_refused_by_the_trigger(db, tenant, command):
    """Privileges do not bind a superuser; the triggers of 6100 and 6120 do."""
    seal(db, tenant)
    statements = {
        "update": "update {} set client_id = client_id where client_id = %s",
        "delete": "delete from {} where client_id = %s",
        "truncate": "truncate {}",
    }
    for table in ("audit.audit_logs", current_partition(db, tenant), "audit.seals"):
        statement = statements[command].format(table)
        params = () if command == "truncate" else (tenant.client_id,)
        with (
            pytest.raises(errors.InsufficientPrivilege, match="append-only") as caught,
            db.transaction(),
        ):
            db.execute(statement, params)
        assert "audit.refuse_change()" in caught.value.diag.context, statement
    assert (
        db.execute(
            "select count(*) from audit.audit_logs where client_id = %s", (tenant.client_id,)
        ).fetchone()[0]
        > 0
    )
