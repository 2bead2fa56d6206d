-- readb:superuser
-- Revert 7540_audit_owner: the audit schema and everything in it back to rea_owner, its
-- policies, grants and functions as 6120, 6300, 6310 and 7320 left them. The role
-- rea_audit_owner stays (roles are cluster-wide, as 0100_roles.down says), holding nothing.

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
        where n.nspname in ('rea', 'audit', 'reporting') and not c.relispartition
        order by 2
    loop
        if not pg_catalog.pg_has_role((select c.relowner from pg_catalog.pg_class as c where c.oid = parent.oid), 'usage')
            then
            raise exception 'permission denied to analyze %', parent.name using errcode = 'insufficient_privilege';
        end if;
        execute 'analyze ' || parent.name;
        analyzed := analyzed + 1;
    end loop;
    return analyzed;
end;
$$;

reset role;

drop function audit.analyze_partitioned();
alter function audit.seal_days(date) security invoker;

drop policy audit_logs_audit_owner_select on audit.audit_logs;
drop policy audit_logs_audit_owner_insert on audit.audit_logs;
drop policy seals_audit_owner_select on audit.seals;
drop policy seals_audit_owner_insert on audit.seals;
create policy audit_logs_owner_insert on audit.audit_logs for insert to rea_owner with check (true);
create policy seals_owner_insert on audit.seals for insert to rea_owner with check (true);

revoke execute on function
audit.create_partitions(integer),
audit.drop_expired_partitions(timestamptz),
audit.seal_days(date),
audit.row_hash(audit.audit_logs),
audit.day_hashes(date, date),
audit.verify_seals()
from rea_owner;
revoke execute on procedure audit.audit_table(regclass, text, text[], text[]) from rea_owner;
revoke execute on function audit.log_changes(), audit.refuse_change() from rea_owner;
revoke select on audit.audit_logs, audit.seals, audit.settings from rea_owner;
revoke usage on schema audit from rea_owner;
drop policy users_audit_owner_select on rea.users;
revoke select (id, client_id) on rea.users from rea_audit_owner;
revoke execute on function rea.current_actor_id(), rea.current_client_id() from rea_audit_owner;
revoke usage on schema rea from rea_audit_owner;

do $$
declare
    target record;
begin
    for target in
        select 'alter schema audit owner to rea_owner' as ddl
        union all
        select pg_catalog.format(
            'alter %s audit.%I owner to rea_owner',
            case c.relkind when 'S' then 'sequence' else 'table' end,
            c.relname
        )
        from pg_catalog.pg_class as c
        where
            c.relnamespace = 'audit'::regnamespace and c.relkind in ('r', 'p', 'S')
            and not (c.relkind = 'S' and exists (
                select from pg_catalog.pg_depend as d
                where d.objid = c.oid and d.deptype = 'a' and d.refobjid = 'audit.audit_logs'::regclass
            ))
        union all
        select pg_catalog.format('alter routine %s owner to rea_owner', p.oid::regprocedure)
        from pg_catalog.pg_proc as p
        where p.pronamespace = 'audit'::regnamespace
    loop
        execute target.ddl;
    end loop;
end;
$$;

alter default privileges for role rea_audit_owner grant usage on types to public;
alter default privileges for role rea_audit_owner grant execute on functions to public;
