-- readb:superuser
-- The audit trail gets its own owner, rea_audit_owner, so that rea_owner (every
-- migration author, every maintenance login) can no longer change the trail and its
-- evidence together (hardening issue, finding 3).
--
-- rea_audit_owner is NOLOGIN and nobody is a member of it: not the deployer, not
-- rea_owner, not an application role (tests/test_audit_owner.py walks pg_auth_members).
-- It owns the schema audit and everything in it: audit_logs and its partitions, the
-- sequence, settings, seals, every function. Its security definer functions are the
-- only writers: audit.log_changes() (the triggers on rea tables), and the maintenance
-- entry points rea_owner may call: audit.create_partitions(), audit.seal_days() (now
-- security definer), audit.drop_expired_partitions(), audit.analyze_partitioned() (new:
-- ANALYZE needs the owner; rea.analyze_partitioned_tables() calls it for the audit
-- tables). rea_owner keeps SELECT on the trail (the monitoring views read it) and may
-- put the audit triggers on its tables (audit.audit_table(), EXECUTE on the trigger
-- functions), nothing else.
--
-- Needs a superuser: it creates a role and hands objects to a role nobody is a member
-- of (only a superuser may), and alters that role's default privileges. The objects it
-- creates are created as rea_audit_owner (set local role), so they are its own.
-- Requires: 6120_audit_seals, 6310_policies, 7320_scheduled_maintenance.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'rea_audit_owner') then
        begin
            create role rea_audit_owner nologin;
        exception when duplicate_object or unique_violation then
            null;  -- created meanwhile by a rollout of another database of the cluster
        end;
    end if;
    alter role rea_audit_owner nologin nosuperuser nobypassrls nocreatedb nocreaterole noreplication;
end;
$$;

-- What rea_audit_owner creates is private to it, as rea_owner's is (6300_grants).
alter default privileges for role rea_audit_owner revoke execute on functions from public;
alter default privileges for role rea_audit_owner revoke usage on types from public;

do $$
declare
    target record;
begin
    for target in
        select 'alter schema audit owner to rea_audit_owner' as ddl
        union all
        select pg_catalog.format(
            'alter %s audit.%I owner to rea_audit_owner',
            case c.relkind when 'S' then 'sequence' else 'table' end,
            c.relname
        )
        from pg_catalog.pg_class as c
        where
            c.relnamespace = 'audit'::regnamespace and c.relkind in ('r', 'p', 'S')
            -- the sequence goes with its table (owned by)
            and not (c.relkind = 'S' and exists (
                select from pg_catalog.pg_depend as d
                where d.objid = c.oid and d.deptype = 'a' and d.refobjid = 'audit.audit_logs'::regclass
            ))
        union all
        select pg_catalog.format('alter routine %s owner to rea_audit_owner', p.oid::regprocedure)
        from pg_catalog.pg_proc as p
        where p.pronamespace = 'audit'::regnamespace
    loop
        execute target.ddl;
    end loop;
end;
$$;

-- What the trail's owner needs of rea: the actor of a change (audit.log_changes()).
-- rea.current_actor_id() runs as its caller and checks that the actor is a user of the
-- current tenant (7520), so the audit owner reads (id, client_id) of the current
-- tenant's users, and nothing else of rea (RLS is forced on rea.users).
grant usage on schema rea to rea_audit_owner;
grant execute on function rea.current_actor_id(), rea.current_client_id() to rea_audit_owner;
grant select (id, client_id) on rea.users to rea_audit_owner;
create policy users_audit_owner_select on rea.users for select to rea_audit_owner
using (client_id = (select rea.current_client_id()));

-- What rea_owner keeps: reading the trail, putting the audit triggers on its tables, and
-- the maintenance entry points. No INSERT: only the owner's functions write.
grant usage on schema audit to rea_owner;
grant select on audit.audit_logs, audit.seals, audit.settings to rea_owner;
grant execute on function audit.log_changes(), audit.refuse_change() to rea_owner;
grant execute on procedure audit.audit_table(regclass, text, text[], text[]) to rea_owner;
grant execute on function
audit.create_partitions(integer),
audit.drop_expired_partitions(timestamptz),
audit.seal_days(date),
audit.row_hash(audit.audit_logs),
audit.day_hashes(date, date),
audit.verify_seals()
to rea_owner;

-- The policies: the owner writes through its functions (FORCE RLS holds it too);
-- rea_owner no longer inserts.
drop policy audit_logs_owner_insert on audit.audit_logs;
drop policy seals_owner_insert on audit.seals;
create policy audit_logs_audit_owner_select on audit.audit_logs for select to rea_audit_owner using (true);
create policy audit_logs_audit_owner_insert on audit.audit_logs for insert to rea_audit_owner with check (true);
create policy seals_audit_owner_select on audit.seals for select to rea_audit_owner using (true);
create policy seals_audit_owner_insert on audit.seals for insert to rea_audit_owner with check (true);

set local role rea_audit_owner;

-- The sealer runs as the owner, whoever calls it (rea_maintenance from pg_cron, an
-- operator, readb audit seal). Its body is 6120's; only who it runs as changes.
alter function audit.seal_days(date) security definer;

create function audit.analyze_partitioned()
returns integer
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    parent record;
    analyzed integer := 0;
begin
    for parent in
        select pg_catalog.format('%I.%I', n.nspname, c.relname) as name
        from pg_catalog.pg_partitioned_table as p
        inner join pg_catalog.pg_class as c on p.partrelid = c.oid
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where n.nspname = 'audit' and not c.relispartition
        order by 1
    loop
        execute 'analyze ' || parent.name;
        analyzed := analyzed + 1;
    end loop;
    return analyzed;
end;
$$;

comment on function audit.analyze_partitioned() is
'ANALYZE every partitioned table of the audit schema, as its owner; returns how many. Called by'
' rea.analyze_partitioned_tables() (the daily job). Security definer; rea_owner may call it.';

revoke all on function audit.analyze_partitioned() from public;
grant execute on function audit.analyze_partitioned() to rea_owner;

reset role;
set local role rea_owner;

create or replace function rea.analyze_partitioned_tables()
returns integer
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    parent record;
    analyzed integer := 0;
begin
    for parent in
        select c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) as name
        from pg_catalog.pg_partitioned_table as p
        inner join pg_catalog.pg_class as c on p.partrelid = c.oid
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where n.nspname in ('rea', 'reporting') and not c.relispartition
        order by 2
    loop
        if not pg_catalog.pg_has_role((select c.relowner from pg_catalog.pg_class as c where c.oid = parent.oid), 'usage')
            then
            raise exception 'permission denied to analyze %', parent.name using errcode = 'insufficient_privilege';
        end if;
        execute 'analyze ' || parent.name;
        analyzed := analyzed + 1;
    end loop;
    -- the audit trail's tables belong to rea_audit_owner: its entry point analyzes them
    return analyzed + audit.analyze_partitioned();
end;
$$;
