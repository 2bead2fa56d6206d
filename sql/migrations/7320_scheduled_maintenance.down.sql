-- Revert 7320_scheduled_maintenance: unschedule its jobs, drop its policies and grants on
-- pg_cron's tables, take rea_owner away from rea_maintenance, drop the three functions. The
-- pg_cron extension and the rea_maintenance role stay (other jobs, other databases of the
-- cluster may use them); an operator drops them.

do $$
begin
    if pg_catalog.to_regclass('cron.job') is not null then
        perform cron.unschedule(j.jobname)
        from cron.job as j
        where j.jobname in (
            'audit-create-partitions', 'audit-seal-days', 'audit-drop-expired',
            'customer-retention', 'reporting-refresh', 'analyze-partitioned'
        );
        drop policy if exists job_rea_owner_select on cron.job;
        drop policy if exists job_run_details_rea_owner_select on cron.job_run_details;
        revoke usage on schema cron from rea_owner;
    end if;
    if exists (select from pg_catalog.pg_roles where rolname = 'rea_maintenance') then
        revoke rea_owner from rea_maintenance;
    end if;
end;
$$;

set local role rea_owner;

-- reverting drops what the step created; nothing else calls them
-- squawk-ignore ban-drop-function
drop function reporting.refresh_facts();
-- squawk-ignore ban-drop-function
drop function rea.analyze_partitioned_tables();
-- squawk-ignore ban-drop-function
drop function rea.apply_customer_retention_all(timestamptz);
