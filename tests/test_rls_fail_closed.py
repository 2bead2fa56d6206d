"""Row-level security from both sides, as the roles see it (basejump's way): with tenant A
set, rea_app sees every one of A's rows and none of B's, cannot update, delete or create
B's rows, and cannot move a row to B; with no tenant (app.client_id unset, '' or a UUID
that is no tenant) every tenant table reads empty without error and every write is
refused; the reporting views and the audit trail show the current tenant's rows only.

Refusals:
- a write of another tenant's row, or of any row with no tenant, raises 42501 "new row
  violates row-level security policy"; an UPDATE or DELETE of a row the tenant cannot see
  affects 0 rows without error (the row is simply not there for it);
- except a booking: its BEFORE trigger (bookings_enforce_workflow, running as rea_app
  under RLS) cannot see the property of another tenant and refuses first with 23514
  bookings_property_available_check. Refused all the same, and it tells nothing about
  the other tenant.
- a malformed app.client_id ('not-a-uuid') is an error, 22P02, when a statement evaluates
  the tenant (rea.current_client_id() casts the setting to uuid): a bug in the caller,
  not a silent "no tenant". The comparison is an init plan, evaluated when the first row
  is compared or, in an index scan, when the scan starts; a statement that never gets
  there (a sequential scan of an empty table) returns nothing without error.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import psycopg.sql
import psycopg.types.json
import pytest
from psycopg import errors

from conftest import Tenant, acting_as, insert, make_tenant, refresh_facts

NO_TENANT = uuid.UUID("00000000-0000-7000-8000-00000000dead")  # well-formed, no such client
RLS_REFUSAL = "new row violates row-level security policy"

# Every tenant table (test_rls_catalog pins that the catalog finds exactly these).
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
JOIN_TABLES = ("role_permissions", "user_roles")  # the only ones rea_app may delete from
FACT_VIEWS = ("fact_deals", "fact_expenses", "fact_bookings")
# A change each tenant table accepts for any of its rows: (column, new value); "{n}" in a
# value is replaced by something unique, None writes NULL. The join tables have no UPDATE
# grant (their entries are for the statements that must be refused).
UPDATES = {
    "clients": ("customer_retention", "7 years"),
    "branches": ("city", "Dammam"),
    "users": ("full_name", "Renamed user {n}"),
    "roles": ("description", "Changed {n}"),
    "customers": ("full_name", "Renamed customer {n}"),
    "properties": ("title", "Retitled {n}"),
    "commission_rules": ("listing_type", "agency_owned"),
    "deals": ("deleted_at", None),
    "expenses": ("description", "Receipt {n}"),
    "approvals": ("reason", "Because {n}"),
    "bookings": ("notes", "Note {n}"),
    "communications": ("subject", "Subject {n}"),
    "role_permissions": ("permission_code", "deals.write"),
    "user_roles": ("role_id", None),
}


# --- Seed: a few rows of every tenant table for one tenant (as the superuser) ---------------


def populate(db: psycopg.Connection, name: str) -> Tenant:
    """make_tenant() plus a row in every other tenant table: a role with a permission
    given to the agent, a commission rule, a property with a deal under a pending
    approval, another with a booking, an expense and a communication."""
    t = make_tenant(db, name)
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
    sold = t.property(db, title="Villa, Al Malqa")
    deal = insert(
        db,
        "deals",
        client_id=cid,
        property_id=sold["id"],
        customer_id=t.customer_id,
        agent_user_id=t.agent_id,
        deal_type="sale",
        amount=1_200_000,
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
    let = t.property(db, title="Flat, Al Olaya")
    insert(
        db,
        "bookings",
        client_id=cid,
        property_id=let["id"],
        customer_id=t.customer_id,
        agent_user_id=t.agent_id,
        status="ACTIVE",
        starts_at="2026-01-01",
        ends_at="2026-01-08",
        deposit_amount=5000,
        deposit_currency="SAR",
        notes="Keys at the front desk",
    )
    insert(
        db,
        "expenses",
        client_id=cid,
        property_id=let["id"],
        branch_id=t.branch_id,
        recorded_by=t.manager_id,
        category="maintenance",
        amount=750,
        currency="SAR",
    )
    insert(
        db,
        "communications",
        client_id=cid,
        customer_id=t.customer_id,
        user_id=t.agent_id,
        channel="email",
        direction="outbound",
        subject="Your viewing",
        body="See you on Sunday.",
        metadata=psycopg.types.json.Jsonb({"message_id": f"<viewing@{name}>"}),
    )
    return t


def seal_a_day(db: psycopg.Connection, *tenants: Tenant) -> None:
    """A seal row per tenant, written by the superuser (audit.seal_days() seals only days
    that have ended; these only need to exist)."""
    for t in tenants:
        db.execute(
            """
            insert into audit.seals (client_id, day, row_count, rows_hash, previous_hash,
                                     seal_hash)
            values (%s, date '2026-01-01', 1, sha256('rows'), sha256('previous'),
                    sha256('seal'))
            """,
            (t.client_id,),
        )


def tenant_column(table: str) -> str:
    return "id" if table == "clients" else "client_id"


def ids_of(db: psycopg.Connection, table: str, client_id: object = None) -> set:
    """Ids of rea.<table>: all the current role sees, or (as the superuser) one tenant's."""
    query = psycopg.sql.SQL("select id from rea.{}").format(psycopg.sql.Identifier(table))
    if client_id is None:
        return {r[0] for r in db.execute(query)}
    query += psycopg.sql.SQL(" where {} = %s").format(psycopg.sql.Identifier(tenant_column(table)))
    return {r[0] for r in db.execute(query, (client_id,))}


def snapshot(db: psycopg.Connection) -> dict:
    """As the superuser: per table and tenant, how many rows and a hash of them all; and
    per tenant, how many audit rows. Equal snapshots: nothing changed."""
    parts = [
        psycopg.sql.SQL(
            "select {name}, {tenant}, count(*), md5(string_agg(t::text, '|' order by t.id))"
            " from rea.{table} t group by 2"
        ).format(
            name=psycopg.sql.Literal(table),
            tenant=psycopg.sql.Identifier(tenant_column(table)),
            table=psycopg.sql.Identifier(table),
        )
        for table in TENANT_TABLES
    ]
    parts.append(
        psycopg.sql.SQL(
            "select 'audit_logs', client_id, count(*), max(id)::text from audit.audit_logs"
            " group by 2"
        )
    )
    rows = db.execute(psycopg.sql.SQL(" union all ").join(parts)).fetchall()
    return {(table, tenant): (count, digest) for table, tenant, count, digest in rows}


def of_tenant(snap: dict, client_id: object) -> dict:
    return {key: value for key, value in snap.items() if key[1] == client_id}


def attempt(db: psycopg.Connection, query: object, params: object = ()) -> psycopg.Cursor:
    """Run one statement in a savepoint; an error rolls the savepoint back and propagates."""
    with db.transaction():
        return db.execute(query, params)


def first_column_with(db: psycopg.Connection, table: str, privilege: str) -> str | None:
    row = db.execute(
        """
        select a.attname from pg_attribute a
        where a.attrelid = %s::regclass and a.attnum > 0 and not a.attisdropped
          and has_column_privilege('rea_app', a.attrelid, a.attnum, %s)
        order by a.attnum limit 1
        """,
        (f"rea.{table}", privilege),
    ).fetchone()
    return row and row[0]


def insert_statement(db: psycopg.Connection, table: str, row_id: object, **changes: object):
    """An INSERT of a copy of row `row_id` of rea.<table> (read as the superuser): every
    column rea_app may insert, with `changes` applied. Returns (query, params)."""
    values = {
        name: (type_name, value)
        for name, type_name, value in db.execute(
            psycopg.sql.SQL(
                """
                select a.attname, format_type(a.atttypid, a.atttypmod), to_jsonb(t) ->> a.attname
                from rea.{} t cross join pg_attribute a
                where t.id = %s and a.attrelid = %s::regclass and a.attnum > 0
                  and not a.attisdropped
                  and has_column_privilege('rea_app', a.attrelid, a.attnum, 'INSERT')
                """
            ).format(psycopg.sql.Identifier(table)),
            (row_id, f"rea.{table}"),
        )
    }
    assert values, f"no row {row_id} in rea.{table}, or nothing rea_app may insert"
    for name, value in changes.items():
        values[name] = (values[name][0], str(value))
    query = psycopg.sql.SQL("insert into rea.{} ({}) values ({})").format(
        psycopg.sql.Identifier(table),
        psycopg.sql.SQL(", ").join(map(psycopg.sql.Identifier, values)),
        psycopg.sql.SQL(", ").join(
            psycopg.sql.SQL("%s::{}").format(psycopg.sql.SQL(type_name))
            for type_name, _ in values.values()
        ),
    )
    return query, [value for _, value in values.values()]


def assert_insert_refused(db: psycopg.Connection, table: str, query, params) -> None:
    """The insert fails: by RLS (42501), or for a booking by its trigger that sees no
    property; rea.clients is not insertable by rea_app at all."""
    with pytest.raises(psycopg.Error) as caught:
        attempt(db, query, params)
    error = caught.value
    if table == "bookings":
        assert isinstance(error, errors.CheckViolation), error
        assert error.diag.constraint_name == "bookings_property_available_check"
    else:
        assert isinstance(error, errors.InsufficientPrivilege), error
        assert RLS_REFUSAL in str(error), error


@pytest.fixture
def two(db):
    """Tenants A and B, each with rows in every tenant table; fact views refreshed."""
    a, b = populate(db, "Al Noor Realty"), populate(db, "Gulf Homes")
    refresh_facts(db)
    for table in TENANT_TABLES:
        for t in (a, b):
            assert ids_of(db, table, t.client_id), f"populate() left rea.{table} empty"
    return a, b


@contextmanager
def unset_tenant(db: psycopg.Connection, role: str) -> Iterator[psycopg.Connection]:
    """Act as `role` with app.client_id never set in this session (NULL, not '')."""
    with db.transaction():
        db.execute(psycopg.sql.SQL("set local role {}").format(psycopg.sql.Identifier(role)))
        assert db.execute("select current_setting('app.client_id', true)").fetchone() == (None,)
        yield db
    db.execute("reset role")


# --- A sees A, not B ------------------------------------------------------------------------


def test_tenant_sees_all_its_rows_and_none_of_another(db, two):
    a, b = two
    expected = {table: ids_of(db, table, a.client_id) for table in TENANT_TABLES}
    b_ids = {table: ids_of(db, table, b.client_id) for table in TENANT_TABLES}
    with acting_as(db, "rea_app", a.client_id, a.agent_id):
        seen = {table: ids_of(db, table) for table in TENANT_TABLES}
        by_id = {
            table: db.execute(
                psycopg.sql.SQL("select count(*) from rea.{} where id = any(%s)").format(
                    psycopg.sql.Identifier(table)
                ),
                (list(b_ids[table]),),
            ).fetchone()[0]
            for table in TENANT_TABLES
        }
    assert seen == expected
    assert by_id == dict.fromkeys(TENANT_TABLES, 0)


def test_another_tenants_rows_cannot_be_updated_or_deleted(db, two):
    """UPDATE and DELETE of B's rows, as A, affect nothing: 0 rows where rea_app holds the
    privilege, 42501 permission denied where it does not (no UPDATE on the join tables,
    DELETE only on them)."""
    a, b = two
    before = of_tenant(snapshot(db), b.client_id)
    outcomes = {}
    for table in TENANT_TABLES:
        column = first_column_with(db, table, "UPDATE")
        target = next(iter(ids_of(db, table, b.client_id)))
        may_delete = table in JOIN_TABLES
        with acting_as(db, "rea_app", a.client_id, a.agent_id):
            ident = psycopg.sql.Identifier
            if column:
                update = psycopg.sql.SQL("update rea.{t} set {c} = {c} where id = %s").format(
                    t=ident(table), c=ident(column)
                )
                outcomes[table, "update"] = attempt(db, update, (target,)).rowcount
            else:
                with pytest.raises(errors.InsufficientPrivilege):
                    attempt(db, psycopg.sql.SQL("update rea.{} set id = id").format(ident(table)))
                outcomes[table, "update"] = "denied"
            delete = psycopg.sql.SQL("delete from rea.{} where id = %s").format(ident(table))
            if may_delete:
                outcomes[table, "delete"] = attempt(db, delete, (target,)).rowcount
            else:
                with pytest.raises(errors.InsufficientPrivilege):
                    attempt(db, delete, (target,))
                outcomes[table, "delete"] = "denied"
    assert outcomes == {
        **{(t, "update"): "denied" if t in JOIN_TABLES else 0 for t in TENANT_TABLES},
        **{(t, "delete"): 0 if t in JOIN_TABLES else "denied" for t in TENANT_TABLES},
    }
    assert of_tenant(snapshot(db), b.client_id) == before


def test_statements_without_where_reach_the_tenants_rows_only(db, two):
    """An UPDATE or DELETE with no WHERE and no RETURNING reads no column, so the SELECT
    policy does not filter it: its own policy alone must keep it to A's rows. As A, each
    reaches exactly A's rows (UPDATE: every table rea_app may update; DELETE: the join
    tables), and B's rows stay as they were."""
    a, b = two
    before = of_tenant(snapshot(db), b.client_id)
    reached, expected = {}, {}
    for table, (column, value) in UPDATES.items():
        if table in JOIN_TABLES:
            statement = psycopg.sql.SQL("delete from rea.{}").format(psycopg.sql.Identifier(table))
        else:
            statement = psycopg.sql.SQL("update rea.{} set {} = {}").format(
                psycopg.sql.Identifier(table),
                psycopg.sql.Identifier(column),
                psycopg.sql.Literal(value and value.format(n=table)),
            )
        expected[table] = len(ids_of(db, table, a.client_id))
        with acting_as(db, "rea_app", a.client_id, a.agent_id):
            reached[table] = attempt(db, statement).rowcount
    assert reached == expected
    assert of_tenant(snapshot(db), b.client_id) == before


def test_a_row_for_another_tenant_cannot_be_inserted(db, two):
    """A copy of one of B's rows, inserted by A with client_id = B, is refused (42501 by
    the policy's WITH CHECK; a booking by its trigger); B gains nothing. The same copy
    with A's own ids is accepted, so the refusal is the tenant's, not the row's."""
    a, b = two
    before = of_tenant(snapshot(db), b.client_id)
    for table in TENANT_TABLES:
        if table == "clients":
            continue  # rea_app may not insert clients at all: test_clients_are_not_insertable
        query, params = insert_statement(db, table, next(iter(ids_of(db, table, b.client_id))))
        with acting_as(db, "rea_app", a.client_id, a.agent_id):
            assert_insert_refused(db, table, query, params)
    assert of_tenant(snapshot(db), b.client_id) == before


def test_the_own_tenants_copy_is_accepted(db, two):
    """The control for the refusals above: the same kind of statement, for A as A (a
    customer, a property, a communication), succeeds."""
    a, _ = two
    for table in ("customers", "properties", "communications", "expenses", "branches"):
        changes = {"name": "Branch two"} if table == "branches" else {}
        query, params = insert_statement(
            db, table, next(iter(ids_of(db, table, a.client_id))), **changes
        )
        with acting_as(db, "rea_app", a.client_id, a.agent_id):
            assert attempt(db, query, params).rowcount == 1


def test_clients_are_not_insertable(db, two):
    a, _ = two
    with acting_as(db, "rea_app", a.client_id), pytest.raises(errors.InsufficientPrivilege):
        attempt(db, "insert into rea.clients (name, base_currency) values ('Rogue', 'SAR')")


def test_a_row_cannot_move_to_another_tenant(db, two):
    """client_id (id on rea.clients) is not updatable by rea_app: 42501 permission denied,
    for every tenant table. Behind the column grant, the policies' WITH CHECK refuses too:
    with the column granted (in this rolled-back transaction), moving a customer to B is
    still 42501, by row-level security."""
    a, b = two
    for table in TENANT_TABLES:
        own = next(iter(ids_of(db, table, a.client_id)))
        move = psycopg.sql.SQL("update rea.{} set {} = %s where id = %s").format(
            psycopg.sql.Identifier(table), psycopg.sql.Identifier(tenant_column(table))
        )
        with (
            acting_as(db, "rea_app", a.client_id, a.agent_id),
            pytest.raises(errors.InsufficientPrivilege, match="permission denied"),
        ):
            attempt(db, move, (b.client_id, own))

    db.execute("grant update (client_id) on rea.customers to rea_app")
    with (
        acting_as(db, "rea_app", a.client_id, a.agent_id),
        pytest.raises(errors.InsufficientPrivilege, match=RLS_REFUSAL),
    ):
        attempt(
            db,
            "update rea.customers set client_id = %s where id = %s",
            (b.client_id, a.customer_id),
        )
    assert ids_of(db, "customers", b.client_id) == {b.customer_id}


def test_a_reference_cannot_reach_another_tenants_row(db, two):
    """A's deal naming B's property fails exactly as one naming no property at all (the
    composite foreign key includes client_id): no row of B is reachable, and the error
    does not tell whether B's row exists."""
    a, b = two
    b_property = next(iter(ids_of(db, "properties", b.client_id)))
    errors_seen = []
    for property_id in (b_property, NO_TENANT):
        with (
            acting_as(db, "rea_app", a.client_id, a.agent_id),
            pytest.raises(errors.ForeignKeyViolation) as caught,
            db.transaction(),
        ):
            insert(
                db,
                "deals",
                client_id=a.client_id,
                property_id=property_id,
                customer_id=a.customer_id,
                deal_type="sale",
                amount=100,
                currency="SAR",
            )
        errors_seen.append(
            (caught.value.diag.constraint_name, str(caught.value).replace(str(property_id), "?"))
        )
    assert errors_seen[0] == errors_seen[1]
    assert errors_seen[0][0] == "deals_property_fkey"


def test_the_application_runs_every_workflow_under_rls(db, two):
    """The other side of the refusals: as rea_app with its tenant set, every workflow
    runs to its end, including what the triggers do on its behalf under RLS (commission
    lookup, property reserved and released by bookings, approvals cancelled when their
    subject closes) and the PDPL functions. A privilege the application lacks shows up
    here as 42501. The audit trail records the acting user."""
    a, _ = two
    key = "a key of sixteen chars or more"

    def one(query, *params):
        """Run a statement; its one row if it returns rows, else its row count."""
        cur = db.execute(query, params)
        return cur.fetchone() if cur.description else cur.rowcount

    with acting_as(db, "rea_app", a.client_id, a.agent_id):
        one("update rea.clients set expense_approval_threshold = 5000 where id = %s", a.client_id)
        branch = insert(db, "branches", client_id=a.client_id, name="Malqa", city="Riyadh")
        clerk = insert(
            db,
            "users",
            client_id=a.client_id,
            branch_id=branch["id"],
            full_name="Noura Clerk",
            email="noura@alnoor.example",
        )
        role = insert(db, "roles", client_id=a.client_id, name="Clerks")
        insert(
            db,
            "role_permissions",
            client_id=a.client_id,
            role_id=role["id"],
            permission_code="expenses.write",
        )
        insert(db, "user_roles", client_id=a.client_id, user_id=clerk["id"], role_id=role["id"])
        assert one("delete from rea.user_roles where user_id = %s", clerk["id"]) == 1
        buyer = insert(db, "customers", client_id=a.client_id, full_name="Faisal Buyer")
        villa = a.property(db, title="Villa, Hittin", asking_price=3_000_000)

        # a deal: lead -> negotiation -> pending_approval -> approved -> won
        deal = insert(
            db,
            "deals",
            client_id=a.client_id,
            property_id=villa["id"],
            customer_id=buyer["id"],
            agent_user_id=a.agent_id,
            deal_type="sale",
            amount=2_900_000,
            currency="SAR",
        )
        assert deal["commission_amount"] == 58_000  # the 2 % rule of populate()
        approval = insert(
            db,
            "approvals",
            client_id=a.client_id,
            subject_type="deal",
            deal_id=deal["id"],
            requested_by=a.agent_id,
        )
        for stage in ("negotiation", "pending_approval"):
            one("update rea.deals set stage = %s where id = %s", stage, deal["id"])
        one(
            "update rea.approvals set status = 'approved', approver_id = %s where id = %s",
            a.manager_id,
            approval["id"],
        )
        for stage in ("approved", "won"):
            one("update rea.deals set stage = %s where id = %s", stage, deal["id"])
        assert one("select closed_at is not null from rea.deals where id = %s", deal["id"]) == (
            True,
        )

        # a lost deal cancels its pending approval (a trigger writing approvals)
        lost = insert(
            db,
            "deals",
            client_id=a.client_id,
            property_id=villa["id"],
            customer_id=buyer["id"],
            deal_type="sale",
            amount=2_000_000,
            currency="SAR",
        )
        pending = insert(
            db,
            "approvals",
            client_id=a.client_id,
            subject_type="deal",
            deal_id=lost["id"],
            requested_by=a.agent_id,
        )
        one("update rea.deals set stage = 'lost' where id = %s", lost["id"])
        assert one("select status from rea.approvals where id = %s", pending["id"]) == (
            "cancelled",
        )

        # a booking reserves its property, completing it releases the property
        flat = a.property(db, title="Flat, Al Yasmin")
        booking = insert(
            db,
            "bookings",
            client_id=a.client_id,
            property_id=flat["id"],
            customer_id=buyer["id"],
            status="ACTIVE",
            starts_at="2026-02-01",
            ends_at="2026-02-15",
        )
        assert one("select status from rea.properties where id = %s", flat["id"]) == ("reserved",)
        one("update rea.bookings set status = 'COMPLETED' where id = %s", booking["id"])
        assert one("select status from rea.properties where id = %s", flat["id"]) == ("available",)

        # an expense above the threshold needs an approval; a rejected one cancels it
        big = insert(
            db,
            "expenses",
            client_id=a.client_id,
            category="maintenance",
            amount=20_000,
            currency="SAR",
        )
        approval = insert(
            db,
            "approvals",
            client_id=a.client_id,
            subject_type="expense",
            expense_id=big["id"],
            requested_by=a.agent_id,
        )
        one(
            "update rea.approvals set status = 'approved', approver_id = %s where id = %s",
            a.manager_id,
            approval["id"],
        )
        one("update rea.expenses set status = 'approved' where id = %s", big["id"])
        other = insert(
            db,
            "expenses",
            client_id=a.client_id,
            category="maintenance",
            amount=30_000,
            currency="SAR",
        )
        pending = insert(
            db,
            "approvals",
            client_id=a.client_id,
            subject_type="expense",
            expense_id=other["id"],
            requested_by=a.agent_id,
        )
        one("update rea.expenses set status = 'rejected' where id = %s", other["id"])
        assert one("select status from rea.approvals where id = %s", pending["id"]) == (
            "cancelled",
        )

        insert(
            db,
            "communications",
            client_id=a.client_id,
            customer_id=buyer["id"],
            user_id=a.agent_id,
            channel="phone",
            direction="outbound",
            metadata=psycopg.types.json.Jsonb({"duration_seconds": 120}),
        )

        # the customer's rights (PDPL)
        one(
            "select rea.set_customer_identifiers(%s, '1098765432', 'K1234567', %s)",
            buyer["id"],
            key,
        )
        assert one("select * from rea.customer_identifiers(%s, %s)", buyer["id"], key) == (
            "1098765432",
            "K1234567",
        )
        assert one(
            "select * from rea.find_customers_by_identifier('national_id', '1098765432', %s)", key
        ) == (buyer["id"],)
        assert one("select rea.rotate_identifier_key(%s, %s)", key, key + "!") == (1,)
        export = one("select rea.export_customer(%s)", buyer["id"])[0]
        assert len(export["deals"]) == 2 and len(export["bookings"]) == 1
        one("select rea.erase_customer(%s)", buyer["id"])
        assert one("select rea.apply_customer_retention()") == (0,)

    actors = db.execute(
        "select distinct actor_id from audit.audit_logs where client_id = %s and table_name = %s",
        (a.client_id, "deals"),
    ).fetchall()
    assert (a.agent_id,) in actors


# --- No tenant: nothing visible, nothing writable -------------------------------------------

NO_TENANT_CASES = {
    "unset": None,  # never set in the session: current_setting(..., true) is NULL
    "empty": "",  # what a pooled connection reads once a set_config(..., true) has ended
    "unknown": NO_TENANT,  # well-formed, but no client has this id
}


@contextmanager
def without_tenant(db: psycopg.Connection, case: str, role: str) -> Iterator[None]:
    if case == "unset":
        with unset_tenant(db, role):
            yield
        return
    # acting_as sets '' for None; the explicit '' goes through the same set_config
    with acting_as(db, role, NO_TENANT_CASES[case] or None):
        got = db.execute("select current_setting('app.client_id', true)").fetchone()[0]
        assert got == ("" if case == "empty" else str(NO_TENANT))
        yield


@pytest.mark.parametrize("case", NO_TENANT_CASES)
def test_without_a_tenant_every_table_reads_empty(db, two, case):
    with without_tenant(db, case, "rea_app"):
        seen = {table: ids_of(db, table) for table in TENANT_TABLES}
        facts = {
            view: db.execute(f"select count(*) from reporting.{view}").fetchone()[0]
            for view in FACT_VIEWS
        }
    assert seen == {table: set() for table in TENANT_TABLES}
    assert facts == dict.fromkeys(FACT_VIEWS, 0)


@pytest.mark.parametrize("case", NO_TENANT_CASES)
def test_without_a_tenant_every_write_is_refused(db, two, case):
    """Inserts of A's own rows are refused (42501, a booking 23514); updates and deletes
    find nothing; the PDPL functions refuse to run (42501 'app.client_id is not set', or
    P0002 'no customer in this tenant' for a tenant that does not exist). Nothing of A
    or B changes."""
    a, _ = two
    before = snapshot(db)
    for table in TENANT_TABLES:
        if table == "clients":
            continue
        query, params = insert_statement(db, table, next(iter(ids_of(db, table, a.client_id))))
        with without_tenant(db, case, "rea_app"):
            assert_insert_refused(db, table, query, params)
    with without_tenant(db, case, "rea_app"):
        for table in TENANT_TABLES:
            column = first_column_with(db, table, "UPDATE")
            ident = psycopg.sql.Identifier
            if column:
                # `set c = default`, no WHERE: reads no column, so only the UPDATE policy
                # (not the SELECT one) decides which rows it reaches: none
                update = psycopg.sql.SQL("update rea.{t} set {c} = default").format(
                    t=ident(table), c=ident(column)
                )
                assert attempt(db, update).rowcount == 0, table
        for table in JOIN_TABLES:
            delete = psycopg.sql.SQL("delete from rea.{}").format(psycopg.sql.Identifier(table))
            assert attempt(db, delete).rowcount == 0, table
        expected = errors.NoDataFound if case == "unknown" else errors.InsufficientPrivilege
        for call in (
            "select rea.export_customer(%s)",
            "select rea.erase_customer(%s)",
            "select rea.set_customer_identifiers(%s, '1234567890', null, 'sixteen chars key')",
        ):
            with pytest.raises(expected):
                attempt(db, call, (a.customer_id,))
        with pytest.raises(expected):
            attempt(db, "select rea.apply_customer_retention()")
    assert snapshot(db) == before


@pytest.mark.parametrize("case", NO_TENANT_CASES)
def test_without_a_tenant_reporting_and_audit_read_empty(db, two, case):
    a, b = two
    seal_a_day(db, a, b)
    with without_tenant(db, case, "rea_reporting"):
        facts = {
            view: db.execute(f"select count(*) from reporting.{view}").fetchone()[0]
            for view in FACT_VIEWS
        }
    with without_tenant(db, case, "rea_auditor"):
        audit = db.execute("select count(*) from audit.audit_logs").fetchone()[0]
        seals = db.execute("select count(*) from audit.seals").fetchone()[0]
    assert facts == dict.fromkeys(FACT_VIEWS, 0)
    assert (audit, seals) == (0, 0)


# --- Reporting and audit: the current tenant's rows only ------------------------------------


@pytest.mark.parametrize("role", ["rea_reporting", "rea_app"])
def test_fact_views_show_the_current_tenant_only(db, two, role):
    a, _ = two
    for view in FACT_VIEWS:
        mv = f"reporting.{view}_mv"
        expected = {
            r[0] for r in db.execute(f"select id from {mv} where client_id = %s", (a.client_id,))
        }
        assert expected, f"{mv} holds no row of A: populate() or the refresh is incomplete"
        others = db.execute(f"select count(*) from {mv} where client_id <> %s", (a.client_id,))
        assert others.fetchone()[0] > 0, f"{mv} holds no other tenant's row to hide"
        with acting_as(db, role, a.client_id):
            seen = db.execute(f"select client_id, id from reporting.{view}").fetchall()
        assert {client for client, _ in seen} == {a.client_id}, view
        assert {row_id for _, row_id in seen} == expected, view


def test_reporting_reads_nothing_but_the_views(db, two):
    a, _ = two
    for relation in ("reporting.fact_deals_mv", "rea.deals", "audit.audit_logs"):
        with (
            acting_as(db, "rea_reporting", a.client_id),
            pytest.raises(errors.InsufficientPrivilege),
        ):
            attempt(db, f"select count(*) from {relation}")


def test_auditor_sees_its_tenants_audit_rows_and_seals_only(db, two):
    a, b = two
    seal_a_day(db, a, b)
    expected = db.execute(
        "select count(*) from audit.audit_logs where client_id = %s", (a.client_id,)
    ).fetchone()[0]
    others = db.execute(
        "select count(*) from audit.audit_logs where client_id is distinct from %s",
        (a.client_id,),
    ).fetchone()[0]
    assert expected > 0 and others > 0
    with acting_as(db, "rea_auditor", a.client_id):
        logs = db.execute("select client_id, count(*) from audit.audit_logs group by 1")
        logs = logs.fetchall()
        seals = db.execute("select client_id from audit.seals").fetchall()
        with pytest.raises(errors.InsufficientPrivilege):
            attempt(db, "select count(*) from rea.customers")
        with pytest.raises(errors.InsufficientPrivilege):
            attempt(db, "delete from audit.seals")
    assert logs == [(a.client_id, expected)]
    assert seals == [(a.client_id,)]


# --- A malformed tenant ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "statement"),
    [
        ("rea_app", "select count(*) from rea.deals"),
        ("rea_app", "select count(*) from rea.clients"),
        ("rea_reporting", "select count(*) from reporting.fact_deals"),
        ("rea_auditor", "select count(*) from audit.audit_logs"),
    ],
)
def test_a_malformed_tenant_is_an_error_not_no_tenant(db, two, role, statement):
    """app.client_id = 'not-a-uuid' raises 22P02 (invalid_text_representation) for every
    role once the statement compares rows with the tenant (here there are rows to
    compare). Fail loud: a caller that sets garbage has a bug."""
    with (
        acting_as(db, role, "not-a-uuid"),
        pytest.raises(errors.InvalidTextRepresentation, match="not-a-uuid"),
    ):
        attempt(db, statement)


# --- Known leak ------------------------------------------------------------------------------


def test_renaming_the_tenant_tells_nothing_about_other_tenants(db, two):
    """Renaming A to B's name must end as renaming A to a name nobody has: both
    accepted, or both refused the same way."""
    a, _ = two
    outcomes = []
    for name in ("gulf homes", "Nobody Has This Name"):
        with acting_as(db, "rea_app", a.client_id):
            try:
                attempt(db, "update rea.clients set name = %s where id = %s", (name, a.client_id))
                outcomes.append("ok")
            except psycopg.Error as error:
                outcomes.append(error.sqlstate)
    assert outcomes[0] == outcomes[1]
