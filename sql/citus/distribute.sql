-- DRAFT, not run by any command yet (README "Scaling out": where it stops on Citus 13.2.2).
-- Distribute a database built by `readb up` across the Citus cluster it runs on.
--
-- What: every table of the project's schemas with a `client_id` column becomes a table
-- distributed by `client_id`, all co-located (a tenant's rows of every table, its audit
-- rows and seals included, live in shards of the same node); every other table becomes a
-- reference table (a copy on every node). The runner's bookkeeping (schema readb) stays
-- on the coordinator. Driven by the catalog, so tables added by later steps follow the
-- same rule without editing this file.
-- Why: a tenant's queries and writes (with their triggers and audit rows) then run on
-- one node; shared lookups join locally everywhere.
-- Requires: the citus extension, the workers registered (python -m readb.citus_cluster),
-- every step applied, a superuser (create_distributed_table), and
-- citus.enable_unsafe_triggers = on (the audit and workflow triggers run on the shards).
-- To try it: psql -X -v ON_ERROR_STOP=1 -d <coordinator url> -f sql/citus/distribute.sql.

-- Citus refuses subqueries in the policies of distributed tables. The policies read the
-- tenant as `(select rea.current_client_id())` (an init plan: once per statement on a
-- single node); here they call the function directly, which means the same (it is STABLE:
-- one value per statement). tests/test_distributable.py keeps that the only subquery.
do $$
declare
    p record;
    subquery constant text := '( SELECT rea.current_client_id() AS current_client_id)';
begin
    for p in
        select
            pol.polname,
            pol.polrelid::regclass as rel,
            pg_catalog.pg_get_expr(pol.polqual, pol.polrelid) as using_expr,
            pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) as check_expr
        from pg_catalog.pg_policy as pol
        where
            pg_catalog.strpos(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), subquery) > 0
            or pg_catalog.strpos(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid), subquery) > 0
    loop
        execute pg_catalog.format(
            'alter policy %I on %s%s%s',
            p.polname,
            p.rel,
            ' using (' || pg_catalog.replace(p.using_expr, subquery, 'rea.current_client_id()') || ')',
            ' with check (' || pg_catalog.replace(p.check_expr, subquery, 'rea.current_client_id()') || ')'
        );
    end loop;
end;
$$;

-- Statement triggers with transition tables cannot write to distributed tables (Citus
-- cannot hand a trigger's transition table to a distributed query), so on Citus the audit
-- and the won-deal rule run per row: the same rules, each row's change written by the
-- trigger on its own shard, so a tenant's write and its audit row land on the same node.
-- audit.log_row_change() records what audit.log_changes() records, with three Citus
-- differences: on a shard tg_table_name is `<table>_<shard id>`, so the table's own name
-- is recorded; a shared table's row has no tenant and a distributed row needs one, so
-- those rows carry the nil uuid instead of NULL; a reference table's change runs on every
-- node's copy, and only the coordinator's copy writes the audit row (audited once).
create or replace function audit.log_row_change()
returns trigger
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    tenant_column text := tg_argv[0];
    key_columns text[] := pg_catalog.string_to_array(tg_argv[1], ',');
    personal text[] := coalesce(tg_argv[2:], '{}');
    relation_name text := pg_catalog.regexp_replace(tg_table_name, '_[0-9]+$', '');
    before_image jsonb;
    after_image jsonb;
    changed text[];
    image jsonb;
    record_key text;
begin
    if
        exists (
            select from pg_catalog.pg_dist_partition as d
            where
                d.logicalrelid = pg_catalog.to_regclass(
                    pg_catalog.quote_ident(tg_table_schema) || '.' || pg_catalog.quote_ident(relation_name)
                )
                and d.partmethod = 'n'
        )
        and not pg_catalog.citus_is_coordinator()
    then
        return null;
    end if;
    if tg_op <> 'INSERT' then
        before_image := pg_catalog.to_jsonb(old);
    end if;
    if tg_op <> 'DELETE' then
        after_image := pg_catalog.to_jsonb(new);
    end if;
    if tg_op = 'UPDATE' then
        select
            coalesce(pg_catalog.array_agg(c.col order by c.col), '{}'),
            coalesce(pg_catalog.jsonb_object_agg(c.col, before_image -> c.col), '{}'),
            coalesce(pg_catalog.jsonb_object_agg(c.col, after_image -> c.col), '{}')
        into changed, before_image, after_image
        from pg_catalog.jsonb_object_keys(before_image || after_image) as c (col)
        where (before_image -> c.col) is distinct from (after_image -> c.col);
    end if;
    -- Citus takes no subquery in a distributed insert's values: the row's key first.
    image := coalesce(after_image, before_image);
    if tg_op = 'UPDATE' then
        image := pg_catalog.to_jsonb(new);
    end if;
    record_key := pg_catalog.array_to_string(
        array(select image ->> k from pg_catalog.unnest(key_columns) as k), ','
    );
    insert into audit.audit_logs (
        client_id, table_name, record_id, action, old_data, new_data, changed_columns, actor_id, occurred_at
    )
    values (
        coalesce((image ->> tenant_column)::uuid, '00000000-0000-0000-0000-000000000000'),
        relation_name,
        record_key,
        tg_op,
        before_image - personal,
        after_image - personal,
        changed,
        rea.current_actor_id(),
        audit.stamp()
    );
    return null;
end;
$$;

comment on function audit.log_row_change() is
'Citus: AFTER row trigger writing the audit row of one change (audit.log_changes(), per row).';

create or replace function rea.deals_close_property_row()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    if new.stage = 'won' and old.stage <> 'won' then
        update rea.properties as p
        set status = case new.deal_type when 'sale' then 'sold' else 'rented' end
        where
            p.client_id = new.client_id
            and p.id = new.property_id
            and p.status <> case new.deal_type when 'sale' then 'sold' else 'rented' end;
    end if;
    return null;
end;
$$;

comment on function rea.deals_close_property_row() is
'Citus: AFTER UPDATE on rea.deals, per row: rea.deals_close_property() for one deal (sql/citus/distribute.sql).';

do $$
declare
    t record;
    fn_owner regrole;
    events text;
begin
    select p.proowner::regrole into fn_owner from pg_catalog.pg_proc as p
    where p.oid = 'audit.log_changes()'::regprocedure;
    execute pg_catalog.format('alter function audit.log_row_change() owner to %I', fn_owner);
    select p.proowner::regrole into fn_owner from pg_catalog.pg_proc as p
    where p.oid = 'rea.deals_close_property()'::regprocedure;
    execute pg_catalog.format('alter function rea.deals_close_property_row() owner to %I', fn_owner);
    revoke all on function audit.log_row_change() from public;
    revoke all on function rea.deals_close_property_row() from public;

    for t in
        select
            tg.tgname,
            tg.tgrelid::regclass as rel,
            tg.tgtype,
            (
                select pg_catalog.string_agg(pg_catalog.quote_literal(a), ', ' order by o)
                from pg_catalog.unnest(
                    pg_catalog.string_to_array(
                        pg_catalog.rtrim(pg_catalog.encode(tg.tgargs, 'escape'), '\000'), '\000'
                    )
                ) with ordinality as x (a, o)
            ) as args
        from pg_catalog.pg_trigger as tg
        where tg.tgfoid = 'audit.log_changes()'::regprocedure
    loop
        events := case
            when t.tgtype & 4 <> 0 then 'insert'
            when t.tgtype & 8 <> 0 then 'delete'
            else 'update'
        end;
        execute pg_catalog.format('drop trigger %I on %s', t.tgname, t.rel);
        execute pg_catalog.format(
            'create trigger %I after %s on %s for each row execute function audit.log_row_change(%s)',
            t.tgname, events, t.rel, t.args
        );
    end loop;

    if pg_catalog.to_regclass('rea.deals') is not null and exists (
        select from pg_catalog.pg_trigger as tg
        where tg.tgname = 'deals_close_property' and tg.tgrelid = 'rea.deals'::regclass
    ) then
        drop trigger deals_close_property on rea.deals;
        create trigger deals_close_property
        after update on rea.deals
        for each row execute function rea.deals_close_property_row();
    end if;

    -- Never drop a rule silently: a transition-table trigger not rewritten above stops here.
    select pg_catalog.string_agg(tg.tgrelid::regclass || '.' || tg.tgname, ', ') into events
    from pg_catalog.pg_trigger as tg
    where tg.tgoldtable is not null or tg.tgnewtable is not null;
    if events is not null then
        raise exception 'statement triggers with transition tables cannot run on Citus: %', events
            using hint = 'give them a row-level variant in sql/citus/distribute.sql';
    end if;

    -- The audit rows of shared tables written before distribution: the nil uuid as tenant
    -- (the distribution column cannot be NULL; these rows are never sealed: no tenant).
    alter table audit.audit_logs disable trigger audit_logs_append_only;
    update audit.audit_logs set client_id = '00000000-0000-0000-0000-000000000000'
    where client_id is null;
    alter table audit.audit_logs enable trigger audit_logs_append_only;
end;
$$;

-- One transaction distributes every table: its DDL must go over one connection per node.
select pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', false);
-- The rows copied into the shards are not new changes: no trigger fires for the copy.
select pg_catalog.set_config('session_replication_role', 'replica', false);

-- Tables are tracked by name: distributing a table on a coordinator that holds shards
-- turns the original relation into a shard and makes a new one under the same name.
do $$
declare
    pending text[];
    ready text[];
    target text;
    anchor regclass;
begin
    select pg_catalog.array_agg(c.oid::regclass::text order by n.nspname, c.relname)
    into pending
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
    where
        n.nspname in ('rea', 'audit', 'migrations', 'monitoring')
        and c.relkind in ('r', 'p')
        and not c.relispartition
        and not exists (select from pg_catalog.pg_dist_partition as d where d.logicalrelid = c.oid);

    -- Referenced tables first: a table is distributed once everything it references is.
    while pending is not null and pg_catalog.cardinality(pending) > 0 loop
        select pg_catalog.array_agg(p.t)
        into ready
        from pg_catalog.unnest(pending) as p (t)
        where not exists (
            select from pg_catalog.pg_constraint as f
            where
                f.conrelid = p.t::regclass
                and f.contype = 'f'
                and f.confrelid <> p.t::regclass
                and f.confrelid::regclass::text = any(pending)
        );
        if ready is null then
            raise exception 'foreign keys between % form a cycle', pending;
        end if;
        foreach target in array ready loop
            if exists (
                select from pg_catalog.pg_attribute as a
                where a.attrelid = target::regclass and a.attname = 'client_id' and not a.attisdropped
            ) then
                select d.logicalrelid into anchor
                from pg_catalog.pg_dist_partition as d
                where d.partmethod = 'h'
                order by d.colocationid, d.logicalrelid
                limit 1;
                if anchor is null then
                    perform pg_catalog.create_distributed_table(target, 'client_id');
                else
                    perform pg_catalog.create_distributed_table(
                        target, 'client_id', colocate_with => anchor::text
                    );
                end if;
            else
                perform pg_catalog.create_reference_table(target);
            end if;
            commit;  -- a table per transaction: each one's shards and metadata are complete
        end loop;
        select pg_catalog.array_agg(p.t) into pending
        from pg_catalog.unnest(pending) as p (t)
        where p.t <> all(ready);
    end loop;
end;
$$;

select pg_catalog.set_config('session_replication_role', 'origin', false);
