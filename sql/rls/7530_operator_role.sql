-- readb:superuser
-- rea_operator: the contract's role for adding agencies (tenants) without a superuser
-- (hardening issue, finding 6: tenant provisioning needed a superuser).
-- NOLOGIN, like the other contract roles; an operator's login is granted it. It holds
-- nothing but execute on rea.provision_agency() (7535_provision_agency): no table, no
-- tenant's rows, no BYPASSRLS.
-- Creating a role needs a superuser (or CREATEROLE), so this step runs as the rollout's
-- admin connection, not as rea_owner. Roles are cluster-wide: created only if missing,
-- and a concurrent creation by another database's rollout is tolerated (as 0100_roles).
-- Requires: 0100_roles.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'rea_operator') then
        begin
            create role rea_operator nologin;
        exception when duplicate_object or unique_violation then
            null;  -- created meanwhile by a rollout of another database
        end;
    end if;
    alter role rea_operator nologin nosuperuser nobypassrls nocreaterole nocreatedb;
end;
$$;
