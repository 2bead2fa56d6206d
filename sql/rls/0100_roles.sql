-- The four group roles of the public contract (NOLOGIN; deployments grant them to
-- login users):
--   rea_owner      owns every object the steps create
--   rea_app        the application: tenant data of the current tenant, under RLS
--   rea_reporting  the reporting views of the current tenant
--   rea_auditor    the audit log of the current tenant
-- Roles are cluster-wide: another database of the same cluster may have created them
-- already, so each is created only if missing (and a concurrent creation is tolerated).
-- Whatever existed, the attributes the contract relies on are set: no login, no
-- superuser, no BYPASSRLS. Grants and policies come in later steps.
-- Requires: a rollout user with CREATEROLE (or superuser).

do $$
declare
    role_name text;
begin
    foreach role_name in array array['rea_owner', 'rea_app', 'rea_reporting', 'rea_auditor']
    loop
        if not exists (select from pg_catalog.pg_roles where rolname = role_name) then
            begin
                execute format('create role %I nologin', role_name);
            exception when duplicate_object or unique_violation then
                null;  -- created meanwhile by a rollout of another database
            end;
        end if;
        execute format('alter role %I nologin nosuperuser nobypassrls', role_name);
    end loop;
end;
$$;
