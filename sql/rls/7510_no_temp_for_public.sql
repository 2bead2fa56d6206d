-- readb:superuser
-- PUBLIC loses TEMP on the database: no project role may create temporary objects
-- (hardening issue, finding 1).
--
-- Why: temporary tables, views, domains and functions are how a caller shadows the names
-- a function resolves at run time; 7500_pin_search_path puts pg_temp last in every
-- function, and without TEMP nothing can be planted at all, behind PgBouncer neither
-- (a temporary object outlives its transaction on a pooled server connection).
-- Granted back to rea_owner only: `refresh materialized view concurrently` (readb
-- refresh, reporting.refresh_facts() from pg_cron) builds its diff in a temporary table
-- created as the view's owner, rea_owner, whoever runs it (without TEMP it fails with
-- 42501, as tried). rea_owner's members own every object already, so TEMP gives them
-- nothing over rea_app. Nobody else needs it: the application, reporting, auditor and
-- monitor roles never create temporary objects; readb's no-transaction steps (create
-- index concurrently), pg_dump and pg_restore do not either; `readb seed` makes a
-- temporary table, but runs as a superuser (the demo's loader), which holds every
-- privilege. The database's owner keeps TEMP: revoking PUBLIC's default makes the
-- owner's implicit grant explicit in datacl.
--
-- Database privileges are not part of a schema dump: a database made by pg_restore,
-- `createdb`, or `create database ... template` starts with PUBLIC's default TEMP again.
-- After a logical restore, run this file once more (README, "Logical backups");
-- `readb verify` names a database where PUBLIC holds TEMP again.
--
-- Needs a superuser (or the database's owner): it alters a database, not an object of
-- rea_owner's, so it does not take rea_owner's role.
-- Requires: nothing.

do $$
begin
    execute pg_catalog.format('revoke temporary on database %I from public', pg_catalog.current_database());
    execute pg_catalog.format('grant temporary on database %I to rea_owner', pg_catalog.current_database());
end;
$$;
