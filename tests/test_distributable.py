"""The schema stays distributable on Citus, checked over the single-node catalog.

`sql/citus/distribute.sql` makes every table of the project's schemas with a client_id
column a table distributed by client_id (a *tenant table*, all co-located) and every
other one a reference table (a copy on every node). Citus accepts that only if these of
its rules hold, one line each (the check's name in brackets):

- every primary key, unique and exclusion constraint, and every unique index, of a tenant
  table includes client_id (exclusions with `=` on it) [unique_without_client_id];
- every foreign key between tenant tables includes client_id on both sides, paired
  [tenant_fkey_without_client_id];
- no reference table references a tenant table [reference_refers_to_tenant];
- no foreign key sets client_id (the distribution column) to NULL or a default on
  delete or update [fkey_sets_client_id];
- client_id is NOT NULL in every tenant table; the audit trail's rows of shared tables are
  the one exception, and the Citus path stamps them with the nil uuid
  [client_id_nullable];
- client_id has one type, uuid, everywhere: co-located tables share the distribution
  column's type [client_id_type];
- a policy holds no subquery but `(select rea.current_client_id())`, which the Citus path
  rewrites into the plain call; Citus refuses subqueries in policies of distributed
  tables [policy_subquery];
- a table audited by audit.log_changes has no name ending in `_<digits>`: on a shard the
  trigger sees `<name>_<shard id>`, and the Citus path's audit strips that suffix to
  record the table's own name [audited_name_like_a_shard];
- no function's UPDATE calls now() (or another clock) inside COALESCE or CASE: Citus
  refuses non-immutable functions there in a statement it sends to a shard; a variable
  holding the time is a constant to it [volatile_in_coalesce].

Materialized views (the reporting facts) cannot be distributed; on Citus they stay on the
coordinator, filled by a distributed query, which needs no rule here.

Each check lists its offenders: the real schema has none, and a deliberately bad object,
made in a rolled-back transaction, is caught, which proves the check itself works.
"""

import pytest

SCHEMAS = "('rea', 'audit', 'migrations', 'monitoring')"

TABLES = f"""
    select c.oid, c.oid::regclass::text as name,
        exists (
            select from pg_attribute a
            where a.attrelid = c.oid and a.attname = 'client_id' and not a.attisdropped
        ) as tenant
    from pg_class c
    where c.relnamespace::regnamespace::text in {SCHEMAS}
        and c.relkind in ('r', 'p') and not c.relispartition
"""

CHECKS = {
    "unique_without_client_id": f"""
        with t as ({TABLES})
        select t.name || ': ' || i.indexrelid::regclass::text
        from t join pg_index i on i.indrelid = t.oid
        where t.tenant
            and i.indisunique
            and not exists (
                select from pg_attribute a
                where a.attrelid = t.oid and a.attname = 'client_id'
                    and a.attnum = any(i.indkey::int2[])
            )
        union all
        select t.name || ': ' || c.conname
        from t join pg_constraint c on c.conrelid = t.oid
        where t.tenant
            and c.contype = 'x'
            and not exists (
                select from pg_attribute a, unnest(c.conkey, c.conexclop) as k (attnum, op)
                where a.attrelid = t.oid and a.attname = 'client_id' and a.attnum = k.attnum
                    and k.op::regoperator::text like '=(%'
            )
    """,
    "tenant_fkey_without_client_id": f"""
        with t as ({TABLES})
        select child.name || ': ' || c.conname
        from pg_constraint c
        join t child on child.oid = c.conrelid
        join t parent on parent.oid = c.confrelid
        where c.contype = 'f' and child.tenant and parent.tenant
            and not exists (
                select from unnest(c.conkey, c.confkey) as k (col, refcol)
                join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.col
                join pg_attribute r on r.attrelid = c.confrelid and r.attnum = k.refcol
                where a.attname = 'client_id' and r.attname = 'client_id'
            )
    """,
    "reference_refers_to_tenant": f"""
        with t as ({TABLES})
        select child.name || ': ' || c.conname
        from pg_constraint c
        join t child on child.oid = c.conrelid
        join t parent on parent.oid = c.confrelid
        where c.contype = 'f' and not child.tenant and parent.tenant
    """,
    "fkey_sets_client_id": f"""
        with t as ({TABLES})
        select child.name || ': ' || c.conname
        from pg_constraint c
        join t child on child.oid = c.conrelid
        join pg_attribute a on a.attrelid = c.conrelid and a.attname = 'client_id'
        where c.contype = 'f' and child.tenant
            and a.attnum = any(c.conkey)
            and (c.confupdtype in ('n', 'd')
                or (c.confdeltype in ('n', 'd')
                    and (c.confdelsetcols is null or a.attnum = any(c.confdelsetcols))))
    """,
    "client_id_nullable": f"""
        with t as ({TABLES})
        select t.name
        from t join pg_attribute a on a.attrelid = t.oid and a.attname = 'client_id'
        where t.tenant and not a.attnotnull and t.name <> 'audit.audit_logs'
    """,
    "client_id_type": f"""
        with t as ({TABLES})
        select t.name || ': ' || format_type(a.atttypid, a.atttypmod)
        from t join pg_attribute a on a.attrelid = t.oid and a.attname = 'client_id'
        where t.tenant and a.atttypid <> 'uuid'::regtype
    """,
    "policy_subquery": """
        select p.schemaname || '.' || p.tablename || ': ' || p.policyname
        from pg_policies p
        where p.schemaname in ('rea', 'audit', 'migrations', 'monitoring')
            and (
                replace(coalesce(p.qual, '') || coalesce(p.with_check, ''),
                    '( SELECT rea.current_client_id() AS current_client_id)', '')
                ~* '\\mselect\\M'
            )
    """,
    "audited_name_like_a_shard": """
        select distinct tg.tgrelid::regclass::text
        from pg_trigger tg
        where tg.tgfoid = 'audit.log_changes'::regproc
            and (select c.relname from pg_class c where c.oid = tg.tgrelid) ~ '_[0-9]+$'
    """,
    "volatile_in_coalesce": """
        select p.oid::regprocedure::text
        from pg_proc p
        where p.pronamespace::regnamespace::text in ('rea', 'audit', 'migrations', 'reporting')
            and p.prosrc ~* '\\mupdate\\M[^;]*\\m(coalesce|case)\\M[^;]*'
                '\\m(now|clock_timestamp|statement_timestamp|transaction_timestamp)\\('
    """,
}

# For each check, a deliberately bad object it must catch.
BREAKS = {
    "unique_without_client_id": "create unique index bad_key on rea.customers (email)",
    "tenant_fkey_without_client_id": """
        create unique index bad_customers_id_key on rea.customers (id);
        create table rea.bad (client_id uuid not null, id uuid, customer_id uuid,
            primary key (client_id, id),
            foreign key (customer_id) references rea.customers (id))
    """,
    "reference_refers_to_tenant": """
        create table rea.bad_lookup (id uuid primary key, customer_client uuid, customer_id uuid,
            foreign key (customer_client, customer_id) references rea.customers (client_id, id))
    """,
    "fkey_sets_client_id": """
        create table rea.bad (client_id uuid not null, id uuid, customer_id uuid,
            primary key (client_id, id),
            foreign key (client_id, customer_id) references rea.customers (client_id, id)
                on delete set null)
    """,
    "client_id_nullable": "create table rea.bad (client_id uuid, id uuid)",
    "client_id_type": "create table rea.bad (client_id text not null, id uuid)",
    "policy_subquery": """
        create policy bad_select on rea.customers for select to rea_app
            using (exists (select from rea.branches b where b.client_id = customers.client_id))
    """,
    "audited_name_like_a_shard": """
        create table rea.bad_2026 (client_id uuid not null, id uuid, primary key (client_id, id));
        call audit.audit_table('rea.bad_2026', 'client_id', array['id'])
    """,
    "volatile_in_coalesce": """
        create function rea.bad() returns void language sql volatile
        set search_path = pg_catalog, pg_temp
        as $$ update rea.customers set erased_at = coalesce(erased_at, now()) where false $$
    """,
}


def offenders(db, check: str) -> list[str]:
    return sorted(row[0] for row in db.execute(CHECKS[check]).fetchall())


def test_every_rule_has_a_break():
    assert set(BREAKS) == set(CHECKS)


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_schema_keeps_the_rule(db, check):
    assert offenders(db, check) == []


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_check_catches_a_violation(db, check):
    with db.transaction(force_rollback=True):
        db.execute(BREAKS[check])
        assert offenders(db, check), f"{check} did not catch: {BREAKS[check]}"


def test_tables_split_into_tenant_and_reference(db):
    """The split distribute.sql makes: these are shared, everything else is by tenant."""
    rows = db.execute(f"select name from ({TABLES}) t where not t.tenant order by 1").fetchall()
    shared = {r[0] for r in rows}
    assert {"rea.clients", "rea.currencies", "rea.fx_rates", "rea.permissions"} <= shared
    assert not shared & {"audit.audit_logs", "audit.seals", "migrations.batches", "rea.users"}
