-- Row-level security: every tenant table, enabled and forced (so it binds the owner
-- too), with one policy per command and role. Each compares the row's tenant with
-- rea.current_client_id(), wrapped in (select ...) so it is read once per statement, not
-- per row. Fail closed: with app.client_id unset or '' the function is NULL, the
-- comparison is never true, reads return no rows (no error) and writes are refused
-- (42501, "new row violates row-level security policy").
--   rea_app    select, insert and update its tenant's rows; delete only where 6300
--              grants it (the join tables)
--   rea_owner  reads every tenant (REFRESH MATERIALIZED VIEW runs as the owner, and so
--              do the maintenance functions), writes only the current tenant's rows: a
--              security definer function cannot write across tenants by mistake
-- rea_reporting and rea_auditor hold no privilege on rea tables, so they have no
-- policy here. The audit trail: rea_auditor reads its tenant's rows and seals; rea_owner
-- reads everything (seals) and inserts (the audit trigger runs as rea_owner).
-- The indexes that serve these policies are the tables' primary keys and indexes,
-- which all lead with client_id (a catalog test keeps it so).
-- Requires: 6300_grants.

set local role rea_owner;

-- rea.clients: a tenant row is its own tenant
alter table rea.clients enable row level security;
alter table rea.clients force row level security;
create policy clients_app_select on rea.clients for select to rea_app
using (id = (select rea.current_client_id()));
create policy clients_app_update on rea.clients for update to rea_app
using (id = (select rea.current_client_id())) with check (id = (select rea.current_client_id()));
create policy clients_owner_select on rea.clients for select to rea_owner using (true);
create policy clients_owner_update on rea.clients for update to rea_owner
using (id = (select rea.current_client_id())) with check (id = (select rea.current_client_id()));

-- rea.branches
alter table rea.branches enable row level security;
alter table rea.branches force row level security;
create policy branches_app_select on rea.branches for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy branches_app_insert on rea.branches for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy branches_app_update on rea.branches for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy branches_owner_select on rea.branches for select to rea_owner using (true);
create policy branches_owner_insert on rea.branches for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy branches_owner_update on rea.branches for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy branches_owner_delete on rea.branches for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.users
alter table rea.users enable row level security;
alter table rea.users force row level security;
create policy users_app_select on rea.users for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy users_app_insert on rea.users for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy users_app_update on rea.users for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy users_owner_select on rea.users for select to rea_owner using (true);
create policy users_owner_insert on rea.users for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy users_owner_update on rea.users for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy users_owner_delete on rea.users for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.roles
alter table rea.roles enable row level security;
alter table rea.roles force row level security;
create policy roles_app_select on rea.roles for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy roles_app_insert on rea.roles for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy roles_app_update on rea.roles for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy roles_owner_select on rea.roles for select to rea_owner using (true);
create policy roles_owner_insert on rea.roles for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy roles_owner_update on rea.roles for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy roles_owner_delete on rea.roles for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.role_permissions
alter table rea.role_permissions enable row level security;
alter table rea.role_permissions force row level security;
create policy role_permissions_app_select on rea.role_permissions for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy role_permissions_app_insert on rea.role_permissions for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy role_permissions_app_delete on rea.role_permissions for delete to rea_app
using (client_id = (select rea.current_client_id()));
create policy role_permissions_owner_select on rea.role_permissions for select to rea_owner using (true);
create policy role_permissions_owner_insert on rea.role_permissions for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy role_permissions_owner_update on rea.role_permissions for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy role_permissions_owner_delete on rea.role_permissions for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.user_roles
alter table rea.user_roles enable row level security;
alter table rea.user_roles force row level security;
create policy user_roles_app_select on rea.user_roles for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy user_roles_app_insert on rea.user_roles for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy user_roles_app_delete on rea.user_roles for delete to rea_app
using (client_id = (select rea.current_client_id()));
create policy user_roles_owner_select on rea.user_roles for select to rea_owner using (true);
create policy user_roles_owner_insert on rea.user_roles for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy user_roles_owner_update on rea.user_roles for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy user_roles_owner_delete on rea.user_roles for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.customers
alter table rea.customers enable row level security;
alter table rea.customers force row level security;
create policy customers_app_select on rea.customers for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy customers_app_insert on rea.customers for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy customers_app_update on rea.customers for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy customers_owner_select on rea.customers for select to rea_owner using (true);
create policy customers_owner_insert on rea.customers for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy customers_owner_update on rea.customers for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy customers_owner_delete on rea.customers for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.properties
alter table rea.properties enable row level security;
alter table rea.properties force row level security;
create policy properties_app_select on rea.properties for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy properties_app_insert on rea.properties for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy properties_app_update on rea.properties for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy properties_owner_select on rea.properties for select to rea_owner using (true);
create policy properties_owner_insert on rea.properties for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy properties_owner_update on rea.properties for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy properties_owner_delete on rea.properties for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.commission_rules
alter table rea.commission_rules enable row level security;
alter table rea.commission_rules force row level security;
create policy commission_rules_app_select on rea.commission_rules for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy commission_rules_app_insert on rea.commission_rules for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy commission_rules_app_update on rea.commission_rules for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy commission_rules_owner_select on rea.commission_rules for select to rea_owner using (true);
create policy commission_rules_owner_insert on rea.commission_rules for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy commission_rules_owner_update on rea.commission_rules for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy commission_rules_owner_delete on rea.commission_rules for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.deals
alter table rea.deals enable row level security;
alter table rea.deals force row level security;
create policy deals_app_select on rea.deals for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy deals_app_insert on rea.deals for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy deals_app_update on rea.deals for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy deals_owner_select on rea.deals for select to rea_owner using (true);
create policy deals_owner_insert on rea.deals for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy deals_owner_update on rea.deals for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy deals_owner_delete on rea.deals for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.expenses
alter table rea.expenses enable row level security;
alter table rea.expenses force row level security;
create policy expenses_app_select on rea.expenses for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy expenses_app_insert on rea.expenses for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy expenses_app_update on rea.expenses for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy expenses_owner_select on rea.expenses for select to rea_owner using (true);
create policy expenses_owner_insert on rea.expenses for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy expenses_owner_update on rea.expenses for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy expenses_owner_delete on rea.expenses for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.approvals
alter table rea.approvals enable row level security;
alter table rea.approvals force row level security;
create policy approvals_app_select on rea.approvals for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy approvals_app_insert on rea.approvals for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy approvals_app_update on rea.approvals for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy approvals_owner_select on rea.approvals for select to rea_owner using (true);
create policy approvals_owner_insert on rea.approvals for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy approvals_owner_update on rea.approvals for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy approvals_owner_delete on rea.approvals for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.bookings
alter table rea.bookings enable row level security;
alter table rea.bookings force row level security;
create policy bookings_app_select on rea.bookings for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy bookings_app_insert on rea.bookings for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy bookings_app_update on rea.bookings for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy bookings_owner_select on rea.bookings for select to rea_owner using (true);
create policy bookings_owner_insert on rea.bookings for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy bookings_owner_update on rea.bookings for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy bookings_owner_delete on rea.bookings for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- rea.communications
alter table rea.communications enable row level security;
alter table rea.communications force row level security;
create policy communications_app_select on rea.communications for select to rea_app
using (client_id = (select rea.current_client_id()));
create policy communications_app_insert on rea.communications for insert to rea_app
with check (client_id = (select rea.current_client_id()));
create policy communications_app_update on rea.communications for update to rea_app
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy communications_owner_select on rea.communications for select to rea_owner using (true);
create policy communications_owner_insert on rea.communications for insert to rea_owner
with check (client_id = (select rea.current_client_id()));
create policy communications_owner_update on rea.communications for update to rea_owner
using (client_id = (select rea.current_client_id())) with check (client_id = (select rea.current_client_id()));
create policy communications_owner_delete on rea.communications for delete to rea_owner
using (client_id = (select rea.current_client_id()));

-- audit.audit_logs and audit.seals
alter table audit.audit_logs enable row level security;
alter table audit.audit_logs force row level security;
create policy audit_logs_auditor_select on audit.audit_logs for select to rea_auditor
using (client_id = (select rea.current_client_id()));
create policy audit_logs_owner_select on audit.audit_logs for select to rea_owner using (true);
create policy audit_logs_owner_insert on audit.audit_logs for insert to rea_owner with check (true);

alter table audit.seals enable row level security;
alter table audit.seals force row level security;
create policy seals_auditor_select on audit.seals for select to rea_auditor
using (client_id = (select rea.current_client_id()));
create policy seals_owner_select on audit.seals for select to rea_owner using (true);
create policy seals_owner_insert on audit.seals for insert to rea_owner with check (true);
