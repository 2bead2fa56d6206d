-- readb:superuser
-- rea_owner owns the domain tables, and the owner of a table may disable or drop its
-- triggers: `alter table rea.deals disable trigger deals_audit_update`, a write, and the
-- trigger enabled again left no audit row and no trace in `readb verify` (hardening
-- issue, finding 3). Two event triggers refuse that DDL for every role but a superuser:
--   audit_triggers_kept      (ddl_command_end of ALTER TABLE, CREATE TRIGGER, ALTER
--                            TRIGGER) refuses when an audit trigger of a rea table
--                            (audit.log_changes(), audit.refuse_change()) is no longer
--                            enabled, or a trigger named as one calls another function
--                            (CREATE OR REPLACE TRIGGER);
--   audit_triggers_not_dropped (sql_drop) refuses DROP TRIGGER of an audit trigger of a
--                            rea table. Dropping the table itself drops its triggers and
--                            its rows with it, and stays allowed (down steps do it).
-- A later step that must change a table's audit triggers is a superuser step.
-- Session_replication_role = replica, which would skip every trigger, is a superuser's
-- setting: rea_owner cannot set it.
-- Needs a superuser: only a superuser creates event triggers.
-- Requires: 7560_audit_evidence.

set local role rea_audit_owner;

create function audit.guard_audit_triggers()
returns event_trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    -- log_row_change: the per-row audit trigger of the Citus path (sql/citus/distribute.sql)
    audit_functions oid[] := array(
        select p.oid from pg_catalog.pg_proc as p
        where
            p.pronamespace = 'audit'::regnamespace
            and p.proname in ('log_changes', 'log_row_change', 'refuse_change')
    );
    offender text;
begin
    if (select r.rolsuper from pg_catalog.pg_roles as r where r.rolname = current_user) then
        return;
    end if;
    if tg_event = 'sql_drop' then
        select o.object_identity into offender
        from pg_catalog.pg_event_trigger_dropped_objects() as o
        where
            o.object_type = 'trigger' and o.original
            and o.object_identity ~ '^\S+_(audit_(insert|update|delete)|no_truncate) on rea\.';
    else
        select pg_catalog.format('%I on %s', t.tgname, t.tgrelid::regclass) into offender
        from pg_catalog.pg_trigger as t
        inner join pg_catalog.pg_class as c on t.tgrelid = c.oid
        where
            c.relnamespace = 'rea'::regnamespace and not t.tgisinternal
            and (
                (t.tgfoid = any(audit_functions) and t.tgenabled not in ('O', 'A'))
                or (t.tgname ~ '_(audit_(insert|update|delete)|no_truncate)$' and t.tgfoid <> all(audit_functions))
            )
        limit 1;
    end if;
    if offender is not null then
        raise exception 'the audit triggers of rea tables cannot be disabled, dropped or replaced: % (%)',
            offender, tg_tag
            using errcode = 'insufficient_privilege',
            hint = 'A step that must change a table''s audit triggers runs as a superuser (-- readb:superuser).';
    end if;
end;
$$;

comment on function audit.guard_audit_triggers() is
'Event trigger: refuses, for every role but a superuser, DDL that disables, drops or replaces an audit'
' trigger of a rea table (42501).';

revoke all on function audit.guard_audit_triggers() from public;

reset role;

-- (sqlfluff cannot parse create event trigger: hence the execute)
do $$
begin
    execute 'create event trigger audit_triggers_kept on ddl_command_end'
        ' when tag in (''ALTER TABLE'', ''CREATE TRIGGER'', ''ALTER TRIGGER'')'
        ' execute function audit.guard_audit_triggers()';
    execute 'create event trigger audit_triggers_not_dropped on sql_drop'
        ' execute function audit.guard_audit_triggers()';
end;
$$;
