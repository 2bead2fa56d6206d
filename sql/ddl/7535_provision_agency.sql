-- rea.provision_agency(): an operator adds an agency, without a superuser (hardening
-- issue, finding 6).
--
-- One call makes the tenant's rea.clients row (name, base currency), its first user and
-- an "Administrators" role holding every permission, given to that user; it returns the
-- new client id. Every row goes through the audit trail like any write: the actor is
-- empty (no user of the tenant acts; the database login, the operator's, is recorded in
-- db_user). A duplicate agency name is refused by clients_name_key (23505), an unknown
-- currency by clients_base_currency_fkey (23503), a bad e-mail by users_email_check.
--
-- Who may call it: rea_operator (7530_operator_role), which holds nothing else. It is
-- security definer because the operator holds no privilege on the tables; it cannot act
-- for an existing tenant: it sets app.client_id to the id it has just generated, for its
-- own inserts only, and puts the caller's tenant and actor back before it returns.
-- 6300_grants revoked INSERT on rea.clients from rea_owner ("tenants are provisioned by
-- the operator's login"): this function is now that way, so rea_owner gets INSERT of the
-- three columns it writes back, and a new insert policy accepts exactly the current
-- tenant's row (delete and truncate stay revoked).
-- Requires: 7530_operator_role, 6310_policies, 7520_actor_of_current_tenant.

set local role rea_owner;

grant insert (id, name, base_currency) on rea.clients to rea_owner;

create policy clients_owner_insert on rea.clients for insert to rea_owner
with check (id = (select rea.current_client_id()));

create function rea.provision_agency(
    agency_name text, base_currency text, admin_full_name text, admin_email text
)
returns uuid
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    client uuid := rea.uuid_v7();
    admin uuid;
    admin_role uuid;
    tenant_before text := current_setting('app.client_id', true);
    actor_before text := current_setting('app.user_id', true);
begin
    perform set_config('app.client_id', client::text, true);
    perform set_config('app.user_id', '', true);
    insert into rea.clients (id, name, base_currency)
    values (client, agency_name, base_currency);
    insert into rea.users (client_id, full_name, email)
    values (client, admin_full_name, admin_email)
    returning id into admin;
    insert into rea.roles (client_id, name, description)
    values (client, 'Administrators', 'Every permission; made when the agency was provisioned')
    returning id into admin_role;
    insert into rea.role_permissions (client_id, role_id, permission_code)
    select client, admin_role, p.code from rea.permissions as p order by p.code;
    insert into rea.user_roles (client_id, user_id, role_id)
    values (client, admin, admin_role);
    perform set_config('app.client_id', coalesce(tenant_before, ''), true);
    perform set_config('app.user_id', coalesce(actor_before, ''), true);
    return client;
end;
$$;

comment on function rea.provision_agency(text, text, text, text) is
'Adds an agency: its client row, its first user with an Administrators role holding every permission.'
' For rea_operator.';

revoke all on function rea.provision_agency(text, text, text, text) from public;
grant usage on schema rea to rea_operator;
grant execute on function rea.provision_agency(text, text, text, text) to rea_operator;
