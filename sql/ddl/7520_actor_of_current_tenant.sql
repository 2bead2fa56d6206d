-- rea.current_actor_id() names a user of the current tenant, or refuses (hardening
-- issue, finding 6).
--
-- Why: app.user_id was recorded as given, so an audit row of tenant A could name a user
-- of tenant B (or no user at all). Now, when app.user_id is set, it must be the id of a
-- row of rea.users whose client_id is the current tenant (app.client_id); otherwise the
-- call raises SQLSTATE 42501 naming the rule `current_actor_of_tenant` in the constraint
-- field, and audit.log_changes(), which calls it once per statement, refuses the write
-- with it. Unset or '' stays NULL (no actor: a migration, the operator).
-- Cost: one primary-key probe of rea.users per audited statement, not per row.
-- It is plpgsql with a pinned search_path (nothing inlines it: no policy calls it). Not
-- security definer: it runs as its caller, whose row-level security already limits
-- rea.users to the current tenant for rea_app; the explicit client_id test covers callers
-- that read every tenant (rea_owner, in the audit trigger).
-- Requires: 6010_tenant_context, 2020_users, 7500_pin_search_path.

set local role rea_owner;

create or replace function rea.current_actor_id()
returns uuid
language plpgsql
stable
parallel safe
set search_path = pg_catalog, pg_temp
as $$
declare
    actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
begin
    if actor is null then
        return null;
    end if;
    if not exists (
        select from rea.users as u
        where u.client_id = rea.current_client_id() and u.id = actor
    ) then
        raise exception 'app.user_id % is not a user of the current tenant', actor
            using errcode = 'insufficient_privilege', constraint = 'current_actor_of_tenant',
            hint = 'set app.user_id to the acting user of the tenant named by app.client_id, or leave it empty';
    end if;
    return actor;
end;
$$;

comment on function rea.current_actor_id() is
'The user acting in this transaction (app.user_id), NULL when unset or empty; 42501 (current_actor_of_tenant)'
' when it is not a user of the current tenant. The audit trail records it.';
