-- The tenant and the actor of the current transaction, as the application sets them
-- (see the contract):
--   select set_config('app.client_id', '<client uuid>', true),
--          set_config('app.user_id',   '<user uuid>',   true);
-- rea.current_client_id() is what every row-level security policy compares client_id
-- with, wrapped in (select ...) so it is read once per statement. It fails closed: an
-- unset setting is NULL, and so is '' (what a pooled connection reads back once a
-- transaction that set it with is_local = true has ended), and client_id = NULL matches
-- no row and lets no row be written. A value that is not a UUID is an error (22P02),
-- not a silent NULL: it is a bug in the caller.
-- rea.current_actor_id() is the user the audit trail records; NULL when unset.
-- Requires: 0120_schemas.

set local role rea_owner;

create function rea.current_client_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.client_id', true), '')::uuid
$$;

comment on function rea.current_client_id() is
'The tenant of this transaction (app.client_id), NULL when unset or empty. Policies compare client_id with it.';

create function rea.current_actor_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.user_id', true), '')::uuid
$$;

comment on function rea.current_actor_id() is
'The user acting in this transaction (app.user_id), NULL when unset or empty. The audit trail records it.';
