-- rea_monitor: the contract's role for reading the database's health (the `monitoring`
-- schema, 7310_monitoring), and pg_stat_statements, which those views read.
--
-- rea_monitor is a NOLOGIN group role, like the four before it (0100_roles): deployments
-- grant it to the login of a probe, a dashboard or an on-call DBA. It is a member of
-- pg_monitor, so it sees every session's query text, pg_stat_statements of every user and
-- the replication state, and holds nothing on the tenant schemas: no tenant data.
-- pg_stat_statements normalises statement text (constants become $1, $2, ...). Its
-- counters exist only where the server loads it (shared_preload_libraries): the project's
-- clusters do (tools/readb/cluster.py); elsewhere the extension is created all the same
-- and monitoring.health says it is not loaded.
--
-- This step runs as the rollout user, not as rea_owner (unlike every step after
-- 6000_ownership): creating a role needs CREATEROLE, granting pg_monitor and creating
-- pg_stat_statements (not a trusted extension) need a superuser.
-- Requires: 0110_extensions; a superuser rollout user.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'rea_monitor') then
        begin
            create role rea_monitor nologin;
        exception when duplicate_object or unique_violation then
            null;  -- created meanwhile by a rollout of another database of the cluster
        end;
    end if;
    alter role rea_monitor nologin nosuperuser nobypassrls nocreatedb nocreaterole;
end;
$$;

grant pg_monitor to rea_monitor;

create extension if not exists pg_stat_statements with schema extensions;

-- The runner's bookkeeping: monitoring.readb_steps (7310, owned by rea_owner) reads it,
-- and readb health compares it with the step files as rea_monitor.
grant usage on schema readb to rea_owner, rea_monitor;
grant select on readb.applied_steps to rea_owner, rea_monitor;
