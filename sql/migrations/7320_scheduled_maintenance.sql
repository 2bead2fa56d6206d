-- Scheduled maintenance with pg_cron (Debian: postgresql-15-cron), where it is installed.
--
-- Three functions hold the work that loops (so a job is one call, and an operator without
-- pg_cron calls the same thing): rea.apply_customer_retention_all() runs the retention of
-- every tenant, with that tenant's context, in one transaction; reporting.refresh_facts()
-- refreshes the reporting materialized views (concurrently once populated);
-- rea.analyze_partitioned_tables() analyzes the partitioned tables.
--
-- The jobs (UTC, pg_cron's clock), all as rea_maintenance:
--   audit-create-partitions  monthly, 1st 00:05   audit.create_partitions(12)
--   audit-seal-days          daily, 00:15         audit.seal_days()  (yesterday, once it closed)
--   audit-drop-expired       monthly, 1st 00:30   audit.drop_expired_partitions()
--   customer-retention       daily, 01:00         rea.apply_customer_retention_all()
--   reporting-refresh        every 15 minutes     reporting.refresh_facts()
--   analyze-partitioned      daily, 02:00         rea.analyze_partitioned_tables()
-- Autovacuum analyzes every partition but never a partitioned table itself, so the
-- planner's estimates for audit.audit_logs as a whole (and any partitioned table to come)
-- only exist if someone runs ANALYZE on it: the function does, and raises when it may not
-- (a plain ANALYZE only warns and skips, and the failure would not show).
-- rea_maintenance is a LOGIN role (pg_cron runs a job as its user, and PostgreSQL 15
-- refuses a NOLOGIN one) that is a member of rea_owner, so the jobs have the owner's
-- rights and nothing more; give it no password, pg_cron's background workers need none.
-- Each run lands in cron.job_run_details: monitoring.cron_jobs (7310) shows the last run
-- of every job, and monitoring.health pages when one failed; a policy lets rea_owner, as
-- whom that view reads, see rea_maintenance's jobs.
--
-- Where pg_cron is not installed, not in shared_preload_libraries, or runs its jobs in
-- another database (cron.database_name), the scheduling is skipped with a WARNING saying
-- which (readb shows warnings, not notices); README: scheduled maintenance says how to
-- enable pg_cron and then re-apply this step.
-- The scheduling part needs a superuser (create extension pg_cron, create role, policies).
-- Requires: 7310_monitoring, 6030_customer_rights, 6120_audit_seals, 6200_tenant_fact_views.

set local role rea_owner;

create function rea.apply_customer_retention_all(as_of timestamptz default now())
returns integer
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    tenant uuid;
    erased integer := 0;
begin
    -- every tenant, its context set for its own call only (the caller reads all clients:
    -- rea_owner's policy); one transaction, so a failing tenant fails the run visibly
    for tenant in select c.id from rea.clients as c order by c.id loop
        perform pg_catalog.set_config('app.client_id', tenant::text, true);
        erased := erased + rea.apply_customer_retention(as_of);
    end loop;
    perform pg_catalog.set_config('app.client_id', '', true);
    return erased;
end;
$$;

comment on function rea.apply_customer_retention_all(timestamptz) is
'Runs rea.apply_customer_retention(as_of) for every tenant; returns the customers erased. For the daily job.';

create function reporting.refresh_facts()
returns integer
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    view record;
    refreshed integer := 0;
begin
    for view in
        select pg_catalog.format('%I.%I', m.schemaname, m.matviewname) as name, m.ispopulated
        from pg_catalog.pg_matviews as m
        where m.schemaname = 'reporting'
        order by m.matviewname
    loop
        -- concurrently once populated: dashboards keep reading meanwhile
        execute pg_catalog.format(
            'refresh materialized view %s %s', case when view.ispopulated then 'concurrently' else '' end, view.name
        );
        refreshed := refreshed + 1;
    end loop;
    return refreshed;
end;
$$;

comment on function reporting.refresh_facts() is
'Refreshes every reporting materialized view (concurrently once populated), as readb refresh does; for the job.';

create function rea.analyze_partitioned_tables()
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

comment on function rea.analyze_partitioned_tables() is
'ANALYZE every partitioned table of the project (autovacuum never does); raises 42501 where the caller may not.';

reset role;

do $$
declare
    job record;
begin
    if not exists (select from pg_catalog.pg_available_extensions where name = 'pg_cron') then
        raise warning '7320_scheduled_maintenance: pg_cron is not installed, nothing scheduled'
            ' (install postgresql-15-cron; README: scheduled maintenance)';
        return;
    end if;
    if pg_catalog.current_setting('shared_preload_libraries') !~ '(^|[ ,])pg_cron($|[ ,])' then
        raise warning '7320_scheduled_maintenance: pg_cron is not in shared_preload_libraries, nothing scheduled'
            ' (README: scheduled maintenance)';
        return;
    end if;
    if coalesce(pg_catalog.current_setting('cron.database_name', true), 'postgres') <> pg_catalog.current_database() then
        raise warning '7320_scheduled_maintenance: pg_cron runs its jobs in database %, not here; nothing scheduled'
            ' (set cron.database_name)', coalesce(pg_catalog.current_setting('cron.database_name', true), 'postgres');
        return;
    end if;

    create extension if not exists pg_cron;
    if not exists (select from pg_catalog.pg_roles where rolname = 'rea_maintenance') then
        create role rea_maintenance login;
    end if;
    alter role rea_maintenance login nosuperuser nobypassrls nocreatedb nocreaterole inherit;
    grant rea_owner to rea_maintenance;

    -- monitoring.cron_job_runs() reads the jobs as rea_owner
    grant usage on schema cron to rea_owner;
    create policy job_rea_owner_select on cron.job for select to rea_owner
    using (username = 'rea_maintenance');
    create policy job_run_details_rea_owner_select on cron.job_run_details for select to rea_owner
    using (username = 'rea_maintenance');

    for job in
        select *
        from (
            values
            ('audit-create-partitions', '5 0 1 * *', 'select audit.create_partitions(12)'),
            ('audit-seal-days', '15 0 * * *', 'select audit.seal_days()'),
            ('audit-drop-expired', '30 0 1 * *', 'select audit.drop_expired_partitions()'),
            ('customer-retention', '0 1 * * *', 'select rea.apply_customer_retention_all()'),
            ('reporting-refresh', '*/15 * * * *', 'select reporting.refresh_facts()'),
            ('analyze-partitioned', '0 2 * * *', 'select rea.analyze_partitioned_tables()')
        ) as j (name, schedule, command)
    loop
        perform cron.schedule_in_database(
            job.name, job.schedule, job.command, pg_catalog.current_database(), 'rea_maintenance'
        );
    end loop;
    raise notice '7320_scheduled_maintenance: 6 jobs scheduled in pg_cron, as rea_maintenance';
end;
$$;
