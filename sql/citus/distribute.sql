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
-- Run by `python -m readb.citus_cluster build|distribute DBNAME` (make citus-build); idempotent:
-- run it again after a shard split, move or rebalance (the new shards get their grants).

-- Citus runs a distributed query over connections it opens to the other nodes as the
-- current role; inside a security definer function (the audit trigger) that is the
-- function's owner. So the owners of the project's security definer functions
-- (rea_owner) must be able to log in on the cluster's nodes: LOGIN here, no password;
-- pg_hba.conf must admit them only from the cluster's own nodes (the local cluster trusts
-- loopback). The application's roles keep what they have.
do $$
declare
    owner_name text;
begin
    for owner_name in
        select distinct p.proowner::regrole::text
        from pg_catalog.pg_proc as p
        where
            p.prosecdef
            and p.pronamespace::regnamespace::text in ('rea', 'audit', 'migrations', 'monitoring', 'reporting')
            and not (select r.rolcanlogin from pg_catalog.pg_roles as r where r.oid = p.proowner)
    loop
        execute pg_catalog.format('alter role %I login', owner_name);
    end loop;
end;
$$;

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

-- Two audit functions of the single-server build read or write a reference table from
-- inside a trigger, which a shard cannot do ("cannot execute a distributed query from a
-- query on a shard"): their Citus variants, documented in the README ("Scaling out").
-- audit.stamp() (7550) locks its day's row of audit.day_locks; on Citus it takes the
-- per-node advisory lock of 6110 instead, so writers and the sealer coordinate on each
-- node, not across nodes, and a rea_app login can again stall a node's audited writes
-- with that key (the hardening issue's finding 5 is open on the distributed path).
create or replace function audit.stamp()
returns timestamptz
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    utc_day integer := (pg_catalog.clock_timestamp() at time zone 'UTC')::date - date '2000-01-01';
    stamp timestamptz;
begin
    perform pg_catalog.pg_advisory_xact_lock_shared(1635083380, utc_day);  -- 'audt'
    stamp := pg_catalog.clock_timestamp();
    if (stamp at time zone 'UTC')::date - date '2000-01-01' <> utc_day then
        perform pg_catalog.pg_advisory_xact_lock_shared(1635083380, utc_day + 1);
    end if;
    return stamp;
end;
$$;

comment on function audit.stamp() is
'Citus variant (sql/citus/distribute.sql): the time audit rows are stamped with, after the per-node shared '
'advisory lock of its UTC day.';

-- audit.record_evidence_change() (7560) writes audit.evidence_changes, a reference table
-- on Citus: the coordinator's copy of audit.settings records the change; the workers'
-- copies and the seals' shards on workers record nothing (a change of a seal on a worker
-- is found by `readb audit verify --heads`, not recorded).
create or replace function audit.record_evidence_change()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    if not pg_catalog.citus_is_coordinator() then
        return null;
    end if;
    insert into audit.evidence_changes (table_name, action, old_row, new_row)
    values (
        pg_catalog.regexp_replace(tg_table_name, '_[0-9]+$', ''),
        tg_op,
        case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end,
        case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end
    );
    return null;
end;
$$;

-- rea.current_actor_id() (7520) checks that the actor is a user of the current tenant:
-- a read of rea.users from inside the audit trigger, which on Citus runs on a shard, where
-- a distributed query cannot run (and nested execution fails: the shard's backend already
-- holds a transaction id). On Citus the actor is recorded as given, as before 7520: the
-- hardening issue's actor check (finding 6) is open on the distributed path (README,
-- "Scaling out").
create or replace function rea.current_actor_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.user_id', true), '')::pg_catalog.uuid
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
declare
    closed_status text;
begin
    if new.stage = 'won' and old.stage <> 'won' then
        closed_status := case when new.deal_type = 'sale' then 'sold' else 'rented' end;
        update rea.properties as p
        set status = closed_status
        where
            p.client_id = new.client_id
            and p.id = new.property_id
            and p.status <> closed_status;
    end if;
    return null;
end;
$$;

comment on function rea.deals_close_property_row() is
'Citus: AFTER UPDATE on rea.deals, per row: rea.deals_close_property() for one deal (sql/citus/distribute.sql).';

create or replace function rea.cancel_pending_approvals_row()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    -- tg_argv: the approvals column, the closing column, the closing values (as 7630)
    closed_as text := pg_catalog.to_jsonb(new) ->> tg_argv[1];
begin
    if closed_as = any(tg_argv[2:]) and (pg_catalog.to_jsonb(old) ->> tg_argv[1]) is distinct from closed_as then
        execute pg_catalog.format(
            'update rea.approvals as a set status = ''cancelled'', decision_note = $3'
            ' where a.client_id = $1 and a.%I = $2 and a.status = ''pending''',
            tg_argv[0]
        )
        using new.client_id, new.id, tg_table_name || ' ' || closed_as;
    end if;
    return null;
end;
$$;

comment on function rea.cancel_pending_approvals_row() is
'Citus: AFTER UPDATE per row: rea.cancel_pending_approvals() for one subject (sql/citus/distribute.sql).';

create or replace function rea.bookings_sync_property_status_row()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    if tg_op = 'INSERT' then
        if new.status = 'ACTIVE' then
            update rea.properties as p set status = 'reserved'
            where p.client_id = new.client_id and p.id = new.property_id and p.status = 'available';
        end if;
    elsif (new.status = 'ACTIVE') <> (old.status = 'ACTIVE') then
        update rea.properties as p
        set status = case when new.status = 'ACTIVE' then 'reserved' else 'available' end
        where
            p.client_id = new.client_id
            and p.id = new.property_id
            and p.status = case when new.status = 'ACTIVE' then 'available' else 'reserved' end;
    end if;
    return null;
end;
$$;

comment on function rea.bookings_sync_property_status_row() is
'Citus: AFTER INSERT / UPDATE on rea.bookings, per row: rea.bookings_sync_property_status() for one booking.';

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
    execute pg_catalog.format('alter function rea.cancel_pending_approvals_row() owner to %I', fn_owner);
    execute pg_catalog.format('alter function rea.bookings_sync_property_status_row() owner to %I', fn_owner);
    revoke all on function rea.cancel_pending_approvals_row() from public;
    revoke all on function rea.bookings_sync_property_status_row() from public;

    -- The audit (6110) and the set-based cascades (7630, 7640), per row: each statement
    -- trigger with transition tables becomes a row trigger of the same name, on the same
    -- events, calling the function's per-row variant with the same arguments.
    for t in
        select
            tg.tgname,
            tg.tgrelid::regclass as rel,
            tg.tgtype,
            case tg.tgfoid
                when 'audit.log_changes()'::regprocedure then 'audit.log_row_change'
                when 'rea.cancel_pending_approvals()'::regprocedure then 'rea.cancel_pending_approvals_row'
                else 'rea.bookings_sync_property_status_row'
            end as row_function,
            (
                select pg_catalog.string_agg(pg_catalog.quote_literal(a), ', ' order by o)
                from pg_catalog.unnest(
                    pg_catalog.string_to_array(
                        pg_catalog.rtrim(pg_catalog.encode(tg.tgargs, 'escape'), '\000'), '\000'
                    )
                ) with ordinality as x (a, o)
            ) as args
        from pg_catalog.pg_trigger as tg
        where
            tg.tgfoid in (
                'audit.log_changes()'::regprocedure,
                'rea.cancel_pending_approvals()'::regprocedure,
                'rea.bookings_sync_property_status()'::regprocedure
            )
            and (tg.tgoldtable is not null or tg.tgnewtable is not null)
    loop
        events := case
            when t.tgtype & 4 <> 0 then 'insert'
            when t.tgtype & 8 <> 0 then 'delete'
            else 'update'
        end;
        execute pg_catalog.format('drop trigger %I on %s', t.tgname, t.rel);
        execute pg_catalog.format(
            'create trigger %I after %s on %s for each row execute function %s(%s)',
            t.tgname, events, t.rel, t.row_function, coalesce(t.args, '')
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
    if not exists (
        select from pg_catalog.pg_dist_partition as d where d.logicalrelid = 'audit.audit_logs'::regclass
    ) then
        alter table audit.audit_logs disable trigger audit_logs_append_only;
        update audit.audit_logs set client_id = '00000000-0000-0000-0000-000000000000'
        where client_id is null;
        alter table audit.audit_logs enable trigger audit_logs_append_only;
    end if;
end;
$$;

-- Distributing DDL goes over one connection per node (Citus refuses a reference table
-- after parallel work on distributed ones in the same transaction).
select pg_catalog.set_config('citus.multi_shard_modify_mode', 'sequential', false);
-- The rows copied into the shards are not new changes: no trigger fires for the copy.
select pg_catalog.set_config('session_replication_role', 'replica', false);

-- The foreign keys between the tables are taken off while the tables are distributed and
-- put back, validated, afterwards (Citus checks each against its rules then): distributing
-- a referenced table first would turn the local tables that reference it into Citus
-- local tables, which then cannot be distributed. Reference tables first, then the tenant
-- tables, co-located with the first one. Tables are tracked by name: distributing a table
-- on a coordinator that holds shards turns the relation into a shard and makes a new one
-- under the same name. A table per transaction: each one's shards and metadata complete.
do $$
declare
    schemas constant text[] := array['rea', 'audit', 'migrations', 'monitoring'];
    fkeys text[];
    statement text;
    target text;
    anchor text;
begin
    select pg_catalog.array_agg(
        pg_catalog.format(
            'alter table %s add constraint %I %s',
            f.conrelid::regclass, f.conname, pg_catalog.pg_get_constraintdef(f.oid)
        )
        order by f.conrelid::regclass::text, f.conname
    )
    into fkeys
    from pg_catalog.pg_constraint as f
    inner join pg_catalog.pg_class as c on f.conrelid = c.oid
    where
        f.contype = 'f'
        and c.relnamespace::regnamespace::text = any(schemas)
        and not exists (select from pg_catalog.pg_dist_partition as d where d.logicalrelid = c.oid);
    for target, statement in
        select f.conrelid::regclass::text, f.conname
        from pg_catalog.pg_constraint as f
        inner join pg_catalog.pg_class as c on f.conrelid = c.oid
        where
            f.contype = 'f'
            and c.relnamespace::regnamespace::text = any(schemas)
            and not exists (select from pg_catalog.pg_dist_partition as d where d.logicalrelid = c.oid)
    loop
        execute pg_catalog.format('alter table %s drop constraint %I', target, statement);
    end loop;
    commit;

    for target, anchor in
        select
            c.oid::regclass::text,
            case when exists (
                select from pg_catalog.pg_attribute as a
                where a.attrelid = c.oid and a.attname = 'client_id' and not a.attisdropped
            ) then 'tenant' end
        from pg_catalog.pg_class as c
        where
            c.relnamespace::regnamespace::text = any(schemas)
            and c.relkind in ('r', 'p')
            and not c.relispartition
            and not exists (select from pg_catalog.pg_dist_partition as d where d.logicalrelid = c.oid)
        order by 2 nulls first, 1
    loop
        if anchor is null then
            perform pg_catalog.create_reference_table(target);
        else
            select d.logicalrelid::text into anchor
            from pg_catalog.pg_dist_partition as d
            where d.partmethod = 'h'
            order by d.colocationid, d.logicalrelid
            limit 1;
            perform pg_catalog.create_distributed_table(
                target, 'client_id', colocate_with => coalesce(anchor, 'default')
            );
        end if;
        commit;
    end loop;

    foreach statement in array coalesce(fkeys, '{}') loop
        execute statement;
    end loop;
end;
$$;

-- Column grants: the coordinator checks a statement against the grants of the table it
-- names (the application may insert only some columns of a table, and update fewer), then
-- sends the shards a statement that names every column, the defaults filled in. So a
-- role granted INSERT or UPDATE on some columns of a table gets that privilege on the
-- table's shards (placements), where only the coordinator's statements reach; the
-- coordinator's tables keep the column grants, and they decide. pg_hba.conf must not
-- let the application's logins reach the workers.
do $$
declare
    g record;
    failure text;
begin
    for g in
        select distinct c.oid::regclass::text as rel, a.privilege_type, a.grantee::regrole::text as grantee
        from pg_catalog.pg_class as c
        inner join pg_catalog.pg_attribute as att on c.oid = att.attrelid
        cross join lateral pg_catalog.aclexplode(att.attacl) as a
        where
            c.oid in (select d.logicalrelid from pg_catalog.pg_dist_partition as d)
            and att.attacl is not null
            and a.privilege_type in ('INSERT', 'UPDATE')
            and not pg_catalog.has_table_privilege(a.grantee, c.oid, a.privilege_type || ' WITH GRANT OPTION')
            and not exists (
                select from pg_catalog.aclexplode(c.relacl) as t
                where t.grantee = a.grantee and t.privilege_type = a.privilege_type
            )
        order by 1, 2, 3
    loop
        select pg_catalog.string_agg(r.result, '; ') into failure
        from pg_catalog.run_command_on_placements(
            g.rel::regclass, pg_catalog.format('grant %s on %%s to %I', g.privilege_type, g.grantee)
        ) as r
        where not r.success;
        if failure is not null then
            raise exception 'grant % on the shards of % to %: %', g.privilege_type, g.rel, g.grantee, failure;
        end if;
    end loop;
end;
$$;

-- The extensions the steps made (pgcrypto, btree_gist, citext, ...) on every worker, in
-- the same schemas: the functions made there next call them.
do $$
declare
    e record;
    failure text;
begin
    for e in
        select x.extname, x.extnamespace::regnamespace::text as nsp
        from pg_catalog.pg_extension as x
        where x.extname not in ('plpgsql', 'citus', 'citus_columnar')
        order by x.oid
    loop
        -- (a worker refuses extension DDL that would propagate: not propagated, on each)
        select pg_catalog.string_agg(r.result, '; ') into failure
        from pg_catalog.run_command_on_workers(
            pg_catalog.format(
                'set citus.enable_ddl_propagation = off;'
                ' create schema if not exists %I; create extension if not exists %I with schema %I',
                e.nsp, e.extname, e.nsp
            )
        ) as r
        where not r.success;
        if failure is not null then
            raise exception 'extension % on the workers: %', e.extname, failure;
        end if;
    end loop;
end;
$$;

-- The project's functions on every node: the triggers, policies and defaults that run on
-- the shards call them (Citus creates only the tables' direct dependencies itself). A SQL
-- function's body is checked when it is made, so one that calls another not made yet is
-- tried again in the next pass; a pass that makes none stops with the first failure.
do $$
declare
    fn text;
    remaining text[];
    failed text[];
    why text;
begin
    select pg_catalog.array_agg(p.oid::regprocedure::text order by p.prolang, p.oid::regprocedure::text)
    into remaining
    from pg_catalog.pg_proc as p
    where
        p.pronamespace::regnamespace::text in ('rea', 'audit', 'migrations', 'monitoring', 'reporting')
        and not exists (
            select from pg_catalog.pg_dist_object as o
            where o.classid = 'pg_catalog.pg_proc'::regclass and o.objid = p.oid
        );
    while pg_catalog.cardinality(coalesce(remaining, '{}')) > 0 loop
        failed := '{}';
        foreach fn in array remaining loop
            begin
                perform pg_catalog.create_distributed_function(fn::regprocedure);
            exception when others then
                failed := failed || fn;
                why := fn || ': ' || sqlerrm;
            end;
        end loop;
        if pg_catalog.cardinality(failed) = pg_catalog.cardinality(remaining) then
            raise exception 'cannot create these functions on the workers: %', failed
                using detail = why;
        end if;
        remaining := failed;
        commit;
    end loop;
end;
$$;

-- The tenant and the actor reach the workers only as `set local app.client_id = ...` and
-- `set local app.user_id = ...` statements, which Citus sends on to the nodes a
-- transaction touches when citus.propagate_set_commands is 'local'. set_config() is not
-- sent: the shards then see no tenant and return no rows (fail closed).
do $$
begin
    execute pg_catalog.format(
        'alter database %I set citus.propagate_set_commands = local', pg_catalog.current_database()
    );
end;
$$;

-- The reporting materialized views stay on the coordinator (Citus distributes no
-- materialized view); their refresh runs the fact functions on the shards, and those look
-- up currencies and rates, reference tables, from there: a distributed query inside a
-- shard's query, which Citus allows only when asked. The lookups read the node's own copy
-- of a reference table, so they are exact; allowed for the views' owners only.
do $$
declare
    owner_name text;
begin
    for owner_name in
        select distinct m.matviewowner::text from pg_catalog.pg_matviews as m
        where m.schemaname = 'reporting'
    loop
        execute pg_catalog.format(
            'alter role %I set citus.allow_nested_distributed_execution = on', owner_name
        );
    end loop;
end;
$$;

select pg_catalog.set_config('session_replication_role', 'origin', false);
