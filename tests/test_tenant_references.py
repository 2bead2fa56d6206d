"""No row can point at another tenant's row: references between tenant tables carry client_id.

A tenant table is a table in schema rea with a client_id column. The rule, checked over the
catalog so that a new table cannot slip through:

- every foreign key between two tables that both have client_id pairs client_id with
  client_id, so the referenced row is always of the referencing row's own tenant;
- every tenant table has the primary key (client_id, id), with id uuid defaulting to
  rea.uuid_v7() (time-ordered version 7 UUIDs) and client_id uuid not null;
- every foreign key from a tenant table chose its on-delete action (restrict, cascade, set
  null or set default), rather than falling back on the implicit NO ACTION.

Each check lists its offenders; the real schema has none, and a deliberately bad table,
created in a rolled-back transaction, is caught, which proves the check itself works.
"""

import pytest
from psycopg import errors

from conftest import insert

TENANT_TABLES = """
    select c.oid, c.relname
    from pg_class c
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'client_id' and not a.attisdropped
    where c.relnamespace = 'rea'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
"""


def foreign_keys_without_client_id(db):
    """Foreign keys between two tables with client_id whose client_id does not meet client_id."""
    return db.execute(
        """
        select c.conrelid::regclass::text || ': ' || c.conname
        from pg_constraint c
        join pg_attribute child on child.attrelid = c.conrelid
            and child.attname = 'client_id' and not child.attisdropped
        join pg_attribute parent on parent.attrelid = c.confrelid
            and parent.attname = 'client_id' and not parent.attisdropped
        where c.contype = 'f'
          and c.connamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
          and not exists (
            select from unnest(c.conkey, c.confkey) as pair(child_col, parent_col)
            where pair.child_col = child.attnum and pair.parent_col = parent.attnum
          )
        order by 1
        """
    ).fetchall()


def tenant_tables_with_a_wrong_key(db):
    """Tenant tables whose primary key is not (client_id, id), id uuid default uuid_v7()."""
    return db.execute(
        f"""
        with tenant as ({TENANT_TABLES})
        select 'rea.' || t.relname
        from tenant t
        left join pg_constraint pk on pk.conrelid = t.oid and pk.contype = 'p'
        left join pg_attribute client on client.attrelid = t.oid and client.attname = 'client_id'
        left join pg_attribute id on id.attrelid = t.oid and id.attname = 'id'
            and not id.attisdropped
        left join pg_attrdef d on d.adrelid = t.oid and d.adnum = id.attnum
        where pk.conkey is distinct from array[client.attnum, id.attnum]::int2[]
           or client.atttypid <> 'uuid'::regtype or not client.attnotnull
           or id.atttypid is distinct from 'uuid'::regtype
           or pg_get_expr(d.adbin, d.adrelid) is distinct from 'rea.uuid_v7()'
        order by 1
        """
    ).fetchall()


def foreign_keys_from_tenant_tables(db):
    """(table, constraint, on-delete action, referenced table) of every FK from a tenant table."""
    return db.execute(
        f"""
        with tenant as ({TENANT_TABLES})
        select 'rea.' || t.relname, c.conname,
               case c.confdeltype when 'a' then 'no action' when 'r' then 'restrict'
                    when 'c' then 'cascade' when 'n' then 'set null'
                    when 'd' then 'set default' end,
               c.confrelid::regclass::text
        from tenant t
        join pg_constraint c on c.conrelid = t.oid and c.contype = 'f'
        order by 1, 2
        """
    ).fetchall()


def foreign_keys_without_a_chosen_delete_action(db):
    return [
        f"{table}: {name}"
        for table, name, action, _ in foreign_keys_from_tenant_tables(db)
        if action == "no action"
    ]


CHECKS = {
    "foreign keys carry client_id": (
        foreign_keys_without_client_id,
        # the child names its parent by id alone: it could point into any tenant
        """
        create table rea.bad_parents (
            client_id uuid not null, id uuid not null default rea.uuid_v7(),
            primary key (client_id, id), unique (id));
        create table rea.bad_children (
            client_id uuid not null, id uuid not null default rea.uuid_v7(),
            parent_id uuid references rea.bad_parents (id) on delete restrict,
            primary key (client_id, id));
        """,
    ),
    "client_id meets client_id": (
        foreign_keys_without_client_id,
        # client_id is in the key, but paired with the parent's id: still cross-tenant
        """
        create table rea.bad_parents (
            client_id uuid not null, id uuid not null default rea.uuid_v7(),
            primary key (client_id, id), unique (id, client_id));
        create table rea.bad_children (
            client_id uuid not null, id uuid not null default rea.uuid_v7(),
            parent_id uuid,
            foreign key (client_id, parent_id) references rea.bad_parents (id, client_id)
                on delete restrict,
            primary key (client_id, id));
        """,
    ),
    "primary key (client_id, id)": (
        tenant_tables_with_a_wrong_key,
        "create table rea.bad_t (client_id uuid not null, id uuid primary key)",
    ),
    "id is a uuid": (
        tenant_tables_with_a_wrong_key,
        "create table rea.bad_t (client_id uuid not null, id bigint, primary key (client_id, id))",
    ),
    "id defaults to uuid_v7()": (
        tenant_tables_with_a_wrong_key,
        "create table rea.bad_t (client_id uuid not null, id uuid default gen_random_uuid(),"
        " primary key (client_id, id))",
    ),
    "on-delete action chosen": (
        foreign_keys_without_a_chosen_delete_action,
        "create table rea.bad_t (client_id uuid not null references rea.clients (id),"
        " id uuid not null default rea.uuid_v7(), primary key (client_id, id))",
    ),
}


@pytest.mark.parametrize("check", CHECKS)
def test_the_schema_follows_the_rule(db, check):
    find, _ = CHECKS[check]
    assert find(db) == []


@pytest.mark.parametrize("check", CHECKS)
def test_the_check_catches_an_offender(db, check):
    find, bad_ddl = CHECKS[check]
    with db.transaction(force_rollback=True):
        db.execute(bad_ddl)
        assert find(db) != []


def test_there_are_tenant_tables_and_references_between_them(db):
    """Guards the checks above against passing vacuously (say, if the query found no table)."""
    tables = {name for (_, name) in db.execute(TENANT_TABLES).fetchall()}
    assert {"properties", "customers", "users", "expenses", "communications"} <= tables
    targets = {target for _, _, _, target in foreign_keys_from_tenant_tables(db)}
    assert {"rea.clients", "rea.branches", "rea.customers", "rea.users"} <= targets


def test_the_composite_key_really_stops_a_cross_tenant_reference(db, tenant, other_tenant):
    """What the catalog rule buys, seen from a row: another tenant's customer is not found."""
    with pytest.raises(errors.ForeignKeyViolation) as caught, db.transaction():
        insert(
            db,
            "communications",
            client_id=tenant.client_id,
            customer_id=other_tenant.customer_id,
            channel="sms",
            direction="outbound",
        )
    assert caught.value.diag.constraint_name == "communications_customer_fkey"


def test_ids_are_version_7_uuids_by_default(db, tenant):
    rows = [
        insert(db, "branches", client_id=tenant.client_id, name="Malaz", city="Riyadh"),
        insert(db, "roles", client_id=tenant.client_id, name="agent"),
        insert(db, "customers", client_id=tenant.client_id, full_name="Noura Renter"),
        tenant.property(db),
    ]
    assert {row["id"].version for row in rows} == {7}
    assert len({row["id"] for row in rows}) == len(rows)
