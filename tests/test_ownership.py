"""Who owns the database and what PUBLIC may do in it, proven over the catalog:

- rea_owner owns the schemas rea and reporting and everything in them, rea_audit_owner the
  schema audit and everything in it (7540_audit_owner): every
  relation (tables and their partitions, indexes, views, materialized views, sequences),
  every function and procedure, every type. No function in them is owned by a superuser,
  so no function can run with a superuser's rights (a security definer function runs as
  its owner);
- nothing in rea, audit or reporting is granted to PUBLIC: no ACL entry with grantee 0 on
  the schemas, relations, columns, routines or standalone types. An ACL that is NULL means
  the built-in default, which for routines is EXECUTE for PUBLIC and for types USAGE for
  PUBLIC: that counts as a grant. (A table's own row type always keeps the built-in
  default, which PostgreSQL gives no way to change on creation; it is useless without
  USAGE on the schema, so it is left out.)
- the default privileges hold for what rea_owner creates later: a new table, view,
  sequence, function, procedure or type is readable, writable, executable or usable by
  none of rea_app, rea_reporting, rea_auditor or PUBLIC until a step grants it.

Each check lists offenders; the built schema has none, and a deliberately bad object,
created in a rolled-back savepoint of the test's transaction, is named by the check.
"""

from collections.abc import Callable

import psycopg
import pytest
from psycopg import errors

from conftest import acting_as

PROJECT_SCHEMAS = ["rea", "audit", "reporting", "migrations"]
TENANT_ROLES = ("rea_app", "rea_reporting", "rea_auditor")


def _rows(db: psycopg.Connection, sql: str) -> list[str]:
    return [row[0] for row in db.execute(sql, {"schemas": PROJECT_SCHEMAS})]


# --- Ownership ---------------------------------------------------------------------------------


def objects_not_owned_by_rea_owner(db: psycopg.Connection) -> list[str]:
    """Schemas, relations (every relkind, partitions included), routines and types of the
    project's schemas whose owner is not rea_owner (rea_audit_owner in audit)."""
    return _rows(
        db,
        """
        with objects (description, owner) as (
            select 'schema ' || n.nspname, n.nspowner
            from pg_namespace n where n.nspname = any(%(schemas)s)
            union all
            select 'relation ' || c.oid::regclass::text, c.relowner
            from pg_class c
            where c.relnamespace::regnamespace::text = any(%(schemas)s)
            union all
            select 'routine ' || p.oid::regprocedure::text, p.proowner
            from pg_proc p
            where p.pronamespace::regnamespace::text = any(%(schemas)s)
            union all
            select 'type ' || t.oid::regtype::text, t.typowner
            from pg_type t
            where t.typnamespace::regnamespace::text = any(%(schemas)s)
        )
        select o.description || ' is owned by ' || pg_get_userbyid(o.owner)
        from objects o
        where o.owner <> case when o.description ~ '^(schema audit$|\\w+ audit\\.)'
                              then 'rea_audit_owner' else 'rea_owner' end::regrole
        order by 1
        """,
    )


def functions_owned_by_a_superuser(db: psycopg.Connection) -> list[str]:
    return _rows(
        db,
        """
        select p.oid::regprocedure::text || ' is owned by superuser ' || r.rolname
        from pg_proc p
        join pg_roles r on r.oid = p.proowner
        where p.pronamespace::regnamespace::text = any(%(schemas)s) and r.rolsuper
        order by 1
        """,
    )


# --- PUBLIC ------------------------------------------------------------------------------------


def grants_to_public(db: psycopg.Connection) -> list[str]:
    """Every ACL entry for PUBLIC (grantee 0) in the project's schemas. A NULL ACL stands
    for acldefault(): for routines and types that includes PUBLIC."""
    return _rows(
        db,
        """
        with acls (description, acl) as (
            select 'schema ' || n.nspname, coalesce(n.nspacl, acldefault('n', n.nspowner))
            from pg_namespace n where n.nspname = any(%(schemas)s)
            union all
            select 'relation ' || c.oid::regclass::text,
                   coalesce(c.relacl, acldefault(
                       case c.relkind when 'S' then 's' else 'r' end::"char", c.relowner))
            from pg_class c
            where c.relnamespace::regnamespace::text = any(%(schemas)s)
              and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
            union all
            select 'column ' || c.oid::regclass::text || '.' || a.attname, a.attacl
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            where c.relnamespace::regnamespace::text = any(%(schemas)s)
              and a.attacl is not null and not a.attisdropped
            union all
            select 'routine ' || p.oid::regprocedure::text,
                   coalesce(p.proacl, acldefault('f', p.proowner))
            from pg_proc p
            where p.pronamespace::regnamespace::text = any(%(schemas)s)
            union all
            select 'type ' || t.oid::regtype::text, coalesce(t.typacl, acldefault('T', t.typowner))
            from pg_type t
            left join pg_class c on c.oid = t.typrelid
            where t.typnamespace::regnamespace::text = any(%(schemas)s)
              and t.typcategory <> 'A'                  -- arrays follow their element type
              and (t.typrelid = 0 or c.relkind = 'c')   -- a table's row type: see above
        )
        select a.description || ': ' || x.privilege_type || ' to PUBLIC'
        from acls a
        cross join lateral aclexplode(a.acl) x
        where x.grantee = 0
        order by 1
        """,
    )


CHECKS: dict[str, tuple[Callable[[psycopg.Connection], list[str]], str]] = {
    "owner": (
        objects_not_owned_by_rea_owner,
        "create table audit.not_owners (x int)",
    ),
    "owner of a partition": (
        objects_not_owned_by_rea_owner,
        "create table audit.audit_logs_2099_01 partition of audit.audit_logs"
        " for values from ('2099-01-01') to ('2099-02-01')",
    ),
    "owner of a routine": (
        objects_not_owned_by_rea_owner,
        "create procedure reporting.not_owners() language sql as 'select 1'",
    ),
    "owner of a type": (
        objects_not_owned_by_rea_owner,
        "create domain rea.not_owners as text",
    ),
    "no superuser function": (
        functions_owned_by_a_superuser,
        "create function rea.runs_as_superuser() returns int language sql"
        " security definer set search_path = '' as 'select 1'",
    ),
    "no PUBLIC on a schema": (grants_to_public, "grant usage on schema audit to public"),
    "no PUBLIC on a table": (grants_to_public, "grant select on rea.deals to public"),
    "no PUBLIC on a view": (grants_to_public, "grant select on reporting.fact_deals to public"),
    "no PUBLIC on a column": (grants_to_public, "grant update (name) on rea.clients to public"),
    "no PUBLIC on a sequence": (
        grants_to_public,
        "grant usage on sequence audit.audit_logs_id_seq to public",
    ),
    "no PUBLIC on a function": (
        grants_to_public,
        "grant execute on function rea.erase_customer(uuid) to public",
    ),
    "no PUBLIC by a NULL ACL": (
        grants_to_public,
        # created by the superuser, so rea_owner's default privileges do not apply
        "create function rea.executable_by_all() returns int language sql as 'select 1'",
    ),
    "no PUBLIC on a type": (grants_to_public, "create domain rea.usable_by_all as text"),
}


KNOWN_PUBLIC_GRANTS: set[str] = set()  # none: grants_to_public must find nothing


@pytest.mark.parametrize(
    "find",
    [objects_not_owned_by_rea_owner, functions_owned_by_a_superuser, grants_to_public],
    ids=lambda f: f.__name__,
)
def test_the_schema_passes(db, find):
    assert [offender for offender in find(db) if offender not in KNOWN_PUBLIC_GRANTS] == []


def test_nothing_is_granted_to_public_without_exceptions(db):
    assert grants_to_public(db) == []


@pytest.mark.parametrize("check", CHECKS)
def test_the_check_catches_an_offender(db, check):
    find, bad_ddl = CHECKS[check]
    with db.transaction(force_rollback=True):
        db.execute(bad_ddl)
        assert find(db) != []


def test_the_checks_see_every_kind_of_object(db):
    """The ownership check is not vacuous: it covers partitions, materialized views,
    sequences, procedures and the security definer functions."""
    kinds = dict(
        db.execute(
            """
            select k, count(*) from (
                select case when c.relispartition then 'partition'
                            else 'relkind ' || c.relkind::text end
                from pg_class c where c.relnamespace::regnamespace::text = any(%(schemas)s)
                union all
                select case when p.prosecdef then 'security definer'
                            else 'prokind ' || p.prokind::text end
                from pg_proc p where p.pronamespace::regnamespace::text = any(%(schemas)s)
            ) as o (k)
            group by k
            """,
            {"schemas": PROJECT_SCHEMAS},
        ).fetchall()
    )
    for kind in (
        "relkind r",  # tables
        "relkind p",  # partitioned tables
        "partition",
        "relkind i",
        "relkind v",
        "relkind m",
        "relkind S",
        "prokind f",
        "prokind p",  # procedures
        "security definer",
    ):
        assert kinds.get(kind, 0) > 0, kind


# --- Default privileges ------------------------------------------------------------------------

PROBES = {
    # kind: (DDL run as rea_owner, privilege function, object, privileges)
    "table": (
        "create table rea.probe_table (client_id uuid, note text)",
        "has_table_privilege",
        "rea.probe_table",
        "select, insert, update, delete, truncate, references, trigger",
    ),
    "view": (
        "create view rea.probe_view as select 1 as one",
        "has_table_privilege",
        "rea.probe_view",
        "select, insert, update, delete",
    ),
    "sequence": (
        "create sequence rea.probe_sequence",
        "has_sequence_privilege",
        "rea.probe_sequence",
        "usage, select, update",
    ),
    "function": (
        "create function rea.probe_function() returns int language sql as 'select 1'",
        "has_function_privilege",
        "rea.probe_function()",
        "execute",
    ),
    "procedure": (
        "create procedure rea.probe_procedure() language sql as 'select 1'",
        "has_function_privilege",
        "rea.probe_procedure()",
        "execute",
    ),
    "type": (
        "create domain rea.probe_type as text",
        "has_type_privilege",
        "rea.probe_type",
        "usage",
    ),
}


@pytest.mark.parametrize("kind", PROBES)
def test_what_rea_owner_creates_later_is_granted_to_nobody(db, kind):
    """ALTER DEFAULT PRIVILEGES (6300): a new object of rea_owner's is private to it."""
    ddl, check, name, privileges = PROBES[kind]
    with acting_as(db, "rea_owner"):
        db.execute(ddl)
    held = db.execute(
        f"select r, {check}(r, %s, %s) from unnest(%s::text[]) as r",
        (name, privileges, [*TENANT_ROLES, "public"]),
    ).fetchall()
    assert held == [(r, False) for r in (*TENANT_ROLES, "public")]
    assert db.execute(f"select {check}('rea_owner', %s, %s)", (name, privileges)).fetchone() == (
        True,
    )


@pytest.mark.parametrize(
    ("ddl", "use"),
    [
        ("create table rea.probe_table (note text)", "select * from rea.probe_table"),
        ("create view rea.probe_view as select 1 as one", "select * from rea.probe_view"),
        (
            "create function rea.probe_function() returns int language sql as 'select 1'",
            "select rea.probe_function()",
        ),
    ],
    ids=["table", "view", "function"],
)
def test_the_application_cannot_use_what_rea_owner_creates_later(db, tenant, ddl, use):
    with acting_as(db, "rea_owner"):
        db.execute(ddl)
    with (
        pytest.raises(errors.InsufficientPrivilege, match="permission denied for"),
        acting_as(db, "rea_app", tenant.client_id, tenant.agent_id),
    ):
        db.execute(use)
