-- Revert 7520_actor_of_current_tenant: the actor as 7500_pin_search_path left it.

set local role rea_owner;

create or replace function rea.current_actor_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.user_id', true), '')::pg_catalog.uuid
$$;

comment on function rea.current_actor_id() is
'The user acting in this transaction (app.user_id), NULL when unset or empty. The audit trail records it.';
